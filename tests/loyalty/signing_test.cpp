#include "loyalty/signing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using loyalty::KeyTextError;
using loyalty::SigningKeyPair;

namespace {

std::vector<std::uint8_t> bytesOf(std::string_view s) {
    return {s.begin(), s.end()};
}

loyalty::KeySeed seedOf(std::uint8_t value) {
    loyalty::KeySeed seed{};
    seed.fill(value);
    return seed;
}

}  // namespace

TEST(Signing, SignsAndVerifies) {
    const auto keys = SigningKeyPair::generate();
    const auto message = bytesOf("HCM001/000123 250000");
    const auto signature = loyalty::sign(keys, message);
    EXPECT_TRUE(loyalty::verify(keys.publicKey(), message, signature));
}

TEST(Signing, RefusesAnyChangeToMessageSignatureOrKey) {
    const auto keys = SigningKeyPair::generate();
    const auto message = bytesOf("HCM001/000123 250000");
    const auto signature = loyalty::sign(keys, message);

    for (std::size_t i = 0; i < message.size(); ++i) {
        auto changed = message;
        changed[i] ^= 0x01;
        EXPECT_FALSE(loyalty::verify(keys.publicKey(), changed, signature)) << "byte " << i;
    }
    for (std::size_t i = 0; i < signature.size(); ++i) {
        auto changed = signature;
        changed[i] ^= 0x80;
        EXPECT_FALSE(loyalty::verify(keys.publicKey(), message, changed)) << "byte " << i;
    }
    auto shorter = message;
    shorter.pop_back();
    EXPECT_FALSE(loyalty::verify(keys.publicKey(), shorter, signature));
    EXPECT_FALSE(loyalty::verify(SigningKeyPair::generate().publicKey(), message, signature));
    EXPECT_FALSE(loyalty::verify(loyalty::PublicKey{}, message, signature));
}

TEST(Signing, SignsEmptyMessage) {
    const auto keys = SigningKeyPair::generate();
    const auto signature = loyalty::sign(keys, {});
    EXPECT_TRUE(loyalty::verify(keys.publicKey(), {}, signature));
}

TEST(Signing, GeneratesDistinctKeys) {
    EXPECT_NE(SigningKeyPair::generate().publicKey(), SigningKeyPair::generate().publicKey());
}

TEST(Signing, SeedDeterminesKeys) {
    const auto a = SigningKeyPair::fromSeed(seedOf(7));
    const auto b = SigningKeyPair::fromSeed(seedOf(7));
    EXPECT_EQ(a.publicKey(), b.publicKey());
    EXPECT_EQ(a.seed(), seedOf(7));
    EXPECT_NE(a.publicKey(), SigningKeyPair::fromSeed(seedOf(8)).publicKey());
    // The libsodium secret key is the seed followed by the public key.
    const auto secret = a.secretKey();
    EXPECT_TRUE(std::equal(secret.begin() + 32, secret.end(), a.publicKey().begin()));
}

// RFC 8032 section 7.1, TEST 2: a one-byte message.
TEST(Signing, MatchesRfc8032Vector) {
    const loyalty::KeySeed seed = {0x4c, 0xcd, 0x08, 0x9b, 0x28, 0xff, 0x96, 0xda, 0x9d, 0xb6, 0xc3,
                                   0x46, 0xec, 0x11, 0x4e, 0x0f, 0x5b, 0x8a, 0x31, 0x9f, 0x35, 0xab,
                                   0xa6, 0x24, 0xda, 0x8c, 0xf6, 0xed, 0x4f, 0xb8, 0xa6, 0xfb};
    const loyalty::PublicKey expectedPublic = {
        0x3d, 0x40, 0x17, 0xc3, 0xe8, 0x43, 0x89, 0x5a, 0x92, 0xb7, 0x0a, 0xa7, 0x4d, 0x1b, 0x7e, 0xbc,
        0x9c, 0x98, 0x2c, 0xcf, 0x2e, 0xc4, 0x96, 0x8c, 0xc0, 0xcd, 0x55, 0xf1, 0x2a, 0xf4, 0x66, 0x0c};
    const loyalty::Signature expectedSignature = {
        0x92, 0xa0, 0x09, 0xa9, 0xf0, 0xd4, 0xca, 0xb8, 0x72, 0x0e, 0x82, 0x0b, 0x5f, 0x64, 0x25, 0x40,
        0xa2, 0xb2, 0x7b, 0x54, 0x16, 0x50, 0x3f, 0x8f, 0xb3, 0x76, 0x22, 0x23, 0xeb, 0xdb, 0x69, 0xda,
        0x08, 0x5a, 0xc1, 0xe4, 0x3e, 0x15, 0x99, 0x6e, 0x45, 0x8f, 0x36, 0x13, 0xd0, 0xf1, 0x1d, 0x8c,
        0x38, 0x7b, 0x2e, 0xae, 0xb4, 0x30, 0x2a, 0xee, 0xb0, 0x0d, 0x29, 0x16, 0x12, 0xbb, 0x0c, 0x00};
    const auto keys = SigningKeyPair::fromSeed(seed);
    EXPECT_EQ(keys.publicKey(), expectedPublic);
    const std::vector<std::uint8_t> message = {0x72};
    EXPECT_EQ(loyalty::sign(keys, message), expectedSignature);
}

