#pragma once
// The signed receipt QR: what a shop's POS prints and what the kiosk and the central service verify.
// The complete format, for POS vendors, is in docs/receipt-qr.md. In short:
//
//     token   = "LK1" base32(payload signature)     RFC 4648 alphabet, upper case, no padding
//     payload = version:u8 (=1)
//               storeLen:u8 store[storeLen]         1-16 chars of [A-Z0-9-]
//               numberLen:u8 number[numberLen]      1-24 chars of [A-Z0-9-]
//               amount:varint                       dong, 0..kMaxDong (LEB128, shortest form)
//               issuedAt:u32 big-endian             Unix seconds, UTC, 1..2^32-1
//               items:varint                        0..kMaxReceiptItems
//     signature = Ed25519(store secret key, payload)  64 bytes
//
// Every character of a token is in the QR alphanumeric set; a typical receipt fits QR version 7 at
// error-correction level M, the longest allowed fields version 8 (tests measure it).
//
// Pure functions, no I/O, callable from any thread. Tokens are scanned from paper: every input is
// treated as hostile, refused with a distinct TokenError, never a crash.

#include <chrono>
#include <cstdint>
#include <expected>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/receipt.hpp"
#include "loyalty/signing.hpp"

namespace loyalty {

inline constexpr std::string_view kReceiptTokenPrefix = "LK1";
inline constexpr std::uint8_t kReceiptTokenVersion = 1;
inline constexpr std::size_t kMaxStoreIdChars = 16;
inline constexpr std::size_t kMaxReceiptNumberChars = 24;
inline constexpr std::uint32_t kMaxReceiptItems = 9'999;
/// The longest token a valid receipt produces (longest fields, largest amount): 194 characters.
inline constexpr std::size_t kMaxReceiptTokenChars = 194;

/// Why a token was refused. Each has a stable machine code (tokenErrorCode) that the kiosk maps to a
/// shopper-facing text in assets/i18n and that the central API returns:
///   NotAReceiptToken   "token_not_receipt"         some other QR code (a URL, a payment code, ...)
///   Malformed          "token_malformed"           our prefix, but the text/structure is broken
///   Truncated          "token_truncated"           the data ends before the signature does
///   Oversized          "token_oversized"           longer than any valid token / bytes after signature
///   UnsupportedVersion "token_unsupported_version" a format version this software does not know
///   InvalidField       "token_invalid_field"       store, number, amount, items or time out of range
///   BadSignature       "token_bad_signature"       not signed by any key of that store (forged/altered)
///   UnknownStore       "token_unknown_store"       no key known for the store id
///   FutureDated        "token_future_dated"        issued later than now + allowed clock skew
///   Expired            "token_expired"             older than the allowed receipt age
enum class TokenError {
    NotAReceiptToken,
    Malformed,
    Truncated,
    Oversized,
    UnsupportedVersion,
    InvalidField,
    BadSignature,
    UnknownStore,
    FutureDated,
    Expired,
};

[[nodiscard]] std::string_view tokenErrorCode(TokenError error);
/// English description for logs and the CLI (not for shoppers: use the code and assets/i18n).
[[nodiscard]] std::string_view describe(TokenError error);

/// A store id: 1-kMaxStoreIdChars characters of [A-Z0-9-].
[[nodiscard]] bool isValidStoreId(std::string_view store);
/// A receipt number: 1-kMaxReceiptNumberChars characters of [A-Z0-9-].
[[nodiscard]] bool isValidReceiptNumber(std::string_view number);

/// Checks the fields a token can carry (charset and length of store id and number, amount in
/// 0..kMaxDong, items in 0..kMaxReceiptItems, issuedAt in 1..2^32-1). Error: InvalidField.
[[nodiscard]] std::expected<void, TokenError> validateReceiptFields(const Receipt& receipt);

/// Builds and signs the token of `receipt` with the store's key pair. Error: InvalidField.
[[nodiscard]] std::expected<std::string, TokenError> encodeReceiptToken(const Receipt& receipt,
                                                                        const SigningKeyPair& storeKeys);

/// A token taken apart, signature NOT checked.
struct DecodedReceiptToken {
    Receipt receipt;
    std::vector<std::uint8_t> signedBytes;  ///< the payload the signature covers
    Signature signature{};
};

/// Structure only: takes a scanned text apart (surrounding ASCII whitespace such as a scanner's CR/LF
/// is ignored) and validates the fields. Says nothing about authenticity: use verifyReceiptToken.
[[nodiscard]] std::expected<DecodedReceiptToken, TokenError> decodeReceiptToken(std::string_view text);

/// The public keys of the stores whose receipts are accepted. A store may have several keys at once
/// (key rotation: the old key stays until its receipts have aged out). A plain value; not
/// synchronised — build it, then share it read-only between threads.
class StoreKeyring {
  public:
    /// Adds a key for `store`; adding the same key twice is a no-op.
    void add(std::string_view store, const PublicKey& key);
    /// The keys of `store`, empty if unknown. Valid until the next add().
    [[nodiscard]] std::span<const PublicKey> keysFor(std::string_view store) const;
    [[nodiscard]] std::size_t storeCount() const { return m_keys.size(); }

  private:
    std::map<std::string, std::vector<PublicKey>, std::less<>> m_keys;
};

/// How old and how far in the future a receipt may be. Ages are inclusive: a receipt exactly
/// maxAge old is accepted, one second more is Expired.
struct VerifyPolicy {
    std::chrono::seconds maxAge = std::chrono::days{30};
    /// Tolerance for a POS clock running ahead of ours.
    std::chrono::seconds maxFutureSkew = std::chrono::minutes{10};
};

/// Decodes, checks the signature against the store's keys, then the age at `now` (Unix seconds).
/// Checks run in this order, so the first failing one is reported: structure and fields, unknown
/// store, signature, future date, age.
[[nodiscard]] std::expected<Receipt, TokenError> verifyReceiptToken(std::string_view text,
                                                                    const StoreKeyring& keyring,
                                                                    UnixSeconds now,
                                                                    const VerifyPolicy& policy = {});

}  // namespace loyalty
