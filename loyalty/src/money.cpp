#include "loyalty/money.hpp"

#include <cstdlib>

namespace loyalty {

std::string groupThousands(std::int64_t n) {
    // Work on the magnitude as unsigned so INT64_MIN does not overflow.
    const bool negative = n < 0;
    std::uint64_t magnitude =
        negative ? static_cast<std::uint64_t>(-(n + 1)) + 1U : static_cast<std::uint64_t>(n);
    std::string digits = std::to_string(magnitude);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3 + 1);
    if (negative) out.push_back('-');
    const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i >= lead && (i - lead) % 3 == 0) out.push_back('.');
        out.push_back(digits[i]);
    }
    return out;
}

std::string formatVnd(Dong amount) {
    return groupThousands(amount.value) + "\u00A0\u20AB";
}

std::expected<Dong, MoneyError> parseDong(std::string_view text) {
    // Trim surrounding spaces and an optional trailing currency mark (₫, đ, VND).
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    for (std::string_view mark : {"\u20AB", "\u0111", "VND", "\u00A0"}) {
        if (text.ends_with(mark)) text = trim(text.substr(0, text.size() - mark.size()));
    }
    if (text.empty()) return std::unexpected(MoneyError::Empty);
    if (text.front() == '-') return std::unexpected(MoneyError::Negative);

    std::int64_t value = 0;
    std::size_t digitsSinceDot = 0;
    bool sawDot = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            // A grouping dot must follow 1-3 digits (first group) or exactly 3 (later groups).
            if (i == 0 || (sawDot && digitsSinceDot != 3) || digitsSinceDot > 3)
                return std::unexpected(MoneyError::NotANumber);
            sawDot = true;
            digitsSinceDot = 0;
            continue;
        }
        if (c < '0' || c > '9') return std::unexpected(MoneyError::NotANumber);
        value = value * 10 + (c - '0');
        ++digitsSinceDot;
        if (value > kMaxDong.value) return std::unexpected(MoneyError::TooLarge);
    }
    if (sawDot && digitsSinceDot != 3) return std::unexpected(MoneyError::NotANumber);
    return Dong{value};
}

std::string_view describe(MoneyError error) {
    switch (error) {
        case MoneyError::Empty:
            return "no amount given";
        case MoneyError::NotANumber:
            return "not an amount in dong (digits, optionally grouped as 1.234.567)";
        case MoneyError::Negative:
            return "amount must not be negative";
        case MoneyError::TooLarge:
            return "amount is larger than any receipt can be (100.000.000.000 dong)";
    }
    return "unknown money error";
}

}  // namespace loyalty
