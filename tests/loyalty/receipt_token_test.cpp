#include "loyalty/receipt_token.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "loyalty/base32.hpp"
#include "qr_version.hpp"

using loyalty::Dong;
using loyalty::Receipt;
using loyalty::SigningKeyPair;
using loyalty::StoreKeyring;
using loyalty::TokenError;
using loyalty::VerifyPolicy;
using loyalty::test::qrVersionAlphanumericM;

namespace {

constexpr loyalty::UnixSeconds kIssued = 1'795'000'000;  // 2026-11-18T11:06:40Z

SigningKeyPair storeKeys(std::uint8_t seedByte = 1) {
    loyalty::KeySeed seed{};
    seed.fill(seedByte);
    return SigningKeyPair::fromSeed(seed);
}

Receipt typicalReceipt() {
    return Receipt{.store = "HCM001",
                   .number = "20261118-000123",
                   .amount = Dong{256'000},
                   .issuedAt = kIssued,
                   .items = 4};
}

Receipt longestReceipt() {
    return Receipt{.store = std::string(loyalty::kMaxStoreIdChars, 'Z'),
                   .number = std::string(loyalty::kMaxReceiptNumberChars, '9'),
                   .amount = loyalty::kMaxDong,
                   .issuedAt = std::numeric_limits<std::uint32_t>::max(),
                   .items = loyalty::kMaxReceiptItems};
}

StoreKeyring keyringWith(const std::string& store, const SigningKeyPair& keys) {
    StoreKeyring keyring;
    keyring.add(store, keys.publicKey());
    return keyring;
}

/// A token around an arbitrary payload, signed over exactly those bytes — lets tests build payloads
/// an honest encoder never would.
std::string craft(std::vector<std::uint8_t> payload, const SigningKeyPair& keys) {
    const auto signature = loyalty::sign(keys, payload);
    payload.insert(payload.end(), signature.begin(), signature.end());
    return std::string(loyalty::kReceiptTokenPrefix) + loyalty::encodeBase32(payload);
}

/// The payload of the typical receipt, written out by hand from docs/receipt-qr.md.
std::vector<std::uint8_t> typicalPayload() {
    std::vector<std::uint8_t> p = {0x01, 6, 'H', 'C', 'M', '0', '0', '1', 15};
    for (const char c : std::string("20261118-000123")) p.push_back(static_cast<std::uint8_t>(c));
    // 256000 = 0x3E800 -> groups 0x00, 0x50, 0x0F -> 0x80, 0xD0, 0x0F
    p.insert(p.end(), {0x80, 0xD0, 0x0F});
    // 1795000000 = 0x6AFD86C0 big-endian
    p.insert(p.end(), {0x6A, 0xFD, 0x86, 0xC0});
    p.push_back(4);
    return p;
}

std::string encodeOk(const Receipt& receipt, const SigningKeyPair& keys) {
    auto token = loyalty::encodeReceiptToken(receipt, keys);
    EXPECT_TRUE(token.has_value());
    return token.value_or("");
}

/// The QR version libqrencode picks for `text` at level M with segments chosen by libqrencode
/// (alphanumeric, and numeric for digit runs) — what kioskctl prints.
int qrVersionOptimised(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    return code ? code->version : -1;
}

}  // namespace

TEST(ReceiptToken, RoundTripsThroughVerify) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    EXPECT_TRUE(token.starts_with("LK1"));
    const auto receipt = loyalty::verifyReceiptToken(token, keyringWith("HCM001", keys), kIssued + 60);
    ASSERT_TRUE(receipt.has_value()) << loyalty::describe(receipt.error());
    EXPECT_EQ(*receipt, typicalReceipt());
    EXPECT_EQ(receipt->id(), "HCM001/20261118-000123");
}

TEST(ReceiptToken, LayoutMatchesTheDocumentedFormat) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    EXPECT_EQ(token, craft(typicalPayload(), keys));
    const auto decoded = loyalty::decodeReceiptToken(token);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->signedBytes, typicalPayload());
    EXPECT_TRUE(loyalty::verify(keys.publicKey(), decoded->signedBytes, decoded->signature));
}

