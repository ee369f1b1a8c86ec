#pragma once
// Loyalty points: a signed integer count (ledger entries carry negative points for redemptions and
// expiry). Never fractional: every rule rounds down to whole points where it computes them.

#include <cstdint>

namespace loyalty {

using Points = std::int64_t;

/// The largest point count a single rule, entry or config value may hold: 10^13. Far above anything
/// real (kMaxDong at 1 point per dong is 10^11), and far below int64 overflow when summed over
/// 100.000 entries or multiplied by a percentage (at most 10.000 %).
inline constexpr Points kMaxPoints = 10'000'000'000'000;

}  // namespace loyalty
