// Voucher QR parser and typed voucher codes (loyalty/voucher.hpp): any text a scanner or a cashier
// sends. Invariants: a parsed code prints in its canonical form and parses back to itself; a payload
// that verifies re-encodes to the same text; and a voucher built from the input's bytes survives
// encode → verify unchanged (so every encodable voucher is also readable).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "loyalty/voucher.hpp"

namespace {

const loyalty::SigningKeyPair& fuzzKeys() {
    static const auto keys = loyalty::SigningKeyPair::fromSeed(loyalty::KeySeed{9, 9, 9});
    return keys;
}

constexpr loyalty::UnixSeconds kNow = 1'795'000'000;  // 2026-11-18

void checkTypedCode(std::string_view text) {
    const auto code = loyalty::parseVoucherCode(text);
    if (!code) return;
    FUZZ_CHECK(code->text().size() == 9 && code->text()[4] == '-');
    const auto again = loyalty::parseVoucherCode(code->text());
    FUZZ_CHECK(again.has_value() && *again == *code);
}

void checkPayload(std::string_view text) {
    const auto voucher = loyalty::verifyVoucherPayload(text, fuzzKeys().publicKey(), kNow);
    if (!voucher) return;
    FUZZ_CHECK(!voucher->member.has_value() && voucher->expiresAt > voucher->issuedAt);
    const auto encoded = loyalty::encodeVoucherPayload(*voucher, fuzzKeys());
    FUZZ_CHECK(encoded.has_value());
    const auto trimmed = text.substr(text.find_first_not_of(" \t\r\n"));
    FUZZ_CHECK(trimmed.starts_with(*encoded));
}

/// Reads the next `n` bytes of the input as a little-endian number (zero past the end).
std::uint64_t take(const std::uint8_t*& data, std::size_t& size, std::size_t n) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < n && size > 0; ++i, ++data, --size) value |= std::uint64_t{*data} << (8 * i);
    return value;
}

void checkRoundTrip(const std::uint8_t* data, std::size_t size) {
    if (size < loyalty::kVoucherCodeRandomBytes) return;
    std::array<std::uint8_t, loyalty::kVoucherCodeRandomBytes> random{};
    std::memcpy(random.data(), data, random.size());
    data += random.size();
    size -= random.size();
    const auto code = loyalty::makeVoucherCode(random);
    const auto parsed = loyalty::parseVoucherCode(code.text());
    FUZZ_CHECK(parsed.has_value() && *parsed == code);

    loyalty::Reward reward;
    static constexpr std::string_view kIdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    const auto idLength = 1 + take(data, size, 1) % loyalty::kMaxRewardIdChars;
    for (std::uint64_t i = 0; i < idLength; ++i) reward.id += kIdChars[take(data, size, 1) % kIdChars.size()];
    reward.value =
        loyalty::Dong{static_cast<std::int64_t>(take(data, size, 5) % (loyalty::kMaxDong.value + 1))};
    reward.voucherValidityDays = static_cast<std::uint32_t>(take(data, size, 2) % 3'660);
    const auto issuedAt = static_cast<loyalty::UnixSeconds>(1 + take(data, size, 4) % 3'000'000'000);
    const auto voucher = loyalty::issueVoucher(reward, code, issuedAt, std::nullopt);
    const auto encoded = loyalty::encodeVoucherPayload(voucher, fuzzKeys());
    if (!encoded) {
        // Only a voucher expiring past 2^32-1 may be refused (documented limit of the payload).
        FUZZ_CHECK(voucher.expiresAt > 0xFFFF'FFFF);
        return;
    }
    const auto verified = loyalty::verifyVoucherPayload(*encoded, fuzzKeys().publicKey(), issuedAt);
    FUZZ_CHECK(verified.has_value());
    FUZZ_CHECK(verified->code == voucher.code && verified->rewardId == voucher.rewardId &&
               verified->value == voucher.value && verified->issuedAt == voucher.issuedAt &&
               verified->expiresAt == voucher.expiresAt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    checkTypedCode(text);
    if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) checkPayload(text);
    checkRoundTrip(data, size);
    return 0;
}
