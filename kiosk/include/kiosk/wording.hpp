#pragma once
// How numbers, money and times are written on the kiosk's screens and slips, per language ("vi" | "en").
// One place, used by the journey's screens and the app's slip wording alike.

#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/money.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk {

/// A count of points grouped the way the language writes numbers: "1.325" (vi), "1,325" (en).
[[nodiscard]] std::string numberText(std::int64_t n, std::string_view language);
/// An amount of dong: "50.000 ₫" (vi), "50,000 ₫" (en).
[[nodiscard]] std::string moneyText(loyalty::Dong amount, std::string_view language);
/// "10:15", Vietnam time.
[[nodiscard]] std::string clockText(loyalty::UnixSeconds t);
/// "10:15 23/11/2026", Vietnam time.
[[nodiscard]] std::string timeAndDateText(loyalty::UnixSeconds t);

}  // namespace kiosk
