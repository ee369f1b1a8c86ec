#pragma once
// The local calendar of Asia/Ho_Chi_Minh, derived from loyalty::UnixSeconds. Promotions ("double points
// on Saturdays"), campaign dates, voucher expiry dates and points expiry are all judged in this calendar.
//
// Vietnam has kept UTC+7 all year since 1975, with no daylight saving, so a hand-written fixed offset
// is exact and needs no time-zone database (the kiosk image may not ship one; g++ 12 has no
// std::chrono::tzdb either). Pure functions, no I/O, callable from any thread.

#include <compare>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "loyalty/receipt.hpp"

namespace loyalty {

inline constexpr std::int64_t kSecondsPerDay = 86'400;
/// UTC+7, all year (see the top of this file).
inline constexpr std::int64_t kVietnamOffsetSeconds = 7 * 3600;

/// A calendar day in Vietnam. Valid values only come out of the functions below; `ok()` checks one
/// built by hand (e.g. 2026-02-30 is not ok).
struct LocalDate {
    int year = 1970;
    unsigned month = 1;  ///< 1-12
    unsigned day = 1;    ///< 1-31
    auto operator<=>(const LocalDate&) const = default;
    [[nodiscard]] bool ok() const;
};

/// ISO weekday numbering: Monday = 1 ... Sunday = 7.
enum class Weekday { Monday = 1, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

/// A wall-clock time in Vietnam.
struct LocalDateTime {
    LocalDate date;
    int hour = 0;    ///< 0-23
    int minute = 0;  ///< 0-59
    int second = 0;  ///< 0-59
    auto operator<=>(const LocalDateTime&) const = default;
};

[[nodiscard]] LocalDateTime localDateTime(UnixSeconds t);
[[nodiscard]] LocalDate localDate(UnixSeconds t);
[[nodiscard]] Weekday localWeekday(UnixSeconds t);
[[nodiscard]] Weekday weekdayOf(LocalDate date);

/// The first second (00:00:00 local) of `date`, as Unix seconds.
[[nodiscard]] UnixSeconds startOfLocalDay(LocalDate date);
/// `date` moved by `days` (negative goes back).
[[nodiscard]] LocalDate addDays(LocalDate date, std::int64_t days);
/// The first day of the month `months` after the month of `date` (months >= 0).
[[nodiscard]] LocalDate firstOfMonthAfter(LocalDate date, unsigned months);

/// "2026-11-23T14:05:00+07:00" — always Vietnam time with its offset.
[[nodiscard]] std::string formatIso8601(UnixSeconds t);
/// "2026-11-23"
[[nodiscard]] std::string formatLocalDate(LocalDate date);
/// "23/11/2026" — how Vietnamese print a date (receipts, vouchers).
[[nodiscard]] std::string formatLocalDateVi(LocalDate date);

enum class TimeError { Malformed, OutOfRange };
[[nodiscard]] std::string_view describe(TimeError error);

/// Parses "YYYY-MM-DDTHH:MM:SS" (a space may replace the 'T') followed by "Z", "+HH:MM", "-HH:MM" or
/// nothing; nothing means Vietnam time (what a shop's clock shows). Fractions of a second are refused.
/// Malformed: not that shape. OutOfRange: a field outside its range (month 13, 2026-02-30, 24:00:00,
/// offset beyond ±14:00).
[[nodiscard]] std::expected<UnixSeconds, TimeError> parseIso8601(std::string_view text);
/// Parses "YYYY-MM-DD".
[[nodiscard]] std::expected<LocalDate, TimeError> parseLocalDate(std::string_view text);

}  // namespace loyalty
