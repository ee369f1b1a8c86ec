#pragma once
// The JSON side of the API's bodies: strict field readers (a missing field, a wrong type, an
// out-of-range value is a 400 naming the field), and the JSON shapes of tiers and rewards. Private to
// central_core.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "central/api_error.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/reward.hpp"
#include "loyalty/tier.hpp"

namespace central {

using Json = nlohmann::json;

// Strict field readers: a missing field, a wrong type, an out-of-range value → 400 invalid_field.
[[nodiscard]] std::expected<std::string, ApiError> requireString(const Json& object, const char* name,
                                                                 std::size_t maxChars);
[[nodiscard]] std::expected<std::optional<std::string>, ApiError> optionalString(const Json& object,
                                                                                 const char* name,
                                                                                 std::size_t maxChars);
[[nodiscard]] std::expected<std::int64_t, ApiError> requireInt(const Json& object, const char* name,
                                                               std::int64_t min, std::int64_t max);
[[nodiscard]] std::expected<std::optional<std::int64_t>, ApiError> optionalInt(const Json& object,
                                                                               const char* name,
                                                                               std::int64_t min,
                                                                               std::int64_t max);
[[nodiscard]] std::expected<bool, ApiError> optionalBool(const Json& object, const char* name, bool fallback);
/// Refuses any member of `object` not in `allowed` (400 unknown_field).
[[nodiscard]] std::expected<void, ApiError> onlyFields(const Json& object,
                                                       std::initializer_list<std::string_view> allowed);

/// 1-64 characters of [A-Za-z0-9_-] (idempotency keys, kiosk ids up to 32).
[[nodiscard]] bool isToken(std::string_view text, std::size_t maxChars);

/// Tier fields of an answer: tier, tier names, next_tier, progress, next_tier_at, progress_permille,
/// points_to_next_tier.
void addTierFields(Json& out, const loyalty::TierStatus& status, const loyalty::TierRules& rules);
/// The same, given the next tier's threshold (0 at the top tier) instead of the rules.
void addTierFields(Json& out, const loyalty::TierStatus& status, loyalty::Points nextTierAt);

[[nodiscard]] Json rewardToJson(const loyalty::Reward& reward);
/// A reward from the admin JSON (id from the path). Unknown fields refused.
[[nodiscard]] std::expected<loyalty::Reward, ApiError> rewardFromJson(std::string_view id, const Json& body);

}  // namespace central
