#pragma once
// Signed webhooks between central and a notification provider, both ways (docs/notifications.md,
// "Signing"): HMAC-SHA256 with a shared secret over "<unix seconds>.<body>", sent as the header
// "X-Loyalty-Signature: t=<unix seconds>,v1=<64 hex digits>". The receiver refuses a timestamp more
// than kWebhookWindowSeconds from its own clock, so a captured request cannot be replayed later.
// Pure functions; any thread.

#include <expected>
#include <string>
#include <string_view>

#include "loyalty/clock.hpp"

namespace loyalty {

inline constexpr const char* kWebhookSignatureHeader = "X-Loyalty-Signature";
inline constexpr UnixSeconds kWebhookWindowSeconds = 300;

/// The header value signing `body` at `at`.
[[nodiscard]] std::string signWebhook(std::string_view secret, UnixSeconds at, std::string_view body);

/// Checks a header value against `body` at the receiver's `now`; the reason when it fails.
[[nodiscard]] std::expected<void, std::string> verifyWebhook(std::string_view secret, std::string_view header,
                                                             std::string_view body, UnixSeconds now);

}  // namespace loyalty
