#pragma once
// The UI texts of one language, loaded from assets/i18n/<lang>.toml (flat `key = "text"` pairs,
// dotted keys allowed: [phone] error_landline = "..." is the key "phone.error_landline").
//
// Contract: immutable after load, share it read-only between threads. No text is hard-coded in the
// program: a key missing from the file shows as "[key]" so it is visible on screen and caught by the
// test that compares the languages' key sets.

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ui {

class Strings {
  public:
    /// Parses the TOML text. Error: a message naming the problem (syntax, a value that is not text).
    [[nodiscard]] static std::expected<Strings, std::string> fromToml(std::string_view tomlText);
    /// Reads and parses a file. Error: a message naming the file.
    [[nodiscard]] static std::expected<Strings, std::string> load(const std::filesystem::path& file);

    /// The text of `key`, with every "{name}" replaced by its value from `args`.
    [[nodiscard]] std::string text(
        std::string_view key, const std::vector<std::pair<std::string_view, std::string>>& args = {}) const;
    [[nodiscard]] bool has(std::string_view key) const;
    [[nodiscard]] std::vector<std::string> keys() const;
    /// Every text as written, placeholders unreplaced (what a font must be able to draw).
    [[nodiscard]] std::vector<std::string> texts() const;

  private:
    std::map<std::string, std::string, std::less<>> m_texts;
};

}  // namespace ui