TEST(ReceiptToken, RoundTripsFieldExtremes) {
    const auto keys = storeKeys();
    const StoreKeyring keyring = keyringWith(std::string(16, 'Z'), keys);
    for (const Receipt& r :
         {longestReceipt(), Receipt{"Z", "0", Dong{0}, 1, 0}, Receipt{"Z", "-", Dong{127}, 128, 127},
          Receipt{"Z", "A-B", Dong{128}, 255, 128}, Receipt{"Z", "X", Dong{16383}, 256, 9999}}) {
        const auto decoded = loyalty::decodeReceiptToken(encodeOk(r, keys));
        ASSERT_TRUE(decoded.has_value()) << r.number;
        EXPECT_EQ(decoded->receipt, r);
    }
    const Receipt longest = longestReceipt();
    const std::string token = encodeOk(longest, keys);
    EXPECT_EQ(token.size(), loyalty::kMaxReceiptTokenChars);
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, longest.issuedAt), longest);
}

TEST(ReceiptToken, IsQrAlphanumericAndSmall) {
    const auto keys = storeKeys();
    const std::string typical = encodeOk(typicalReceipt(), keys);
    const std::string qrAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for (const char c : typical) EXPECT_NE(qrAlphanumeric.find(c), std::string::npos) << c;
    // Measured with libqrencode, alphanumeric mode, error correction M.
    EXPECT_LE(qrVersionAlphanumericM(typical), 7) << typical.size() << " characters";
    EXPECT_GE(qrVersionAlphanumericM(typical), 1);
    const int longest = qrVersionAlphanumericM(encodeOk(longestReceipt(), keys));
    EXPECT_GE(longest, 1);
    EXPECT_LE(longest, 10);
    // Letting the encoder switch to numeric mode for digit runs never makes the code bigger.
    EXPECT_LE(qrVersionOptimised(typical), qrVersionAlphanumericM(typical));
    EXPECT_GE(qrVersionOptimised(typical), 1);
    RecordProperty("typical_chars", static_cast<int>(typical.size()));
    RecordProperty("typical_qr_version_optimised", qrVersionOptimised(typical));
    RecordProperty("typical_qr_version", qrVersionAlphanumericM(typical));
    RecordProperty("longest_qr_version", longest);
}

TEST(ReceiptToken, IgnoresScannerWhitespace) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    EXPECT_EQ(loyalty::verifyReceiptToken(" " + token + "\r\n", keyringWith("HCM001", keys), kIssued),
              typicalReceipt());
}

TEST(ReceiptToken, EncodeRefusesInvalidFields) {
    const auto keys = storeKeys();
    auto with = [](auto change) {
        Receipt r = typicalReceipt();
        change(r);
        return r;
    };
    const std::vector<Receipt> invalid = {
        with([](Receipt& r) { r.store = ""; }),
        with([](Receipt& r) { r.store = std::string(17, 'A'); }),
        with([](Receipt& r) { r.store = "hcm001"; }),
        with([](Receipt& r) { r.store = "HCM 001"; }),
        with([](Receipt& r) { r.store = "HCM/001"; }),
        with([](Receipt& r) { r.number = ""; }),
        with([](Receipt& r) { r.number = std::string(25, '1'); }),
        with([](Receipt& r) { r.number = "12\n3"; }),
        with([](Receipt& r) { r.number = "S\xC3\x90"; }),
        with([](Receipt& r) { r.amount = Dong{-1}; }),
        with([](Receipt& r) { r.amount = Dong{loyalty::kMaxDong.value + 1}; }),
        with([](Receipt& r) { r.items = loyalty::kMaxReceiptItems + 1; }),
        with([](Receipt& r) { r.issuedAt = 0; }),
        with([](Receipt& r) { r.issuedAt = -5; }),
        with([](Receipt& r) { r.issuedAt = loyalty::UnixSeconds{1} << 32; }),
    };
    for (const Receipt& r : invalid) {
        EXPECT_EQ(loyalty::encodeReceiptToken(r, keys), std::unexpected(TokenError::InvalidField))
            << r.store << " " << r.number;
        EXPECT_EQ(loyalty::validateReceiptFields(r), std::unexpected(TokenError::InvalidField));
    }
    EXPECT_TRUE(loyalty::validateReceiptFields(typicalReceipt()).has_value());
    EXPECT_TRUE(loyalty::isValidStoreId("DEV-001"));
    EXPECT_FALSE(loyalty::isValidStoreId("dev001"));
    EXPECT_FALSE(loyalty::isValidStoreId(std::string(17, 'A')));
    EXPECT_TRUE(loyalty::isValidReceiptNumber(std::string(24, '0')));
    EXPECT_FALSE(loyalty::isValidReceiptNumber("A/1"));
}

