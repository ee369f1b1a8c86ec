#include "loyalty/toml_fields.hpp"

#include <algorithm>

namespace loyalty {

std::expected<toml::table, std::string> parseTomlText(std::string_view text) {
    try {
        return toml::parse(text);
    } catch (const toml::parse_error& e) {
        return std::unexpected("line " + std::to_string(e.source().begin.line) + ": " +
                               std::string(e.description()));
    }
}

std::string TomlFields::name(std::string_view key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

void TomlFields::fail(std::string_view key, std::string_view message) {
    if (!m_error) m_error = name(key) + " " + std::string(message);
}

const toml::node* TomlFields::node(std::string_view key, bool required) {
    if (m_error) return nullptr;
    const toml::node* found = m_table.get(key);
    if (found == nullptr && required) fail(key, "is missing");
    return found;
}

std::optional<std::int64_t> TomlFields::optionalInteger(std::string_view key, std::int64_t min,
                                                        std::int64_t max) {
    const toml::node* found = node(key, false);
    if (found == nullptr) return std::nullopt;
    const auto* value = found->as_integer();
    if (value == nullptr) {
        fail(key, "must be a whole number");
        return std::nullopt;
    }
    if (value->get() < min || value->get() > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", not " +
                      std::to_string(value->get()));
        return std::nullopt;
    }
    return value->get();
}

std::int64_t TomlFields::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    if (node(key, true) == nullptr) return min;
    return optionalInteger(key, min, max).value_or(min);
}

std::string TomlFields::text(std::string_view key) {
    const toml::node* found = node(key, true);
    if (found == nullptr) return {};
    const auto* value = found->as_string();
    if (value == nullptr || value->get().empty()) {
        fail(key, "must be a non-empty string");
        return {};
    }
    return value->get();
}

LocalizedText TomlFields::localized(std::string_view key) {
    LocalizedText result;
    result.vi = text(std::string(key) + "_vi");
    result.en = text(std::string(key) + "_en");
    return result;
}

std::optional<LocalDate> TomlFields::optionalDate(std::string_view key) {
    const toml::node* found = node(key, false);
    if (found == nullptr) return std::nullopt;
    const auto* value = found->as_date();
    if (value == nullptr) {
        fail(key, "must be a date such as 2026-12-31 (no quotes)");
        return std::nullopt;
    }
    const toml::date d = value->get();
    return LocalDate{d.year, d.month, d.day};
}

LocalDate TomlFields::date(std::string_view key) {
    if (node(key, true) == nullptr) return {};
    return optionalDate(key).value_or(LocalDate{});
}

const toml::table* TomlFields::table(std::string_view key) {
    const toml::node* found = node(key, true);
    if (found == nullptr) return nullptr;
    if (!found->is_table()) fail(key, "must be a table");
    return found->as_table();
}

const toml::array* TomlFields::arrayOfTables(std::string_view key, bool required) {
    const toml::node* found = node(key, required);
    if (found == nullptr) return nullptr;
    const toml::array* array = found->as_array();
    if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
        fail(key, "must be an array of tables ([[" + name(key) + "]])");
        return nullptr;
    }
    return array;
}

template <class T>
void TomlFields::readValue(std::string_view key, T& out, std::string_view wording) {
    const toml::node* found = node(key, false);
    if (found == nullptr) return;
    if (const auto* value = found->as<T>()) {
        out = value->get();
    } else {
        fail(key, wording);
    }
}

void TomlFields::read(std::string_view key, std::string& out) {
    readValue(key, out, "must be a string");
}

void TomlFields::read(std::string_view key, bool& out) {
    readValue(key, out, "must be true or false");
}

std::optional<double> TomlFields::optionalNumber(std::string_view key) {
    const toml::node* found = node(key, false);
    if (found == nullptr) return std::nullopt;
    if (const auto value = found->value<double>();
        value && (found->is_integer() || found->is_floating_point())) {
        return value;
    }
    fail(key, "must be a number");
    return std::nullopt;
}

const toml::table* TomlFields::optionalTable(std::string_view key) {
    return node(key, false) == nullptr ? nullptr : table(key);
}

const toml::array* TomlFields::optionalArray(std::string_view key, std::string_view what) {
    const toml::node* found = node(key, false);
    if (found == nullptr) return nullptr;
    if (!found->is_array()) fail(key, "must be an array of " + std::string(what));
    return found->as_array();
}

void TomlFields::allowOnly(std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : m_table) {
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
            fail(key.str(), "is not a known key");
            return;
        }
    }
}

}  // namespace loyalty
