#pragma once
// Vouchers: what redeeming a reward gives the shopper, printed as a QR and a human-readable code.
// The complete format, for POS vendors, with a worked example: docs/voucher-qr.md.
//
// The code, e.g. "K7Q2-M9XD": 7 random symbols + 1 check symbol from the 32-symbol alphabet
// "0123456789ABCDEFGHJKMNPQRSTVWXYZ" (Crockford's: no I, L, O, U, so nothing reads like another
// symbol aloud or on paper), grouped 4-4. The check symbol makes  sum(a^i * s_i) = 0  over GF(32)
// (a primitive, i = position), which catches EVERY single mistyped symbol and EVERY swap of two
// adjacent different symbols. Typing is forgiving: lower case, missing or extra dashes and spaces are
// accepted, and I/L read as 1, O as 0 (Crockford's decoding rule).
//
// The QR payload, for a POS to check a voucher offline with the chain's voucher public key:
//     payload = "LV1" base32(body signature)          RFC 4648, upper case, no padding (QR alphanumeric)
//     body    = version:u8 (=1)
//               code:5 bytes                          the 8 symbols' 40 bits, big-endian
//               rewardIdLen:u8 rewardId[rewardIdLen]  1-16 chars of [A-Z0-9-]
//               value:varint                          dong, 0..kMaxDong (LEB128, shortest form)
//               issuedAt:u32 big-endian               Unix seconds
//               expiresAt:u32 big-endian              Unix seconds, > issuedAt
//     signature = Ed25519(voucher secret key of central, body)
// The member's phone and the terms are NOT in the payload (privacy: anyone can read a QR; size).
// Every payload fits QR version 9 at error-correction level M; a short reward id fits version 8.
//
// Whether the voucher was already consumed is central's knowledge, not the payload's: an offline
// check proves authenticity and date only. Pure functions, no I/O, any thread.

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/localized_text.hpp"
#include "loyalty/money.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/reward.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

inline constexpr std::string_view kVoucherPayloadPrefix = "LV1";
inline constexpr std::uint8_t kVoucherPayloadVersion = 1;
inline constexpr std::string_view kVoucherAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random bytes a code is made from (35 of their 40 bits are used).
inline constexpr std::size_t kVoucherCodeRandomBytes = 5;

/// Why a typed code was refused ("voucher_code_…" codes for i18n and the API):
///   WrongLength    not 8 symbols once dashes and spaces are removed
///   BadCharacter   a character outside the alphabet (after the I/L/O mapping), e.g. 'U' or '#'
///   BadCheck       the check symbol does not match: a typo
enum class VoucherCodeError { WrongLength, BadCharacter, BadCheck };
[[nodiscard]] std::string_view voucherCodeErrorCode(VoucherCodeError error);
[[nodiscard]] std::string_view describe(VoucherCodeError error);

/// A valid voucher code in its canonical printed form "XXXX-XXXX". Only makeVoucherCode and
/// parseVoucherCode make one.
class VoucherCode {
  public:
    [[nodiscard]] const std::string& text() const { return m_text; }
    auto operator<=>(const VoucherCode&) const = default;

  private:
    friend VoucherCode makeVoucherCode(std::span<const std::uint8_t, kVoucherCodeRandomBytes>);
    friend std::expected<VoucherCode, VoucherCodeError> parseVoucherCode(std::string_view);
    explicit VoucherCode(std::string text) : m_text(std::move(text)) {}
    std::string m_text;
};

/// A code from random bytes the caller supplies (the domain does no I/O; central uses a CSPRNG and a
/// unique constraint, drawing again on the rare collision).
[[nodiscard]] VoucherCode makeVoucherCode(std::span<const std::uint8_t, kVoucherCodeRandomBytes> random);

/// Normalises and checks what a cashier or shopper typed.
[[nodiscard]] std::expected<VoucherCode, VoucherCodeError> parseVoucherCode(std::string_view typed);

struct Voucher {
    VoucherCode code;
    std::string rewardId;
    Dong value{0};
    UnixSeconds issuedAt = 0;
    UnixSeconds expiresAt = 0;          ///< the first second it is no longer valid
    std::optional<PhoneNumber> member;  ///< not in the QR payload; print it masked
    LocalizedText terms;                ///< not in the QR payload
    bool operator==(const Voucher&) const = default;
};

/// The voucher for redeeming `reward` at `issuedAt`: valid through the end (23:59:59 Vietnam time) of
/// the local day issuedAt + reward.voucherValidityDays.
[[nodiscard]] Voucher issueVoucher(const Reward& reward, const VoucherCode& code, UnixSeconds issuedAt,
                                   std::optional<PhoneNumber> member);

/// The last local day on which a voucher expiring at `expiresAt` is valid: what to print or show as the
/// expiry date ("HSD 23/12/2026"). expiresAt itself is 00:00:00 of the day AFTER, so printing
/// localDate(expiresAt) would promise one day too many.
[[nodiscard]] LocalDate voucherLastValidDay(UnixSeconds expiresAt);

/// Why a scanned payload was refused ("voucher_…" codes for i18n and the API):
///   NotAVoucher        some other QR code (no "LV1" prefix)
///   Malformed          our prefix, but broken text or structure (bad base32, bad field, bad code)
///   UnsupportedVersion a version this software does not know
///   BadSignature       not signed by the chain's voucher key (forged or altered)
///   NotYetValid        issued more than 10 minutes after `now` (a clock problem somewhere)
///   Expired            now >= expiresAt
enum class VoucherError { NotAVoucher, Malformed, UnsupportedVersion, BadSignature, NotYetValid, Expired };
[[nodiscard]] std::string_view voucherErrorCode(VoucherError error);
[[nodiscard]] std::string_view describe(VoucherError error);

/// The signed QR payload. Error: Malformed when the voucher's fields cannot be encoded (invalid reward
/// id, value outside 0..kMaxDong, times outside 1..2^32-1 or expiresAt <= issuedAt).
[[nodiscard]] std::expected<std::string, VoucherError> encodeVoucherPayload(
    const Voucher& voucher, const SigningKeyPair& voucherKeys);

/// Structure, then signature, then dates at `now`; the first failing check is reported. Surrounding
/// ASCII whitespace (a scanner's CR/LF) is ignored. The result has no member and no terms.
[[nodiscard]] std::expected<Voucher, VoucherError> verifyVoucherPayload(std::string_view text,
                                                                        const PublicKey& voucherKey,
                                                                        UnixSeconds now);

}  // namespace loyalty
