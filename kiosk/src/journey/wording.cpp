#include "kiosk/wording.hpp"

#include <algorithm>
#include <cstdio>

#include "loyalty/time.hpp"

namespace kiosk {
namespace {

std::string inLanguage(std::string text, std::string_view language) {
    // Vietnamese groups thousands with dots ("1.325"), English with commas ("1,325").
    if (language == "en") {
        std::replace(text.begin(), text.end(), '.', ',');
    }
    return text;
}

}  // namespace

std::string numberText(std::int64_t n, std::string_view language) {
    return inLanguage(loyalty::groupThousands(n), language);
}

std::string moneyText(loyalty::Dong amount, std::string_view language) {
    return inLanguage(loyalty::formatVnd(amount), language);
}

std::string clockText(loyalty::UnixSeconds t) {
    const auto local = loyalty::localDateTime(t);
    char clock[8];
    std::snprintf(clock, sizeof(clock), "%02d:%02d", local.hour % 24, local.minute % 60);
    return clock;
}

std::string timeAndDateText(loyalty::UnixSeconds t) {
    return clockText(t) + " " + loyalty::formatLocalDateVi(loyalty::localDateTime(t).date);
}

}  // namespace kiosk
