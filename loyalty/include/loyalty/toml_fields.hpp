#pragma once
// The one TOML field reader of the project: loyalty's config files (campaign, tiers, rewards, phone
// prefixes), the kiosk's kiosk.toml and central's central.toml all read their tables with it, so every
// error has one wording, naming the full key ("campaign.dong_per_point must be between 1 and ...",
// "http.keep_alive_timeout is not a known key"). Keeps the FIRST error; after an error every getter
// returns a harmless default and the `read` setters leave their target alone, so a parser reads
// straight through and checks error() once at the end. Not thread-safe; reads `table`, which must
// outlive it.

#include <concepts>
#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "loyalty/localized_text.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

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

    /// Optional keys: absent leaves `out` as it was (its default); present with another type, or an
    /// integer outside [min, max], is an error.
    void read(std::string_view key, std::string& out);
    void read(std::string_view key, bool& out);
    template <std::integral T>
    void read(std::string_view key, T& out, std::int64_t min, std::int64_t max) {
        if (const auto value = optionalInteger(key, min, max)) out = static_cast<T>(*value);
    }
    /// A number (integer or decimal) that may be absent.
    [[nodiscard]] std::optional<double> optionalNumber(std::string_view key);
    /// A table that may be absent (nullptr, no error).
    [[nodiscard]] const toml::table* optionalTable(std::string_view key);
    /// An array that may be absent (nullptr, no error); `what` says what it must hold.
    [[nodiscard]] const toml::array* optionalArray(std::string_view key, std::string_view what);

    /// Records a rule violation found by the caller ("<path>.<key> <message>").
    void fail(std::string_view key, std::string_view message);
    [[nodiscard]] std::string name(std::string_view key) const;
    [[nodiscard]] const std::optional<std::string>& error() const { return m_error; }

  private:
    const toml::node* node(std::string_view key, bool required);
    template <class T>
    void readValue(std::string_view key, T& out, std::string_view wording);

    const toml::table& m_table;
    std::string m_path;
    std::optional<std::string> m_error;
};

}  // namespace loyalty