TEST(Signing, UsableFromManyThreadsAtOnce) {
    std::vector<std::thread> threads;
    std::vector<int> ok(8, 0);
    for (std::size_t t = 0; t < ok.size(); ++t) {
        threads.emplace_back([&ok, t] {
            const auto keys = SigningKeyPair::generate();
            const auto message = bytesOf("thread");
            ok[t] = loyalty::verify(keys.publicKey(), message, loyalty::sign(keys, message)) ? 1 : 0;
        });
    }
    for (auto& thread : threads) thread.join();
    for (const int v : ok) EXPECT_EQ(v, 1);
}

TEST(KeyText, PublicKeyRoundTrips) {
    const auto keys = SigningKeyPair::fromSeed(seedOf(1));
    const std::string text = loyalty::formatPublicKey(keys.publicKey(), "store DEV001\nDEVELOPMENT ONLY");
    EXPECT_TRUE(text.starts_with("# store DEV001\n# DEVELOPMENT ONLY\nLOYALTY-KIOSK ED25519 PUBLIC KEY\n"));
    EXPECT_EQ(loyalty::parsePublicKey(text), keys.publicKey());
    EXPECT_EQ(loyalty::parsePublicKey(loyalty::formatPublicKey(keys.publicKey())), keys.publicKey());
}

TEST(KeyText, SecretKeyRoundTripsAndDerivesPublicHalf) {
    const auto keys = SigningKeyPair::fromSeed(seedOf(2));
    const auto parsed = loyalty::parseSecretKey(loyalty::formatSecretKey(keys, "store DEV001"));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->publicKey(), keys.publicKey());
    EXPECT_EQ(parsed->seed(), keys.seed());
}

TEST(KeyText, ToleratesWindowsLineEndsBlankLinesAndSpaces) {
    const auto keys = SigningKeyPair::fromSeed(seedOf(3));
    std::string text = loyalty::formatPublicKey(keys.publicKey());
    std::string crlf = "\r\n# comment\r\n\r\n";
    for (const char c : text) {
        if (c == '\n')
            crlf += "  \r\n";
        else
            crlf += c;
    }
    EXPECT_EQ(loyalty::parsePublicKey(crlf), keys.publicKey());
}

TEST(KeyText, RefusesWhatIsNotAKey) {
    const auto keys = SigningKeyPair::fromSeed(seedOf(4));
    const std::string pub = loyalty::formatPublicKey(keys.publicKey());
    const std::string sec = loyalty::formatSecretKey(keys);

    EXPECT_EQ(loyalty::parsePublicKey(""), std::unexpected(KeyTextError::NoKey));
    EXPECT_EQ(loyalty::parsePublicKey("# only a comment\n\n"), std::unexpected(KeyTextError::NoKey));
    EXPECT_EQ(loyalty::parsePublicKey("LOYALTY-KIOSK ED25519 PUBLIC KEY\n"),
              std::unexpected(KeyTextError::NoKey));
    EXPECT_EQ(loyalty::parsePublicKey(sec), std::unexpected(KeyTextError::WrongHeader));
    EXPECT_EQ(loyalty::parseSecretKey(pub).error(), KeyTextError::WrongHeader);
    EXPECT_EQ(loyalty::parsePublicKey("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n"),
              std::unexpected(KeyTextError::WrongHeader));
    EXPECT_EQ(loyalty::parsePublicKey("LOYALTY-KIOSK ED25519 PUBLIC KEY\nnot base32!\n"),
              std::unexpected(KeyTextError::BadEncoding));
    EXPECT_EQ(loyalty::parsePublicKey("LOYALTY-KIOSK ED25519 PUBLIC KEY\nMZXW6YTBOI\n"),
              std::unexpected(KeyTextError::WrongSize));
    EXPECT_EQ(loyalty::parsePublicKey(pub + "EXTRA\n"), std::unexpected(KeyTextError::TrailingContent));
    EXPECT_EQ(loyalty::parseSecretKey("LOYALTY-KIOSK ED25519 SECRET KEY\nMZXW6YTBOI\n").error(),
              KeyTextError::WrongSize);
    for (const auto e : {KeyTextError::NoKey, KeyTextError::WrongHeader, KeyTextError::BadEncoding,
                         KeyTextError::WrongSize, KeyTextError::TrailingContent}) {
        EXPECT_FALSE(loyalty::describe(e).empty());
    }
}
