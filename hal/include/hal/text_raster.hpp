#pragma once
// TextRaster — turns UTF-8 text into printer dots with FreeType, so Vietnamese with all its stacked
// diacritics prints on any ESC/POS printer (printer code pages do not carry them) and text from
// outside can never reach the printer as command bytes: it only ever becomes pixels.
//
// Input handling: invalid UTF-8 becomes U+FFFD; decomposed Vietnamese (NFD: "e" + U+0302 + U+0301) is
// composed to the precomposed letters the font draws well; control characters (C0, DEL, C1, bidi and
// zero-width controls) are dropped, except '\n' (line break) and '\t' (a space). Characters the font
// lacks print as '?'.
//
// Threads: a TextRaster is not synchronised (FreeType faces keep state); use one per thread. Never
// throws after open().

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "hal/bitmap.hpp"

namespace hal {

enum class Align : std::uint8_t { Left, Center, Right };

struct TextStyle {
    int pixelSize = 24;  ///< em size in dots (24 dots = 3 mm at 203 dpi)
    bool bold = false;
    Align align = Align::Left;
    int lineGap = 4;  ///< extra dots between wrapped lines
};

class TextRaster {
  public:
    /// The fonts the product ships with: Noto Sans Regular and Bold (Debian fonts-noto-core).
    static constexpr const char* kNotoRegular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    static constexpr const char* kNotoBold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";

    [[nodiscard]] static std::expected<TextRaster, std::string> open(const std::filesystem::path& regular,
                                                                     const std::filesystem::path& bold);
    [[nodiscard]] static std::expected<TextRaster, std::string> openNoto();

    TextRaster(TextRaster&&) noexcept;
    TextRaster& operator=(TextRaster&&) noexcept;
    ~TextRaster();

    /// The text wrapped at word boundaries to `widthDots` (a word wider than a line is broken), each
    /// line aligned; the result is exactly `widthDots` wide. Empty text gives an empty bitmap.
    [[nodiscard]] Bitmap render(std::string_view utf8, const TextStyle& style, int widthDots);

    /// One character drawn inside a fixed cell (the virtual printer's built-in fonts): the glyph is
    /// sized to the cell height and centred horizontally; clipped to the cell.
    [[nodiscard]] Bitmap renderCell(char32_t codepoint, int cellWidth, int cellHeight, bool bold);

    /// What render() draws: decoded, composed and filtered as described above.
    [[nodiscard]] static std::u32string sanitize(std::string_view utf8);

  private:
    struct Impl;
    explicit TextRaster(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hal