TEST(ReceiptToken, RefusesOtherQrCodes) {
    for (const std::string_view text :
         {"", "   ", "https://example.vn/?q=1", "00020101021238570010A000000727", "lk1AAAA", "LK", "LKX",
          "K1AAAAAAA"}) {
        EXPECT_EQ(loyalty::decodeReceiptToken(text), std::unexpected(TokenError::NotAReceiptToken)) << text;
    }
}

TEST(ReceiptToken, RefusesMalformedText) {
    const std::string token = encodeOk(typicalReceipt(), storeKeys());
    std::string lower = token;
    lower[10] = 'a';
    EXPECT_EQ(loyalty::decodeReceiptToken(lower), std::unexpected(TokenError::Malformed));
    std::string withEquals = token;
    withEquals[20] = '=';
    EXPECT_EQ(loyalty::decodeReceiptToken(withEquals), std::unexpected(TokenError::Malformed));
    EXPECT_EQ(loyalty::decodeReceiptToken(token.substr(0, 3) + " " + token.substr(3)),
              std::unexpected(TokenError::Malformed));
    EXPECT_EQ(loyalty::decodeReceiptToken("LK1A"), std::unexpected(TokenError::Malformed));
    EXPECT_EQ(loyalty::decodeReceiptToken(token + "A"), std::unexpected(TokenError::Malformed));
}

TEST(ReceiptToken, RefusesOverlongVarints) {
    const auto keys = storeKeys();
    auto payload = typicalPayload();
    // amount 256000 with a redundant zero group: 0x80 0xD0 0x8F 0x00
    const std::vector<std::uint8_t> overlong = {0x80, 0xD0, 0x8F, 0x00};
    payload.erase(payload.begin() + 24, payload.begin() + 27);
    payload.insert(payload.begin() + 24, overlong.begin(), overlong.end());
    EXPECT_EQ(loyalty::decodeReceiptToken(craft(payload, keys)), std::unexpected(TokenError::Malformed));
}

TEST(ReceiptToken, RefusesTruncatedData) {
    const auto keys = storeKeys();
    auto full = typicalPayload();
    const auto signature = loyalty::sign(keys, full);
    full.insert(full.end(), signature.begin(), signature.end());
    // Every cut at a whole byte, from nothing after the prefix to one signature byte missing.
    for (std::size_t size = 0; size < full.size(); ++size) {
        const std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
        const std::string text = "LK1" + loyalty::encodeBase32(cut);
        EXPECT_EQ(loyalty::decodeReceiptToken(text), std::unexpected(TokenError::Truncated)) << size;
    }
}

