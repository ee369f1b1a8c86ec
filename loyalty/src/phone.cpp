#include "loyalty/phone.hpp"

#include <algorithm>
#include <stdexcept>

#include "loyalty/toml_fields.hpp"
#include "phone_prefixes_builtin.hpp"

namespace loyalty {

namespace {

constexpr std::size_t kNationalDigits = 10;

bool isDigits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

PhonePolicyError policyError(std::string message) {
    return PhonePolicyError{std::move(message)};
}

}  // namespace

std::string_view phoneErrorCode(PhoneError error) {
    switch (error) {
        case PhoneError::Empty:
            return "phone_empty";
        case PhoneError::BadCharacters:
            return "phone_bad_characters";
        case PhoneError::NotVietnamese:
            return "phone_not_vietnamese";
        case PhoneError::WrongLength:
            return "phone_wrong_length";
        case PhoneError::Landline:
            return "phone_landline";
        case PhoneError::UnknownPrefix:
            return "phone_unknown_prefix";
    }
    return "phone_unknown_error";
}

std::string_view describe(PhoneError error) {
    switch (error) {
        case PhoneError::Empty:
            return "no phone number given";
        case PhoneError::BadCharacters:
            return "phone number may contain only digits, a leading +, spaces, dots, dashes and parentheses";
        case PhoneError::NotVietnamese:
            return "not a Vietnamese number (country code is not +84)";
        case PhoneError::WrongLength:
            return "a Vietnamese mobile number has 10 digits (0 and 9 more)";
        case PhoneError::Landline:
            return "this is a landline number (02x area code), a mobile number is needed";
        case PhoneError::UnknownPrefix:
            return "the number does not start with a Vietnamese mobile prefix";
    }
    return "unknown phone error";
}

std::expected<PhonePolicy, PhonePolicyError> PhonePolicy::fromToml(std::string_view tomlText) {
    const auto root = parseTomlText(tomlText);
    if (!root) return std::unexpected(policyError(root.error()));
    TomlFields top(*root, "");
    top.allowOnly({"operators"});
    const toml::array* operators = top.arrayOfTables("operators", true);
    if (top.error()) return std::unexpected(policyError(*top.error()));
    if (operators->empty()) return std::unexpected(policyError("operators must list at least one operator"));

    PhonePolicy policy;
    for (std::size_t i = 0; i < operators->size(); ++i) {
        const toml::table& table = *(*operators)[i].as_table();
        TomlFields entry(table, "operators[" + std::to_string(i) + "]");
        entry.allowOnly({"name", "prefixes"});
        const std::string name = entry.text("name");
        const toml::array* prefixes = table["prefixes"].as_array();
        if (!entry.error() && (prefixes == nullptr || prefixes->empty())) {
            entry.fail("prefixes", "must be a non-empty array of strings such as [\"090\", \"091\"]");
        }
        for (std::size_t j = 0; !entry.error() && j < prefixes->size(); ++j) {
            const std::string key = "prefixes[" + std::to_string(j) + "]";
            const std::optional<std::string> prefix = (*prefixes)[j].value<std::string>();
            if (!prefix) {
                entry.fail(key, "must be a string");
            } else if (prefix->size() < 3 || prefix->size() > 5 || !isDigits(*prefix) ||
                       prefix->front() != '0') {
                entry.fail(key, "\"" + *prefix + "\" must be \"0\" and 2-4 digits");
            } else if (prefix->starts_with("02") || prefix->starts_with("00")) {
                entry.fail(key, "\"" + *prefix + "\" is a landline or international prefix");
            } else if (!policy.m_operatorByPrefix.emplace(*prefix, name).second) {
                entry.fail(key, "\"" + *prefix + "\" is listed twice");
            }
        }
        if (entry.error()) return std::unexpected(policyError(*entry.error()));
    }
    return policy;
}

const PhonePolicy& PhonePolicy::builtIn() {
    // Parsed once; the text is assets/config/phone_prefixes.toml, compiled in, and a unit test keeps it
    // valid — a failure here is a broken build, reported at the first call (start-up).
    static const PhonePolicy policy = [] {
        auto parsed = fromToml(kBuiltInPhonePrefixesToml);
        if (!parsed) throw std::logic_error("built-in phone prefixes: " + parsed.error().message);
        return std::move(*parsed);
    }();
    return policy;
}

std::optional<std::string_view> PhonePolicy::operatorOf(std::string_view national) const {
    for (std::size_t length = std::min<std::size_t>(5, national.size()); length >= 3; --length) {
        const auto it = m_operatorByPrefix.find(national.substr(0, length));
        if (it != m_operatorByPrefix.end()) return std::string_view(it->second);
    }
    return std::nullopt;
}

std::string PhoneNumber::national() const {
    return "0" + m_e164.substr(3);
}

std::string PhoneNumber::masked() const {
    const std::string n = national();
    return n.substr(0, 3) + "****" + n.substr(n.size() - 3);
}

std::expected<PhoneNumber, PhoneError> parsePhone(std::string_view typed, const PhonePolicy& policy) {
    std::string digits;
    bool international = false;
    for (const char c : typed) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c == '+' && digits.empty() && !international) {
            international = true;
        } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
            return std::unexpected(PhoneError::BadCharacters);
        }
    }
    if (digits.empty()) return std::unexpected(PhoneError::Empty);

    // "00" is the international call prefix, the same as a leading '+'.
    if (!international && digits.starts_with("00")) {
        international = true;
        digits.erase(0, 2);
    }
    std::string national = digits;
    if (international || (digits.starts_with("84") && !digits.starts_with("0"))) {
        if (!digits.starts_with("84")) return std::unexpected(PhoneError::NotVietnamese);
        // "+84 090..." (the national 0 kept after the country code) is a common way to write it.
        national = digits.substr(2);
        if (!national.starts_with("0")) national.insert(0, "0");
    }
    if (national.starts_with("02")) return std::unexpected(PhoneError::Landline);
    if (national.size() != kNationalDigits) return std::unexpected(PhoneError::WrongLength);
    if (!national.starts_with("0") || !policy.operatorOf(national)) {
        return std::unexpected(PhoneError::UnknownPrefix);
    }
    return PhoneNumber("+84" + national.substr(1));
}

}  // namespace loyalty
