#include "loyalty/voucher.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <set>

#include "iso_time.hpp"
#include "loyalty/base32.hpp"
#include "loyalty/time.hpp"
#include "qr_version.hpp"

using loyalty::Dong;
using loyalty::SigningKeyPair;
using loyalty::UnixSeconds;
using loyalty::Voucher;
using loyalty::VoucherCode;
using loyalty::VoucherCodeError;
using loyalty::VoucherError;
using loyalty::test::at;

namespace {

using Random = std::array<std::uint8_t, loyalty::kVoucherCodeRandomBytes>;

VoucherCode codeFrom(std::mt19937& rng) {
    Random bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    return loyalty::makeVoucherCode(bytes);
}

SigningKeyPair keys(std::uint8_t seedByte = 7) {
    loyalty::KeySeed seed{};
    seed.fill(seedByte);
    return SigningKeyPair::fromSeed(seed);
}

const UnixSeconds kIssued = at("2026-11-23T22:00:00+07:00");

Voucher voucher(std::string rewardId = "CAFE-20K") {
    loyalty::Reward reward;
    reward.id = std::move(rewardId);
    reward.value = Dong{20'000};
    reward.voucherValidityDays = 30;
    reward.terms = {"Không quy đổi thành tiền mặt.", "Not exchangeable for cash."};
    return loyalty::issueVoucher(reward, loyalty::makeVoucherCode(Random{0x12, 0x34, 0x56, 0x78, 0x9A}),
                                 kIssued, loyalty::parsePhone("0901234567").value());
}

std::string payload(const Voucher& v, const SigningKeyPair& k = keys()) {
    const auto text = loyalty::encodeVoucherPayload(v, k);
    EXPECT_TRUE(text.has_value());
    return text.value_or("");
}

/// A payload with any body, signed correctly: to reach the checks behind the signature.
std::string signedPayload(std::vector<std::uint8_t> body) {
    const auto signature = loyalty::sign(keys(), body);
    body.insert(body.end(), signature.begin(), signature.end());
    return "LV1" + loyalty::encodeBase32(body);
}

}  // namespace

TEST(VoucherCode, ShortGroupedUnambiguous) {
    std::mt19937 rng(1);
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string text = codeFrom(rng).text();
        ASSERT_EQ(text.size(), 9U);
        EXPECT_EQ(text[4], '-');
        for (const char c : text) {
            if (c != '-') {
                EXPECT_NE(loyalty::kVoucherAlphabet.find(c), std::string_view::npos) << text;
            }
        }
        EXPECT_EQ(text.find_first_of("ILOU"), std::string::npos);
        seen.insert(text);
    }
    EXPECT_EQ(seen.size(), 1000U);
    // Deterministic: the same random bytes give the same code.
    EXPECT_EQ(loyalty::makeVoucherCode(Random{1, 2, 3, 4, 5}),
              loyalty::makeVoucherCode(Random{1, 2, 3, 4, 5}));
}

