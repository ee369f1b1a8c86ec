#include "loyalty/voucher.hpp"

#include <algorithm>
#include <vector>

#include "loyalty/base32.hpp"
#include "loyalty/time.hpp"
#include "loyalty/varint.hpp"

namespace loyalty {
namespace {

constexpr std::size_t kCodeSymbols = 8;
constexpr std::size_t kCodeBytes = 5;  // 8 symbols x 5 bits
constexpr UnixSeconds kMaxFutureSkew = 10 * 60;
constexpr std::uint64_t kMaxU32 = 0xFFFF'FFFF;

// GF(32) with the primitive polynomial x^5 + x^2 + 1: a = x generates all 31 non-zero elements, so
// the weights a^0..a^7 are distinct and non-zero, and a^i + a^(i+1) = a^i (1 + a) is never zero. That
// is what makes every single substitution and every adjacent transposition change the checksum.
std::uint8_t gfMultiply(std::uint8_t x, std::uint8_t y) {
    std::uint8_t product = 0;
    for (unsigned bit = 0; bit < 5; ++bit) {
        if ((unsigned{y} >> bit) & 1U) product ^= x;
        x = static_cast<std::uint8_t>(x << 1);
        if (x & 0x20U) x ^= 0x25U;
    }
    return product;
}

std::uint8_t gfPower(int exponent) {
    std::uint8_t result = 1;
    for (int i = 0; i < exponent; ++i) result = gfMultiply(result, 2);
    return result;
}

std::uint8_t gfInverse(std::uint8_t x) {
    // x^31 = 1 for every non-zero x, so x^30 is its inverse.
    std::uint8_t result = 1;
    for (int i = 0; i < 30; ++i) result = gfMultiply(result, x);
    return result;
}

/// sum of a^i * symbol_i over the first `count` symbols.
std::uint8_t weightedSum(std::span<const std::uint8_t> symbols) {
    std::uint8_t sum = 0;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        sum ^= gfMultiply(gfPower(static_cast<int>(i)), symbols[i]);
    }
    return sum;
}

std::string codeText(const std::array<std::uint8_t, kCodeSymbols>& symbols) {
    std::string text;
    for (std::size_t i = 0; i < kCodeSymbols; ++i) {
        if (i == 4) text += '-';
        text += kVoucherAlphabet[symbols[i]];
    }
    return text;
}

std::optional<std::uint8_t> symbolOf(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    const std::size_t at = kVoucherAlphabet.find(c);
    if (at == std::string_view::npos) return std::nullopt;
    return static_cast<std::uint8_t>(at);
}

std::array<std::uint8_t, kCodeSymbols> symbolsOf(const VoucherCode& code) {
    std::array<std::uint8_t, kCodeSymbols> symbols{};
    std::size_t n = 0;
    for (const char c : code.text()) {
        if (c != '-') symbols[n++] = *symbolOf(c);
    }
    return symbols;
}

void appendU32(std::vector<std::uint8_t>& out, std::uint64_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// A cursor over untrusted bytes: every read checks the remaining length.
class Reader {
  public:
    explicit Reader(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
    std::optional<std::uint8_t> byte() {
        if (m_pos >= m_bytes.size()) return std::nullopt;
        return m_bytes[m_pos++];
    }
    std::optional<std::span<const std::uint8_t>> take(std::size_t n) {
        if (m_bytes.size() - m_pos < n) return std::nullopt;
        const auto part = m_bytes.subspan(m_pos, n);
        m_pos += n;
        return part;
    }
    std::optional<std::uint64_t> u32() {
        const auto part = take(4);
        if (!part) return std::nullopt;
        std::uint64_t value = 0;
        for (const std::uint8_t b : *part) value = value << 8 | b;
        return value;
    }
    std::optional<std::uint64_t> varint() {
        auto value = readVarint(m_bytes, m_pos);
        if (!value) return std::nullopt;
        return *value;
    }
    [[nodiscard]] std::size_t position() const { return m_pos; }
    [[nodiscard]] std::size_t remaining() const { return m_bytes.size() - m_pos; }

  private:
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
};

bool encodable(const Voucher& voucher) {
    return isValidRewardId(voucher.rewardId) && voucher.value.value >= 0 && voucher.value <= kMaxDong &&
           voucher.issuedAt >= 1 && static_cast<std::uint64_t>(voucher.issuedAt) <= kMaxU32 &&
           voucher.expiresAt > voucher.issuedAt && static_cast<std::uint64_t>(voucher.expiresAt) <= kMaxU32;
}

std::string_view trimAscii(std::string_view text) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace

VoucherCode makeVoucherCode(std::span<const std::uint8_t, kVoucherCodeRandomBytes> random) {
    std::uint64_t bits = 0;
    for (const std::uint8_t b : random) bits = bits << 8 | b;
    std::array<std::uint8_t, kCodeSymbols> symbols{};
    for (std::size_t i = 0; i < kCodeSymbols - 1; ++i) {
        symbols[i] = static_cast<std::uint8_t>(bits >> (35 - 5 * i) & 0x1FU);
    }
    const std::uint8_t partial = weightedSum(std::span(symbols).first(kCodeSymbols - 1));
    symbols[kCodeSymbols - 1] = gfMultiply(partial, gfInverse(gfPower(kCodeSymbols - 1)));
    return VoucherCode(codeText(symbols));
}

std::string_view voucherCodeErrorCode(VoucherCodeError error) {
    switch (error) {
        case VoucherCodeError::WrongLength:
            return "voucher_code_wrong_length";
        case VoucherCodeError::BadCharacter:
            return "voucher_code_bad_character";
        case VoucherCodeError::BadCheck:
            return "voucher_code_typo";
    }
    return "voucher_code_invalid";
}

std::string_view describe(VoucherCodeError error) {
    switch (error) {
        case VoucherCodeError::WrongLength:
            return "a voucher code has 8 characters, such as K7Q2-M9XD";
        case VoucherCodeError::BadCharacter:
            return "a voucher code has only digits and the letters A-Z without U";
        case VoucherCodeError::BadCheck:
            return "the voucher code is mistyped (its check character does not match)";
    }
    return "invalid voucher code";
}

std::expected<VoucherCode, VoucherCodeError> parseVoucherCode(std::string_view typed) {
    std::vector<std::uint8_t> symbols;
    bool badCharacter = false;
    for (const char c : typed) {
        if (c == '-' || c == ' ') continue;
        const auto symbol = symbolOf(c);
        if (!symbol) badCharacter = true;
        symbols.push_back(symbol.value_or(0));
    }
    if (symbols.size() != kCodeSymbols) return std::unexpected(VoucherCodeError::WrongLength);
    if (badCharacter) return std::unexpected(VoucherCodeError::BadCharacter);
    if (weightedSum(symbols) != 0) return std::unexpected(VoucherCodeError::BadCheck);
    std::array<std::uint8_t, kCodeSymbols> fixed{};
    std::copy(symbols.begin(), symbols.end(), fixed.begin());
    return VoucherCode(codeText(fixed));
}

Voucher issueVoucher(const Reward& reward, const VoucherCode& code, UnixSeconds issuedAt,
                     std::optional<PhoneNumber> member) {
    const LocalDate lastDay = addDays(localDate(issuedAt), reward.voucherValidityDays);
    return Voucher{code,
                   reward.id,
                   reward.value,
                   issuedAt,
                   startOfLocalDay(addDays(lastDay, 1)),
                   std::move(member),
                   reward.terms};
}

LocalDate voucherLastValidDay(UnixSeconds expiresAt) {
    return localDate(expiresAt - 1);
}

std::string_view voucherErrorCode(VoucherError error) {
    switch (error) {
        case VoucherError::NotAVoucher:
            return "voucher_not_voucher";
        case VoucherError::Malformed:
            return "voucher_malformed";
        case VoucherError::UnsupportedVersion:
            return "voucher_unsupported_version";
        case VoucherError::BadSignature:
            return "voucher_bad_signature";
        case VoucherError::NotYetValid:
            return "voucher_not_yet_valid";
        case VoucherError::Expired:
            return "voucher_expired";
    }
    return "voucher_invalid";
}

std::string_view describe(VoucherError error) {
    switch (error) {
        case VoucherError::NotAVoucher:
            return "this is not a loyalty voucher code";
        case VoucherError::Malformed:
            return "the voucher code is damaged or incomplete";
        case VoucherError::UnsupportedVersion:
            return "the voucher uses a format version this software does not know";
        case VoucherError::BadSignature:
            return "the voucher is not signed by this chain (forged or altered)";
        case VoucherError::NotYetValid:
            return "the voucher is dated in the future (check the clock)";
        case VoucherError::Expired:
            return "the voucher has expired";
    }
    return "invalid voucher";
}

std::expected<std::string, VoucherError> encodeVoucherPayload(const Voucher& voucher,
                                                              const SigningKeyPair& voucherKeys) {
    if (!encodable(voucher)) return std::unexpected(VoucherError::Malformed);
    std::vector<std::uint8_t> body;
    body.push_back(kVoucherPayloadVersion);
    std::uint64_t bits = 0;
    for (const std::uint8_t symbol : symbolsOf(voucher.code)) bits = bits << 5 | symbol;
    for (int shift = 32; shift >= 0; shift -= 8) body.push_back(static_cast<std::uint8_t>(bits >> shift));
    body.push_back(static_cast<std::uint8_t>(voucher.rewardId.size()));
    body.insert(body.end(), voucher.rewardId.begin(), voucher.rewardId.end());
    appendVarint(body, static_cast<std::uint64_t>(voucher.value.value));
    appendU32(body, static_cast<std::uint64_t>(voucher.issuedAt));
    appendU32(body, static_cast<std::uint64_t>(voucher.expiresAt));
    const Signature signature = sign(voucherKeys, body);
    body.insert(body.end(), signature.begin(), signature.end());
    return std::string(kVoucherPayloadPrefix) + encodeBase32(body);
}

std::expected<Voucher, VoucherError> verifyVoucherPayload(std::string_view text, const PublicKey& voucherKey,
                                                          UnixSeconds now) {
    text = trimAscii(text);
    if (!text.starts_with(kVoucherPayloadPrefix)) return std::unexpected(VoucherError::NotAVoucher);
    const auto bytes = decodeBase32(text.substr(kVoucherPayloadPrefix.size()));
    if (!bytes) return std::unexpected(VoucherError::Malformed);

    Reader reader(*bytes);
    const auto version = reader.byte();
    if (!version) return std::unexpected(VoucherError::Malformed);
    if (*version != kVoucherPayloadVersion) return std::unexpected(VoucherError::UnsupportedVersion);
    const auto codeBytes = reader.take(kCodeBytes);
    const auto idLength = reader.byte();
    const auto id = idLength ? reader.take(*idLength) : std::nullopt;
    const auto value = id ? reader.varint() : std::nullopt;
    const auto issuedAt = value ? reader.u32() : std::nullopt;
    const auto expiresAt = issuedAt ? reader.u32() : std::nullopt;
    const std::size_t bodyLength = reader.position();
    const auto signatureBytes = expiresAt ? reader.take(kSignatureBytes) : std::nullopt;
    if (!codeBytes || !signatureBytes || reader.remaining() != 0)
        return std::unexpected(VoucherError::Malformed);

    std::uint64_t bits = 0;
    for (const std::uint8_t b : *codeBytes) bits = bits << 8 | b;
    std::string codeTyped;
    for (std::size_t i = 0; i < kCodeSymbols; ++i)
        codeTyped += kVoucherAlphabet[bits >> (35 - 5 * i) & 0x1FU];
    const auto code = parseVoucherCode(codeTyped);
    if (!code || *value > static_cast<std::uint64_t>(kMaxDong.value)) {
        return std::unexpected(VoucherError::Malformed);
    }
    const Voucher voucher{*code,
                          std::string(id->begin(), id->end()),
                          Dong{static_cast<std::int64_t>(*value)},
                          static_cast<UnixSeconds>(*issuedAt),
                          static_cast<UnixSeconds>(*expiresAt),
                          std::nullopt,
                          {}};
    if (!encodable(voucher)) return std::unexpected(VoucherError::Malformed);

    Signature signature{};
    std::copy(signatureBytes->begin(), signatureBytes->end(), signature.begin());
    if (!verify(voucherKey, std::span(*bytes).first(bodyLength), signature)) {
        return std::unexpected(VoucherError::BadSignature);
    }
    if (voucher.issuedAt > now + kMaxFutureSkew) return std::unexpected(VoucherError::NotYetValid);
    if (now >= voucher.expiresAt) return std::unexpected(VoucherError::Expired);
    return voucher;
}

}  // namespace loyalty