TEST(ReceiptToken, RefusesOversizedData) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    // One byte more after the signature.
    auto bytes = loyalty::decodeBase32(std::string_view(token).substr(3)).value();
    bytes.push_back(0);
    EXPECT_EQ(loyalty::decodeReceiptToken("LK1" + loyalty::encodeBase32(bytes)),
              std::unexpected(TokenError::Oversized));
    // Longer than the longest valid token, whatever it contains.
    EXPECT_EQ(loyalty::decodeReceiptToken("LK1" + std::string(loyalty::kMaxReceiptTokenChars, 'A')),
              std::unexpected(TokenError::Oversized));
    EXPECT_EQ(loyalty::decodeReceiptToken("LK1" + std::string(100'000, '7')),
              std::unexpected(TokenError::Oversized));
}

TEST(ReceiptToken, RefusesUnsupportedVersions) {
    const auto keys = storeKeys();
    auto payload = typicalPayload();
    payload[0] = 2;
    EXPECT_EQ(loyalty::decodeReceiptToken(craft(payload, keys)),
              std::unexpected(TokenError::UnsupportedVersion));
    payload[0] = 0;
    EXPECT_EQ(loyalty::decodeReceiptToken(craft(payload, keys)),
              std::unexpected(TokenError::UnsupportedVersion));
    const std::string token = encodeOk(typicalReceipt(), keys);
    EXPECT_EQ(loyalty::decodeReceiptToken("LK2" + token.substr(3)),
              std::unexpected(TokenError::UnsupportedVersion));
    EXPECT_EQ(loyalty::decodeReceiptToken("LK0"), std::unexpected(TokenError::UnsupportedVersion));
}

TEST(ReceiptToken, DecodeRefusesInvalidFieldsEvenWhenSigned) {
    const auto keys = storeKeys();
    auto expectInvalid = [&](std::vector<std::uint8_t> payload, const char* what) {
        EXPECT_EQ(loyalty::decodeReceiptToken(craft(std::move(payload), keys)),
                  std::unexpected(TokenError::InvalidField))
            << what;
    };
    auto p = typicalPayload();
    p[1] = 0;  // store length 0: drop the store bytes
    p.erase(p.begin() + 2, p.begin() + 8);
    expectInvalid(p, "empty store");
    p = typicalPayload();
    p[1] = 17;
    expectInvalid(p, "store length 17");
    p = typicalPayload();
    p[2] = 'h';
    expectInvalid(p, "lower-case store");
    p = typicalPayload();
    p[10] = '/';
    expectInvalid(p, "slash in number");
    p = typicalPayload();
    p[8] = 25;
    expectInvalid(p, "number length 25");
    p = typicalPayload();
    p.erase(p.begin() + 24, p.begin() + 27);
    const std::vector<std::uint8_t> tooMuch = {0x81, 0xD0, 0xDB, 0xC3, 0xF4, 0x02};  // kMaxDong + 1
    p.insert(p.begin() + 24, tooMuch.begin(), tooMuch.end());
    expectInvalid(p, "amount above kMaxDong");
    p = typicalPayload();
    std::fill(p.begin() + 27, p.begin() + 31, std::uint8_t{0});
    expectInvalid(p, "time zero");
    p = typicalPayload();
    p.back() = 0x90;  // items 10000 = 0x90 0x4E
    p.push_back(0x4E);
    expectInvalid(p, "items above the limit");
}

TEST(ReceiptToken, RefusesUnknownStore) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    EXPECT_EQ(loyalty::verifyReceiptToken(token, StoreKeyring{}, kIssued),
              std::unexpected(TokenError::UnknownStore));
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyringWith("HCM002", keys), kIssued),
              std::unexpected(TokenError::UnknownStore));
}

TEST(ReceiptToken, RefusesBadSignatures) {
    const auto keys = storeKeys(1);
    const auto other = storeKeys(2);
    // Signed by some other key than the store's.
    EXPECT_EQ(
        loyalty::verifyReceiptToken(encodeOk(typicalReceipt(), other), keyringWith("HCM001", keys), kIssued),
        std::unexpected(TokenError::BadSignature));
    // The amount raised, the original signature kept.
    const auto decoded = loyalty::decodeReceiptToken(encodeOk(typicalReceipt(), keys)).value();
    auto bytes = decoded.signedBytes;
    bytes[26] = 0x10;
    bytes.insert(bytes.end(), decoded.signature.begin(), decoded.signature.end());
    EXPECT_EQ(loyalty::verifyReceiptToken("LK1" + loyalty::encodeBase32(bytes), keyringWith("HCM001", keys),
                                          kIssued),
              std::unexpected(TokenError::BadSignature));
    // A store's key does not vouch for another store's receipts.
    StoreKeyring keyring = keyringWith("HCM001", other);
    keyring.add("HCM002", keys.publicKey());
    EXPECT_EQ(loyalty::verifyReceiptToken(encodeOk(typicalReceipt(), keys), keyring, kIssued),
              std::unexpected(TokenError::BadSignature));
}

