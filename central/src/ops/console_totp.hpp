#pragma once
// A console account's second factor (docs/console.md): TOTP (RFC 6238) over HOTP (RFC 4226) with
// HMAC-SHA-1, 6 digits and 30 s steps — what authenticator apps use when an otpauth:// link says
// nothing else. HMAC-SHA-1 is OpenSSL's (libcrypto): libsodium has no SHA-1. Private to
// central_core.
//
// A secret is 20 random bytes (RFC 4226's recommended length; randomBase32(kTotpSecretBytes)), kept
// and given to the app as base32 without padding.
//
// Threads: any (pure functions).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/receipt.hpp"

namespace central {

inline constexpr loyalty::UnixSeconds kTotpStepSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;

/// HOTP(secret, counter) as `digits` decimal digits, zero-padded; `secret` is the raw key.
[[nodiscard]] std::string hotp(std::string_view secret, std::uint64_t counter, int digits = 6);

/// The time step `code` is right for with `secret` (base32) at `now`, one step either side allowed
/// for clock drift, and later than `usedStep` (a code works once: a step, once used, is spent);
/// nullopt when none is (a malformed code or secret included).
[[nodiscard]] std::optional<std::int64_t> acceptedTotpStep(std::string_view secret, std::string_view code,
                                                           loyalty::UnixSeconds now, std::int64_t usedStep);

/// otpauth://totp/ISSUER:USER?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30 (Key URI
/// Format), `issuer` and `username` percent-encoded.
[[nodiscard]] std::string otpauthUri(std::string_view issuer, std::string_view username,
                                     std::string_view secret);

}  // namespace central
