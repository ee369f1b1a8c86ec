#pragma once
// The font families the kiosk draws its texts in, as a chain names them in central's theme
// ("body_font", "heading_font": docs/kiosk-ux.md), and the checks a named font must pass before the
// host builds its atlas with it: the name is a plain family name, the kiosk has the file, FreeType reads
// it as a scalable font, and it has a glyph for every character the kiosk's texts use (Vietnamese
// diacritics included). Dear ImGui itself would draw a '?' for a missing glyph and stops the process
// (IM_ASSERT) on a file that is not a font: nothing reaches it unchecked.
//
// Pure functions (checkFont reads the file); any thread.

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

struct FontFamilies {
    std::string body = "Noto Sans";     ///< small and body texts, in the family's Regular
    std::string heading = "Noto Sans";  ///< headings, big figures and the typed number, in its Bold
    bool operator==(const FontFamilies&) const = default;
};

enum class FontWeight { Regular, Bold };

/// 1 to 64 ASCII letters, digits and spaces, starting with a letter ("Noto Serif"): a name that can only
/// become a file name in the font folder. Error: what is wrong, quoting at most 64 characters of it.
[[nodiscard]] std::expected<void, std::string> checkFamilyName(std::string_view family);

/// `dir`/<family without its spaces>-<Regular|Bold>.ttf ("Noto Serif" → NotoSerif-Regular.ttf), the
/// way Debian's fonts-noto-* packages name their files. Error: checkFamilyName's.
[[nodiscard]] std::expected<std::filesystem::path, std::string> fontFile(const std::filesystem::path& dir,
                                                                         std::string_view family,
                                                                         FontWeight weight);

/// Every character `texts` (UTF-8) draw, sorted, without repeats and without control characters (line
/// breaks); a byte that is not UTF-8 counts as U+FFFD.
[[nodiscard]] std::u32string codePointsOf(const std::vector<std::string>& texts);

/// `file` as FreeType reads it: a scalable TrueType or OpenType font with a glyph for every one of
/// `needed`. Error: "<file> does not exist", "… is not a font …", "… lacks N characters …: ắ ẵ ₫".
[[nodiscard]] std::expected<void, std::string> checkFont(const std::filesystem::path& file,
                                                         std::u32string_view needed);

}  // namespace ui
