#include "loyalty/time.hpp"

#include <charconv>
#include <chrono>
#include <optional>

#include <fmt/format.h>

namespace loyalty {
namespace {

std::chrono::year_month_day toYmd(LocalDate date) {
    return std::chrono::year_month_day{std::chrono::year{date.year}, std::chrono::month{date.month},
                                       std::chrono::day{date.day}};
}

LocalDate fromYmd(std::chrono::year_month_day ymd) {
    return LocalDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day())};
}

std::int64_t daysSinceEpoch(LocalDate date) {
    return std::chrono::sys_days{toYmd(date)}.time_since_epoch().count();
}

LocalDate dateFromDays(std::int64_t days) {
    return fromYmd(std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}});
}

/// Floor division: local days before 1970 must round towards minus infinity.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// Reads exactly `length` decimal digits at `at`; no sign allowed.
std::optional<int> digitsAt(std::string_view text, std::size_t at, std::size_t length) {
    if (at + length > text.size()) return std::nullopt;
    for (std::size_t i = at; i < at + length; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    int value = 0;
    std::from_chars(text.data() + at, text.data() + at + length, value);
    return value;
}

std::expected<LocalDate, TimeError> dateAt(std::string_view text) {
    const auto year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
    if (!year || !month || !day || text.size() < 10 || text[4] != '-' || text[7] != '-') {
        return std::unexpected(TimeError::Malformed);
    }
    const LocalDate date{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
    if (!date.ok()) return std::unexpected(TimeError::OutOfRange);
    return date;
}

}  // namespace

bool LocalDate::ok() const {
    return toYmd(*this).ok();
}

LocalDateTime localDateTime(UnixSeconds t) {
    const std::int64_t local = t + kVietnamOffsetSeconds;
    const std::int64_t days = floorDiv(local, kSecondsPerDay);
    const std::int64_t secondOfDay = local - days * kSecondsPerDay;
    return LocalDateTime{dateFromDays(days), static_cast<int>(secondOfDay / 3600),
                         static_cast<int>(secondOfDay / 60 % 60), static_cast<int>(secondOfDay % 60)};
}

LocalDate localDate(UnixSeconds t) {
    return dateFromDays(floorDiv(t + kVietnamOffsetSeconds, kSecondsPerDay));
}

Weekday localWeekday(UnixSeconds t) {
    return weekdayOf(localDate(t));
}

Weekday weekdayOf(LocalDate date) {
    return static_cast<Weekday>(std::chrono::weekday{std::chrono::sys_days{toYmd(date)}}.iso_encoding());
}

UnixSeconds startOfLocalDay(LocalDate date) {
    return daysSinceEpoch(date) * kSecondsPerDay - kVietnamOffsetSeconds;
}

LocalDate addDays(LocalDate date, std::int64_t days) {
    return dateFromDays(daysSinceEpoch(date) + days);
}

LocalDate firstOfMonthAfter(LocalDate date, unsigned months) {
    const std::chrono::year_month first = std::chrono::year{date.year} / std::chrono::month{date.month};
    const std::chrono::year_month later = first + std::chrono::months{months};
    return fromYmd(later / std::chrono::day{1});
}

std::string formatIso8601(UnixSeconds t) {
    const LocalDateTime local = localDateTime(t);
    return fmt::format("{}T{:02}:{:02}:{:02}+07:00", formatLocalDate(local.date), local.hour, local.minute,
                       local.second);
}

std::string formatLocalDate(LocalDate date) {
    return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::string formatLocalDateVi(LocalDate date) {
    return fmt::format("{:02}/{:02}/{:04}", date.day, date.month, date.year);
}

std::string_view describe(TimeError error) {
    switch (error) {
        case TimeError::Malformed:
            return "not an ISO 8601 time such as 2026-11-23T14:05:00+07:00";
        case TimeError::OutOfRange:
            return "a date or time field is out of range";
    }
    return "unknown time error";
}

std::expected<UnixSeconds, TimeError> parseIso8601(std::string_view text) {
    const auto date = dateAt(text);
    if (!date && date.error() == TimeError::Malformed) return std::unexpected(TimeError::Malformed);
    const auto hour = digitsAt(text, 11, 2), minute = digitsAt(text, 14, 2), second = digitsAt(text, 17, 2);
    if (!hour || !minute || !second || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
        text[16] != ':') {
        return std::unexpected(TimeError::Malformed);
    }
    std::int64_t offset = kVietnamOffsetSeconds;
    const std::string_view zone = text.substr(19);
    bool zoneOk = true;
    if (zone == "Z") {
        offset = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const auto offsetHours = digitsAt(zone, 1, 2), offsetMinutes = digitsAt(zone, 4, 2);
        if (!offsetHours || !offsetMinutes) return std::unexpected(TimeError::Malformed);
        zoneOk = *offsetHours < 14 || (*offsetHours == 14 && *offsetMinutes == 0);
        zoneOk = zoneOk && *offsetMinutes < 60;
        offset = (zone[0] == '-' ? -1 : 1) * (*offsetHours * 3600 + *offsetMinutes * 60);
    } else if (!zone.empty()) {
        return std::unexpected(TimeError::Malformed);
    }
    if (!date || *hour > 23 || *minute > 59 || *second > 59 || !zoneOk) {
        return std::unexpected(TimeError::OutOfRange);
    }
    return daysSinceEpoch(*date) * kSecondsPerDay + *hour * 3600 + *minute * 60 + *second - offset;
}

std::expected<LocalDate, TimeError> parseLocalDate(std::string_view text) {
    if (text.size() != 10) return std::unexpected(TimeError::Malformed);
    return dateAt(text);
}

}  // namespace loyalty
