#include "loyalty/receipt_token.hpp"

#include <algorithm>
#include <limits>

#include "loyalty/base32.hpp"
#include "loyalty/varint.hpp"

namespace loyalty {

namespace {

constexpr std::size_t kLongestPayload = 1 + 1 + kMaxStoreIdChars + 1 + kMaxReceiptNumberChars +
                                        6 /* varint of kMaxDong */ + 4 + 2 /* varint of kMaxReceiptItems */;
static_assert(kMaxReceiptTokenChars ==
              kReceiptTokenPrefix.size() + base32Length(kLongestPayload + kSignatureBytes));

bool isIdText(std::string_view s, std::size_t maxChars) {
    if (s.empty() || s.size() > maxChars) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string_view trimAscii(std::string_view s) {
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

std::vector<std::uint8_t> payloadOf(const Receipt& receipt) {
    std::vector<std::uint8_t> out;
    out.reserve(kLongestPayload);
    out.push_back(kReceiptTokenVersion);
    out.push_back(static_cast<std::uint8_t>(receipt.store.size()));
    out.insert(out.end(), receipt.store.begin(), receipt.store.end());
    out.push_back(static_cast<std::uint8_t>(receipt.number.size()));
    out.insert(out.end(), receipt.number.begin(), receipt.number.end());
    appendVarint(out, static_cast<std::uint64_t>(receipt.amount.value));
    const auto issued = static_cast<std::uint32_t>(receipt.issuedAt);
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(issued >> shift));
    appendVarint(out, receipt.items);
    return out;
}

TokenError fromVarint(VarintError error) {
    return error == VarintError::Truncated ? TokenError::Truncated : TokenError::Malformed;
}

/// Reads a length-prefixed id; a length outside 1..maxChars is an invalid field, not a structure error,
/// because the structure around it is still well-defined.
std::expected<std::string, TokenError> readId(std::span<const std::uint8_t> bytes, std::size_t& pos,
                                              std::size_t maxChars) {
    if (pos >= bytes.size()) return std::unexpected(TokenError::Truncated);
    const std::size_t length = bytes[pos];
    if (length == 0 || length > maxChars) return std::unexpected(TokenError::InvalidField);
    if (bytes.size() - pos - 1 < length) return std::unexpected(TokenError::Truncated);
    std::string id(bytes.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                   bytes.begin() + static_cast<std::ptrdiff_t>(pos + 1 + length));
    if (!isIdText(id, maxChars)) return std::unexpected(TokenError::InvalidField);
    pos += 1 + length;
    return id;
}

}  // namespace

std::string_view tokenErrorCode(TokenError error) {
    switch (error) {
        case TokenError::NotAReceiptToken:
            return "token_not_receipt";
        case TokenError::Malformed:
            return "token_malformed";
        case TokenError::Truncated:
            return "token_truncated";
        case TokenError::Oversized:
            return "token_oversized";
        case TokenError::UnsupportedVersion:
            return "token_unsupported_version";
        case TokenError::InvalidField:
            return "token_invalid_field";
        case TokenError::BadSignature:
            return "token_bad_signature";
        case TokenError::UnknownStore:
            return "token_unknown_store";
        case TokenError::FutureDated:
            return "token_future_dated";
        case TokenError::Expired:
            return "token_expired";
    }
    return "token_unknown_error";
}

std::string_view describe(TokenError error) {
    switch (error) {
        case TokenError::NotAReceiptToken:
            return "not a receipt code (it does not start with LK1)";
        case TokenError::Malformed:
            return "receipt code is damaged (not valid base32 or a broken structure)";
        case TokenError::Truncated:
            return "receipt code is cut short (data ends before the signature)";
        case TokenError::Oversized:
            return "receipt code is longer than any valid receipt code";
        case TokenError::UnsupportedVersion:
            return "receipt code uses a format version this software does not know";
        case TokenError::InvalidField:
            return "receipt code carries an out-of-range field (store id, receipt number, amount, items "
                   "or time)";
        case TokenError::BadSignature:
            return "receipt signature does not match: forged or altered receipt";
        case TokenError::UnknownStore:
            return "receipt is from a store whose key is not known";
        case TokenError::FutureDated:
            return "receipt is dated in the future (check the POS and kiosk clocks)";
        case TokenError::Expired:
            return "receipt is older than the campaign accepts";
    }
    return "unknown receipt token error";
}

bool isValidStoreId(std::string_view store) {
    return isIdText(store, kMaxStoreIdChars);
}

bool isValidReceiptNumber(std::string_view number) {
    return isIdText(number, kMaxReceiptNumberChars);
}

std::expected<void, TokenError> validateReceiptFields(const Receipt& receipt) {
    if (!isValidStoreId(receipt.store) || !isValidReceiptNumber(receipt.number) || receipt.amount.value < 0 ||
        receipt.amount > kMaxDong || receipt.items > kMaxReceiptItems || receipt.issuedAt < 1 ||
        receipt.issuedAt > std::numeric_limits<std::uint32_t>::max()) {
        return std::unexpected(TokenError::InvalidField);
    }
    return {};
}

std::expected<std::string, TokenError> encodeReceiptToken(const Receipt& receipt,
                                                          const SigningKeyPair& storeKeys) {
    if (auto valid = validateReceiptFields(receipt); !valid) return std::unexpected(valid.error());
    std::vector<std::uint8_t> bytes = payloadOf(receipt);
    const Signature signature = sign(storeKeys, bytes);
    bytes.insert(bytes.end(), signature.begin(), signature.end());
    return std::string(kReceiptTokenPrefix) + encodeBase32(bytes);
}

std::expected<DecodedReceiptToken, TokenError> decodeReceiptToken(std::string_view text) {
    text = trimAscii(text);
    if (!text.starts_with(kReceiptTokenPrefix)) {
        // "LK" and a digit is our family with another version digit in the prefix.
        const bool ourFamily = text.size() >= 3 && text.starts_with("LK") && text[2] >= '0' && text[2] <= '9';
        return std::unexpected(ourFamily ? TokenError::UnsupportedVersion : TokenError::NotAReceiptToken);
    }
    if (text.size() > kMaxReceiptTokenChars) return std::unexpected(TokenError::Oversized);
    const auto decoded = decodeBase32(text.substr(kReceiptTokenPrefix.size()));
    if (!decoded) return std::unexpected(TokenError::Malformed);
    const std::span<const std::uint8_t> bytes = *decoded;

    std::size_t pos = 0;
    if (bytes.empty()) return std::unexpected(TokenError::Truncated);
    if (bytes[pos++] != kReceiptTokenVersion) return std::unexpected(TokenError::UnsupportedVersion);

    DecodedReceiptToken out;
    auto store = readId(bytes, pos, kMaxStoreIdChars);
    if (!store) return std::unexpected(store.error());
    out.receipt.store = std::move(*store);
    auto number = readId(bytes, pos, kMaxReceiptNumberChars);
    if (!number) return std::unexpected(number.error());
    out.receipt.number = std::move(*number);

    const auto amount = readVarint(bytes, pos);
    if (!amount) return std::unexpected(fromVarint(amount.error()));
    if (*amount > static_cast<std::uint64_t>(kMaxDong.value))
        return std::unexpected(TokenError::InvalidField);
    out.receipt.amount = Dong{static_cast<std::int64_t>(*amount)};

    if (bytes.size() - pos < 4) return std::unexpected(TokenError::Truncated);
    std::uint32_t issued = 0;
    for (int i = 0; i < 4; ++i) issued = (issued << 8) | bytes[pos++];
    if (issued == 0) return std::unexpected(TokenError::InvalidField);
    out.receipt.issuedAt = issued;

    const auto items = readVarint(bytes, pos);
    if (!items) return std::unexpected(fromVarint(items.error()));
    if (*items > kMaxReceiptItems) return std::unexpected(TokenError::InvalidField);
    out.receipt.items = static_cast<std::uint32_t>(*items);

    const std::size_t left = bytes.size() - pos;
    if (left < kSignatureBytes) return std::unexpected(TokenError::Truncated);
    if (left > kSignatureBytes) return std::unexpected(TokenError::Oversized);
    out.signedBytes.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(pos));
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(pos), bytes.end(), out.signature.begin());
    return out;
}

