#include "loyalty/base32.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using loyalty::Base32Error;

namespace {

std::vector<std::uint8_t> bytesOf(std::string_view s) {
    return {s.begin(), s.end()};
}

}  // namespace

// RFC 4648 section 10 test vectors, padding removed.
TEST(Base32, EncodesRfc4648Vectors) {
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("")), "");
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("f")), "MY");
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("fo")), "MZXQ");
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("foo")), "MZXW6");
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("foob")), "MZXW6YQ");
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("fooba")), "MZXW6YTB");
    EXPECT_EQ(loyalty::encodeBase32(bytesOf("foobar")), "MZXW6YTBOI");
}

TEST(Base32, DecodesRfc4648Vectors) {
    EXPECT_EQ(loyalty::decodeBase32(""), bytesOf(""));
    EXPECT_EQ(loyalty::decodeBase32("MY"), bytesOf("f"));
    EXPECT_EQ(loyalty::decodeBase32("MZXQ"), bytesOf("fo"));
    EXPECT_EQ(loyalty::decodeBase32("MZXW6"), bytesOf("foo"));
    EXPECT_EQ(loyalty::decodeBase32("MZXW6YQ"), bytesOf("foob"));
    EXPECT_EQ(loyalty::decodeBase32("MZXW6YTB"), bytesOf("fooba"));
    EXPECT_EQ(loyalty::decodeBase32("MZXW6YTBOI"), bytesOf("foobar"));
}

TEST(Base32, RoundTripsEveryLengthAndByteValue) {
    std::mt19937 rng(42);
    for (std::size_t size = 0; size < 200; ++size) {
        std::vector<std::uint8_t> bytes(size);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        const std::string text = loyalty::encodeBase32(bytes);
        EXPECT_EQ(text.size(), loyalty::base32Length(size));
        EXPECT_EQ(loyalty::decodeBase32(text), bytes) << "size " << size;
    }
    std::vector<std::uint8_t> all(256);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(loyalty::decodeBase32(loyalty::encodeBase32(all)), all);
}

TEST(Base32, OutputIsQrAlphanumeric) {
    std::vector<std::uint8_t> all(256);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    const std::string qrAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for (const char c : loyalty::encodeBase32(all)) EXPECT_NE(qrAlphanumeric.find(c), std::string::npos);
}

TEST(Base32, RefusesBadCharacters) {
    EXPECT_EQ(loyalty::decodeBase32("mzxw6"), std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32("MZXW6YQ="), std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32("MZ W6"), std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32("MZXW1"), std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32("MZXW8"), std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32("MZXW0"), std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32(std::string_view("MZ\0W6", 5)),
              std::unexpected(Base32Error::BadCharacter));
    EXPECT_EQ(loyalty::decodeBase32("MZ\xC3\xA9W6"), std::unexpected(Base32Error::BadLength));
    EXPECT_EQ(loyalty::decodeBase32("MZ\xC3\xA9W6YQ"), std::unexpected(Base32Error::BadCharacter));
}

TEST(Base32, RefusesImpossibleLengths) {
    for (const std::string_view text : {"M", "MZX", "MZXW6Y", "MZXW6YTBO", "MZXW6YTBOIA", "MZXW6YTBOIAAAA"}) {
        EXPECT_EQ(loyalty::decodeBase32(text), std::unexpected(Base32Error::BadLength)) << text;
    }
}

TEST(Base32, RefusesNonCanonicalTrailingBits) {
    // "MY" is 'f' with two zero pad bits; "MZ" sets the lowest pad bit.
    EXPECT_EQ(loyalty::decodeBase32("MZ"), std::unexpected(Base32Error::TrailingBits));
    EXPECT_EQ(loyalty::decodeBase32("MZXR"), std::unexpected(Base32Error::TrailingBits));
    EXPECT_EQ(loyalty::decodeBase32("MZXW7"), std::unexpected(Base32Error::TrailingBits));
    EXPECT_EQ(loyalty::decodeBase32("MZXW6YR"), std::unexpected(Base32Error::TrailingBits));
}

TEST(Base32, DescribesEveryError) {
    for (const auto e : {Base32Error::BadCharacter, Base32Error::BadLength, Base32Error::TrailingBits}) {
        EXPECT_FALSE(loyalty::describe(e).empty());
    }
}
