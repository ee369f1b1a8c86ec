#pragma once
// Private to loyalty: strict reading of one TOML table for the config parsers (campaign, tiers,
// rewards). Keeps the FIRST error, naming the full key ("campaign.dong_per_point must be ..."); after
// an error every getter returns a harmless default, so a parser reads straight through and checks
// error() once at the end.

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "loyalty/localized_text.hpp"
#include "loyalty/time.hpp"

namespace loyalty::detail {

/// Parses TOML text; the error says where ("line 3: ...").
[[nodiscard]] std::expected<toml::table, std::string> parseTomlText(std::string_view text);

class TomlFields {
  public:
    /// `path` is the table's full key for messages ("campaign", "rewards[2]"); empty for the root.
    TomlFields(const toml::table& table, std::string path) : m_table(table), m_path(std::move(path)) {}

    [[nodiscard]] std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    [[nodiscard]] std::optional<std::int64_t> optionalInteger(std::string_view key, std::int64_t min,
                                                              std::int64_t max);
    /// A non-empty string.
    [[nodiscard]] std::string text(std::string_view key);
    /// `<key>_vi` and `<key>_en`, both non-empty.
    [[nodiscard]] LocalizedText localized(std::string_view key);
    /// A TOML local date (2026-12-31, unquoted).
    [[nodiscard]] LocalDate date(std::string_view key);
    [[nodiscard]] std::optional<LocalDate> optionalDate(std::string_view key);
    [[nodiscard]] const toml::table* table(std::string_view key);
    /// An array of tables ([[key]]); absent = nullptr without error when `required` is false.
    [[nodiscard]] const toml::array* arrayOfTables(std::string_view key, bool required);
    /// Fails on any key not in `known` (a typo in a config key must not pass silently).
    void allowOnly(std::initializer_list<std::string_view> known);

    /// Records a rule violation found by the caller ("<path>.<key> <message>").
    void fail(std::string_view key, std::string_view message);
    [[nodiscard]] std::string name(std::string_view key) const;
    [[nodiscard]] const std::optional<std::string>& error() const { return m_error; }

  private:
    const toml::node* node(std::string_view key, bool required);

    const toml::table& m_table;
    std::string m_path;
    std::optional<std::string> m_error;
};

}  // namespace loyalty::detail