void StoreKeyring::add(std::string_view store, const PublicKey& key) {
    auto it = m_keys.find(store);
    if (it == m_keys.end()) it = m_keys.emplace(std::string(store), std::vector<PublicKey>{}).first;
    if (std::find(it->second.begin(), it->second.end(), key) == it->second.end()) it->second.push_back(key);
}

std::span<const PublicKey> StoreKeyring::keysFor(std::string_view store) const {
    const auto it = m_keys.find(store);
    if (it == m_keys.end()) return {};
    return it->second;
}

std::expected<Receipt, TokenError> verifyReceiptToken(std::string_view text, const StoreKeyring& keyring,
                                                      UnixSeconds now, const VerifyPolicy& policy) {
    auto decoded = decodeReceiptToken(text);
    if (!decoded) return std::unexpected(decoded.error());
    const auto keys = keyring.keysFor(decoded->receipt.store);
    if (keys.empty()) return std::unexpected(TokenError::UnknownStore);
    const bool signedByStore = std::any_of(keys.begin(), keys.end(), [&](const PublicKey& key) {
        return verify(key, decoded->signedBytes, decoded->signature);
    });
    if (!signedByStore) return std::unexpected(TokenError::BadSignature);
    // issuedAt fits 32 bits; clamping `now` far outside any real clock keeps the differences below
    // from overflowing whatever a caller passes.
    constexpr UnixSeconds kClockLimit = UnixSeconds{1} << 40;
    const UnixSeconds at = std::clamp(now, -kClockLimit, kClockLimit);
    const UnixSeconds issued = decoded->receipt.issuedAt;
    if (issued - at > policy.maxFutureSkew.count()) return std::unexpected(TokenError::FutureDated);
    if (at - issued > policy.maxAge.count()) return std::unexpected(TokenError::Expired);
    return std::move(decoded->receipt);
}

}  // namespace loyalty