TEST(ReceiptToken, AcceptsEveryKeyOfARotatingStore) {
    const auto oldKeys = storeKeys(1);
    const auto newKeys = storeKeys(2);
    StoreKeyring keyring;
    keyring.add("HCM001", oldKeys.publicKey());
    keyring.add("HCM001", newKeys.publicKey());
    keyring.add("HCM001", newKeys.publicKey());
    EXPECT_EQ(keyring.keysFor("HCM001").size(), 2U);
    EXPECT_EQ(keyring.storeCount(), 1U);
    EXPECT_TRUE(keyring.keysFor("HCM00").empty());
    EXPECT_TRUE(
        loyalty::verifyReceiptToken(encodeOk(typicalReceipt(), oldKeys), keyring, kIssued).has_value());
    EXPECT_TRUE(
        loyalty::verifyReceiptToken(encodeOk(typicalReceipt(), newKeys), keyring, kIssued).has_value());
}

TEST(ReceiptToken, RefusesFutureDatedBeyondSkew) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    const StoreKeyring keyring = keyringWith("HCM001", keys);
    const VerifyPolicy policy{.maxAge = std::chrono::days{30}, .maxFutureSkew = std::chrono::minutes{10}};
    EXPECT_TRUE(loyalty::verifyReceiptToken(token, keyring, kIssued - 600, policy).has_value());
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, kIssued - 601, policy),
              std::unexpected(TokenError::FutureDated));
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, 0, policy),
              std::unexpected(TokenError::FutureDated));
}

TEST(ReceiptToken, RefusesExpiredReceipts) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    const StoreKeyring keyring = keyringWith("HCM001", keys);
    const VerifyPolicy policy{.maxAge = std::chrono::days{7}, .maxFutureSkew = std::chrono::minutes{10}};
    const loyalty::UnixSeconds week = 7 * 86'400;
    EXPECT_TRUE(loyalty::verifyReceiptToken(token, keyring, kIssued + week, policy).has_value());
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, kIssued + week + 1, policy),
              std::unexpected(TokenError::Expired));
    // The default policy is 30 days.
    EXPECT_TRUE(loyalty::verifyReceiptToken(token, keyring, kIssued + 30 * 86'400).has_value());
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, kIssued + 30 * 86'400 + 1),
              std::unexpected(TokenError::Expired));
}

TEST(ReceiptToken, SurvivesAbsurdClocksAndPolicies) {
    const auto keys = storeKeys();
    const std::string token = encodeOk(typicalReceipt(), keys);
    const StoreKeyring keyring = keyringWith("HCM001", keys);
    constexpr auto kMin = std::numeric_limits<loyalty::UnixSeconds>::min();
    constexpr auto kMax = std::numeric_limits<loyalty::UnixSeconds>::max();
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, kMin), std::unexpected(TokenError::FutureDated));
    EXPECT_EQ(loyalty::verifyReceiptToken(token, keyring, kMax), std::unexpected(TokenError::Expired));
    const VerifyPolicy lenient{.maxAge = std::chrono::seconds::max(),
                               .maxFutureSkew = std::chrono::seconds::max()};
    EXPECT_TRUE(loyalty::verifyReceiptToken(token, keyring, kMin, lenient).has_value());
    EXPECT_TRUE(loyalty::verifyReceiptToken(token, keyring, kMax, lenient).has_value());
}

TEST(ReceiptToken, EveryErrorHasItsOwnCodeAndDescription) {
    std::set<std::string_view> codes;
    for (int i = 0; i <= static_cast<int>(TokenError::Expired); ++i) {
        const auto error = static_cast<TokenError>(i);
        EXPECT_TRUE(loyalty::tokenErrorCode(error).starts_with("token_"));
        EXPECT_FALSE(loyalty::describe(error).empty());
        codes.insert(loyalty::tokenErrorCode(error));
    }
    EXPECT_EQ(codes.size(), 10U);
    EXPECT_EQ(loyalty::tokenErrorCode(TokenError::Expired), "token_expired");
    EXPECT_EQ(loyalty::tokenErrorCode(TokenError::BadSignature), "token_bad_signature");
}
