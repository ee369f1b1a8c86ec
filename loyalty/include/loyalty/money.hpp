#pragma once
// Money in Vietnamese dong. Always integer dong — never floating point: VND has no subunit in use,
// and every rule (points per 10.000 ₫, minimum spend) must round the same way on kiosk and central.

#include <compare>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace loyalty {

/// An amount of money in dong. A plain value type; arithmetic is checked by the callers that take
/// outside input (see parseDong), internal sums stay far below the 64-bit range.
struct Dong {
    std::int64_t value = 0;
    auto operator<=>(const Dong&) const = default;
};

enum class MoneyError { Empty, NotANumber, Negative, TooLarge };

/// The largest amount we accept from outside: 100 billion dong, far above any shop receipt, far below
/// overflow when multiplied in earn rules.
inline constexpr Dong kMaxDong{100'000'000'000};

/// Formats as the Vietnamese locale writes it: "1.234.567 ₫" — dot grouping, a no-break space
/// (U+00A0) and the dong sign after the amount; negatives as "-1.234.567 ₫".
[[nodiscard]] std::string formatVnd(Dong amount);

/// Formats only the grouped number ("1.234.567"), for points and counts.
[[nodiscard]] std::string groupThousands(std::int64_t n);

/// Parses a non-negative amount typed by a person or sent by a POS: "1234567", "1.234.567",
/// "1.234.567 ₫", "1234567đ". Refuses anything else with a reason.
[[nodiscard]] std::expected<Dong, MoneyError> parseDong(std::string_view text);

[[nodiscard]] std::string_view describe(MoneyError error);

}  // namespace loyalty