TEST(VoucherCode, TypingIsForgiving) {
    std::mt19937 rng(2);
    const VoucherCode code = codeFrom(rng);
    std::string typed;
    for (const char c : code.text()) {
        if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    EXPECT_EQ(loyalty::parseVoucherCode(typed), code);
    EXPECT_EQ(loyalty::parseVoucherCode(" " + code.text().substr(0, 2) + " " + code.text().substr(2) + " "),
              code);
    EXPECT_EQ(loyalty::parseVoucherCode(code.text()), code);

    // I and L read as 1, O as 0: find a code with those digits and type the letters instead.
    for (int i = 0; i < 1000; ++i) {
        const VoucherCode candidate = codeFrom(rng);
        std::string text = candidate.text();
        if (text.find('1') == std::string::npos || text.find('0') == std::string::npos) continue;
        text[text.find('1')] = 'l';
        text[text.find('0')] = 'O';
        EXPECT_EQ(loyalty::parseVoucherCode(text), candidate) << text;
        return;
    }
    FAIL() << "no code with both 0 and 1 in 1000 draws";
}

TEST(VoucherCode, RefusesWhatIsNotACode) {
    EXPECT_EQ(loyalty::parseVoucherCode("").error(), VoucherCodeError::WrongLength);
    EXPECT_EQ(loyalty::parseVoucherCode("K7Q2-M9X").error(), VoucherCodeError::WrongLength);
    EXPECT_EQ(loyalty::parseVoucherCode("K7Q2-M9XDD").error(), VoucherCodeError::WrongLength);
    EXPECT_EQ(loyalty::parseVoucherCode("K7Q2-M9XU").error(), VoucherCodeError::BadCharacter);
    EXPECT_EQ(loyalty::parseVoucherCode("K7Q2#M9XD").error(), VoucherCodeError::WrongLength);
    EXPECT_EQ(loyalty::parseVoucherCode("K7Q2*9XD").error(), VoucherCodeError::BadCharacter);
    EXPECT_EQ(loyalty::parseVoucherCode("K7Q2-\xc3\x9c"
                                        "9XD")
                  .error(),
              VoucherCodeError::WrongLength);
    EXPECT_EQ(loyalty::voucherCodeErrorCode(VoucherCodeError::BadCheck), "voucher_code_typo");
    EXPECT_FALSE(loyalty::describe(VoucherCodeError::BadCheck).empty());
}

TEST(VoucherCode, CheckSymbolCatchesEverySingleTypoAndAdjacentSwap) {
    std::mt19937 rng(3);
    int typos = 0;
    int swaps = 0;
    for (int n = 0; n < 300; ++n) {
        const VoucherCode code = codeFrom(rng);
        std::string symbols = code.text();
        symbols.erase(4, 1);
        for (std::size_t i = 0; i < symbols.size(); ++i) {
            for (const char other : loyalty::kVoucherAlphabet) {
                if (other == symbols[i]) continue;
                std::string typo = symbols;
                typo[i] = other;
                ASSERT_EQ(loyalty::parseVoucherCode(typo).error(), VoucherCodeError::BadCheck)
                    << code.text() << " " << typo;
                ++typos;
            }
            if (i + 1 < symbols.size() && symbols[i] != symbols[i + 1]) {
                std::string swapped = symbols;
                std::swap(swapped[i], swapped[i + 1]);
                ASSERT_EQ(loyalty::parseVoucherCode(swapped).error(), VoucherCodeError::BadCheck)
                    << code.text() << " " << swapped;
                ++swaps;
            }
        }
    }
    EXPECT_EQ(typos, 300 * 8 * 31);
    EXPECT_GT(swaps, 300 * 6);
}

TEST(Voucher, IssuedValidThroughTheEndOfTheLastLocalDay) {
    const Voucher v = voucher();
    EXPECT_EQ(v.issuedAt, kIssued);
    EXPECT_EQ(v.expiresAt, at("2026-12-24T00:00:00+07:00"));  // 23/11 + 30 days = 23/12, through 23:59:59
    EXPECT_EQ(loyalty::voucherLastValidDay(v.expiresAt), (loyalty::LocalDate{2026, 12, 23}));
    EXPECT_EQ(v.value, Dong{20'000});
    EXPECT_EQ(v.rewardId, "CAFE-20K");
    ASSERT_TRUE(v.member.has_value());
    EXPECT_EQ(v.member->masked(), "090****567");
    EXPECT_EQ(v.terms.en, "Not exchangeable for cash.");
}

TEST(VoucherPayload, RoundTripsAndFitsASmallQr) {
    const Voucher v = voucher();
    const std::string text = payload(v);
    ASSERT_TRUE(text.starts_with("LV1"));
    const auto verified = loyalty::verifyVoucherPayload(text, keys().publicKey(), kIssued + 60);
    ASSERT_TRUE(verified.has_value()) << loyalty::describe(verified.error());
    EXPECT_EQ(verified->code, v.code);
    EXPECT_EQ(verified->rewardId, v.rewardId);
    EXPECT_EQ(verified->value, v.value);
    EXPECT_EQ(verified->issuedAt, v.issuedAt);
    EXPECT_EQ(verified->expiresAt, v.expiresAt);
    EXPECT_FALSE(verified->member.has_value());  // never in the QR
    EXPECT_TRUE(verified->terms.vi.empty());
    EXPECT_TRUE(loyalty::verifyVoucherPayload("\r\n" + text + "\n", keys().publicKey(), kIssued).has_value());

    const int typical = loyalty::test::qrVersionAlphanumericM(text);
    EXPECT_GE(typical, 1);
    EXPECT_LE(typical, 8) << text.size() << " characters";
    Voucher longest = v;
    longest.rewardId = std::string(loyalty::kMaxRewardIdChars, 'W');
    longest.value = loyalty::kMaxDong;
    longest.expiresAt = 0xFFFF'FFFF;
    const int largest = loyalty::test::qrVersionAlphanumericM(payload(longest));
    EXPECT_GE(largest, 1);
    EXPECT_LE(largest, 9);
}

TEST(VoucherPayload, EveryAlteredCharacterIsRefused) {
    const std::string text = payload(voucher());
    const std::string_view base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (std::size_t i = 3; i < text.size(); ++i) {
        std::string altered = text;
        altered[i] = base32[(base32.find(text[i]) + 1 + i % 31) % 32];
        const auto result = loyalty::verifyVoucherPayload(altered, keys().publicKey(), kIssued);
        ASSERT_FALSE(result.has_value()) << "position " << i;
        EXPECT_TRUE(result.error() == VoucherError::BadSignature ||
                    result.error() == VoucherError::Malformed ||
                    result.error() == VoucherError::UnsupportedVersion)
            << i << " " << loyalty::describe(result.error());
    }
}

TEST(VoucherPayload, EachRefusal) {
    const Voucher v = voucher();
    const std::string text = payload(v);
    const auto key = keys().publicKey();
    const auto error = [&](std::string_view t, UnixSeconds now = kIssued) {
        return loyalty::verifyVoucherPayload(t, key, now).error();
    };
    EXPECT_EQ(error("https://example.com"), VoucherError::NotAVoucher);
    EXPECT_EQ(error(""), VoucherError::NotAVoucher);
    EXPECT_EQ(error("LK1ABCDEFGH"), VoucherError::NotAVoucher);
    EXPECT_EQ(error("LV1"), VoucherError::Malformed);
    EXPECT_EQ(error("LV1abc"), VoucherError::Malformed);
    EXPECT_EQ(error(text.substr(0, text.size() - 8)), VoucherError::Malformed);
    EXPECT_EQ(error(text + "AAAAAAAA"), VoucherError::Malformed);
    EXPECT_EQ(loyalty::verifyVoucherPayload(text, keys(8).publicKey(), kIssued).error(),
              VoucherError::BadSignature);
    EXPECT_EQ(error(payload(v, keys(8))), VoucherError::BadSignature);

    EXPECT_TRUE(loyalty::verifyVoucherPayload(text, key, v.expiresAt - 1).has_value());
    EXPECT_EQ(error(text, v.expiresAt), VoucherError::Expired);
    EXPECT_TRUE(loyalty::verifyVoucherPayload(text, key, kIssued - 600).has_value());
    EXPECT_EQ(error(text, kIssued - 601), VoucherError::NotYetValid);

    EXPECT_EQ(error(signedPayload({2, 0, 0, 0, 0, 0})), VoucherError::UnsupportedVersion);
    EXPECT_EQ(error(signedPayload({1, 0, 0, 0, 0, 0})), VoucherError::Malformed);  // truncated body
    // A correctly signed body whose code fails its check symbol.
    // version, code "0000-0001", reward id "A", value 5, issued 0x69200000, expires 0x69300000.
    EXPECT_EQ(error(signedPayload({1, 0, 0, 0, 0, 1, 1, 'A', 5, 0x69, 0x20, 0, 0, 0x69, 0x30, 0, 0})),
              VoucherError::Malformed);

    EXPECT_EQ(loyalty::voucherErrorCode(VoucherError::Expired), "voucher_expired");
    EXPECT_FALSE(loyalty::describe(VoucherError::BadSignature).empty());
}

TEST(VoucherPayload, RefusesToEncodeWhatCannotTravel) {
    Voucher bad = voucher();
    bad.rewardId = "cafe";
    EXPECT_EQ(loyalty::encodeVoucherPayload(bad, keys()).error(), VoucherError::Malformed);
    bad = voucher();
    bad.value = Dong{-1};
    EXPECT_EQ(loyalty::encodeVoucherPayload(bad, keys()).error(), VoucherError::Malformed);
    bad = voucher();
    bad.expiresAt = bad.issuedAt;
    EXPECT_EQ(loyalty::encodeVoucherPayload(bad, keys()).error(), VoucherError::Malformed);
    bad = voucher();
    bad.expiresAt = std::int64_t{1} << 32;
    EXPECT_EQ(loyalty::encodeVoucherPayload(bad, keys()).error(), VoucherError::Malformed);
}

TEST(VoucherPayload, RandomAndMutatedInputNeverCrashOrPass) {
    std::mt19937 rng(4);
    const auto key = keys().publicKey();
    const std::string good = payload(voucher());
    const auto goodBytes = loyalty::decodeBase32(std::string_view(good).substr(3)).value();
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        if (i % 3 == 0) {
            // Random bytes behind our prefix: structure checks only.
            std::vector<std::uint8_t> bytes(rng() % 140);
            for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
            if (!bytes.empty()) bytes[0] = 1;
            text = "LV1" + loyalty::encodeBase32(bytes);
        } else if (i % 3 == 1) {
            // The real payload with a few bytes changed, cut or extended.
            std::vector<std::uint8_t> bytes = goodBytes;
            for (int n = 0; n < 1 + static_cast<int>(rng() % 3); ++n) {
                bytes[rng() % bytes.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
            }
            if (rng() % 4 == 0) bytes.resize(rng() % bytes.size());
            if (rng() % 4 == 0) bytes.push_back(static_cast<std::uint8_t>(rng()));
            text = "LV1" + loyalty::encodeBase32(bytes);
        } else {
            // Random printable text.
            text = (rng() % 2 == 0 ? "LV1" : "");
            for (std::size_t n = rng() % 200; n > 0; --n) text += static_cast<char>(0x20 + rng() % 95);
        }
        const auto result = loyalty::verifyVoucherPayload(text, key, kIssued);
        EXPECT_FALSE(result.has_value()) << text;
    }
}

TEST(VoucherPayload, TheWorkedExampleOfTheDocsStaysTrue) {
    // docs/voucher-qr.md: POS vendors test their implementation against this; the format must not drift.
    const std::string documented =
        "LV1AGSTZFQPLEEEGQKGIUWTEMCLUCOAC2YD4WOGWK76CD5RNTH7IJAG2FR3SNCMYICWP7PRC5L3LS43RWGA6QANN56J3YWP3LWXM"
        "SVPKZB"
        "3O6NYTOUZ54JO7YWEY5LCDSXB74ZYIP23VJCXI6AO";
    const SigningKeyPair example = keys(0x01);
    EXPECT_EQ(loyalty::formatPublicKey(example.publicKey()),
              "LOYALTY-KIOSK ED25519 PUBLIC KEY\nRKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OA\n");
    loyalty::Reward reward;
    reward.id = "CAFE-20K";
    reward.value = Dong{20'000};
    reward.voucherValidityDays = 30;
    const Voucher v =
        loyalty::issueVoucher(reward, loyalty::makeVoucherCode(Random{0xA5, 0x3C, 0x96, 0x0F, 0x42}),
                              at("2026-11-23T14:05:00+07:00"), std::nullopt);
    EXPECT_EQ(v.code.text(), "MMY9-C3TS");
    EXPECT_EQ(payload(v, example), documented);
    const auto verified =
        loyalty::verifyVoucherPayload(documented, example.publicKey(), at("2026-11-24T00:00:00Z"));
    ASSERT_TRUE(verified.has_value());
    EXPECT_EQ(verified->expiresAt, 1'798'045'200);
}
