#pragma once
// Idempotency keys for calls that change data on central (claims, redemptions): generate one per
// shopper action, store it with the action, and send the same key on every retry.

#include <string>

namespace net {

/// 128 random bits from the OS (/dev/urandom) as 32 lower-case hex characters: unique chain-wide for
/// all practical purposes, and within central's [A-Za-z0-9_-]{1,64}. Thread-safe; may block briefly on
/// the OS random source.
[[nodiscard]] std::string newIdempotencyKey();

}  // namespace net
