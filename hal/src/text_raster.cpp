#include "hal/text_raster.hpp"

#include <fmt/core.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <array>
#include <vector>

namespace hal {

namespace {

constexpr char32_t kReplacement = 0xFFFD;
/// FreeType renders 8-bit coverage; a thermal dot is on or off. A threshold below half keeps thin
/// strokes and small diacritics (the dot below "ạ") from vanishing at 20-24 dot sizes.
constexpr unsigned char kInkThreshold = 96;

struct Composition {
    char32_t base;
    char32_t mark;
    char32_t composed;
};

// Canonical compositions of every Latin letter whose decomposition is one base plus one of the marks
// Vietnamese uses (grave, acute, tilde, hook above, dot below, circumflex, breve, horn), generated
// from the Unicode Character Database. Applied repeatedly, they compose NFD Vietnamese fully
// ("e" + U+0302 + U+0301 -> "ê" + U+0301 -> "ế"). Sorted by (base, mark).
constexpr std::array<Composition, 188> kCompositions{{
    {0x0041, 0x0300, 0x00C0}, {0x0041, 0x0301, 0x00C1}, {0x0041, 0x0302, 0x00C2}, {0x0041, 0x0303, 0x00C3},
    {0x0041, 0x0306, 0x0102}, {0x0041, 0x0309, 0x1EA2}, {0x0041, 0x0323, 0x1EA0}, {0x0043, 0x0301, 0x0106},
    {0x0043, 0x0302, 0x0108}, {0x0045, 0x0300, 0x00C8}, {0x0045, 0x0301, 0x00C9}, {0x0045, 0x0302, 0x00CA},
    {0x0045, 0x0303, 0x1EBC}, {0x0045, 0x0306, 0x0114}, {0x0045, 0x0309, 0x1EBA}, {0x0045, 0x0323, 0x1EB8},
    {0x0047, 0x0301, 0x01F4}, {0x0047, 0x0302, 0x011C}, {0x0047, 0x0306, 0x011E}, {0x0048, 0x0302, 0x0124},
    {0x0049, 0x0300, 0x00CC}, {0x0049, 0x0301, 0x00CD}, {0x0049, 0x0302, 0x00CE}, {0x0049, 0x0303, 0x0128},
    {0x0049, 0x0306, 0x012C}, {0x0049, 0x0309, 0x1EC8}, {0x0049, 0x0323, 0x1ECA}, {0x004A, 0x0302, 0x0134},
    {0x004C, 0x0301, 0x0139}, {0x004E, 0x0300, 0x01F8}, {0x004E, 0x0301, 0x0143}, {0x004E, 0x0303, 0x00D1},
    {0x004F, 0x0300, 0x00D2}, {0x004F, 0x0301, 0x00D3}, {0x004F, 0x0302, 0x00D4}, {0x004F, 0x0303, 0x00D5},
    {0x004F, 0x0306, 0x014E}, {0x004F, 0x0309, 0x1ECE}, {0x004F, 0x031B, 0x01A0}, {0x004F, 0x0323, 0x1ECC},
    {0x0052, 0x0301, 0x0154}, {0x0053, 0x0301, 0x015A}, {0x0053, 0x0302, 0x015C}, {0x0055, 0x0300, 0x00D9},
    {0x0055, 0x0301, 0x00DA}, {0x0055, 0x0302, 0x00DB}, {0x0055, 0x0303, 0x0168}, {0x0055, 0x0306, 0x016C},
    {0x0055, 0x0309, 0x1EE6}, {0x0055, 0x031B, 0x01AF}, {0x0055, 0x0323, 0x1EE4}, {0x0057, 0x0302, 0x0174},
    {0x0059, 0x0300, 0x1EF2}, {0x0059, 0x0301, 0x00DD}, {0x0059, 0x0302, 0x0176}, {0x0059, 0x0303, 0x1EF8},
    {0x0059, 0x0309, 0x1EF6}, {0x0059, 0x0323, 0x1EF4}, {0x005A, 0x0301, 0x0179}, {0x0061, 0x0300, 0x00E0},
    {0x0061, 0x0301, 0x00E1}, {0x0061, 0x0302, 0x00E2}, {0x0061, 0x0303, 0x00E3}, {0x0061, 0x0306, 0x0103},
    {0x0061, 0x0309, 0x1EA3}, {0x0061, 0x0323, 0x1EA1}, {0x0063, 0x0301, 0x0107}, {0x0063, 0x0302, 0x0109},
    {0x0065, 0x0300, 0x00E8}, {0x0065, 0x0301, 0x00E9}, {0x0065, 0x0302, 0x00EA}, {0x0065, 0x0303, 0x1EBD},
    {0x0065, 0x0306, 0x0115}, {0x0065, 0x0309, 0x1EBB}, {0x0065, 0x0323, 0x1EB9}, {0x0067, 0x0301, 0x01F5},
    {0x0067, 0x0302, 0x011D}, {0x0067, 0x0306, 0x011F}, {0x0068, 0x0302, 0x0125}, {0x0069, 0x0300, 0x00EC},
    {0x0069, 0x0301, 0x00ED}, {0x0069, 0x0302, 0x00EE}, {0x0069, 0x0303, 0x0129}, {0x0069, 0x0306, 0x012D},
    {0x0069, 0x0309, 0x1EC9}, {0x0069, 0x0323, 0x1ECB}, {0x006A, 0x0302, 0x0135}, {0x006C, 0x0301, 0x013A},
    {0x006E, 0x0300, 0x01F9}, {0x006E, 0x0301, 0x0144}, {0x006E, 0x0303, 0x00F1}, {0x006F, 0x0300, 0x00F2},
    {0x006F, 0x0301, 0x00F3}, {0x006F, 0x0302, 0x00F4}, {0x006F, 0x0303, 0x00F5}, {0x006F, 0x0306, 0x014F},
    {0x006F, 0x0309, 0x1ECF}, {0x006F, 0x031B, 0x01A1}, {0x006F, 0x0323, 0x1ECD}, {0x0072, 0x0301, 0x0155},
    {0x0073, 0x0301, 0x015B}, {0x0073, 0x0302, 0x015D}, {0x0075, 0x0300, 0x00F9}, {0x0075, 0x0301, 0x00FA},
    {0x0075, 0x0302, 0x00FB}, {0x0075, 0x0303, 0x0169}, {0x0075, 0x0306, 0x016D}, {0x0075, 0x0309, 0x1EE7},
    {0x0075, 0x031B, 0x01B0}, {0x0075, 0x0323, 0x1EE5}, {0x0077, 0x0302, 0x0175}, {0x0079, 0x0300, 0x1EF3},
    {0x0079, 0x0301, 0x00FD}, {0x0079, 0x0302, 0x0177}, {0x0079, 0x0303, 0x1EF9}, {0x0079, 0x0309, 0x1EF7},
    {0x0079, 0x0323, 0x1EF5}, {0x007A, 0x0301, 0x017A}, {0x00C2, 0x0300, 0x1EA6}, {0x00C2, 0x0301, 0x1EA4},
    {0x00C2, 0x0303, 0x1EAA}, {0x00C2, 0x0309, 0x1EA8}, {0x00C5, 0x0301, 0x01FA}, {0x00C6, 0x0301, 0x01FC},
    {0x00CA, 0x0300, 0x1EC0}, {0x00CA, 0x0301, 0x1EBE}, {0x00CA, 0x0303, 0x1EC4}, {0x00CA, 0x0309, 0x1EC2},
    {0x00D4, 0x0300, 0x1ED2}, {0x00D4, 0x0301, 0x1ED0}, {0x00D4, 0x0303, 0x1ED6}, {0x00D4, 0x0309, 0x1ED4},
    {0x00D8, 0x0301, 0x01FE}, {0x00DC, 0x0300, 0x01DB}, {0x00DC, 0x0301, 0x01D7}, {0x00E2, 0x0300, 0x1EA7},
    {0x00E2, 0x0301, 0x1EA5}, {0x00E2, 0x0303, 0x1EAB}, {0x00E2, 0x0309, 0x1EA9}, {0x00E5, 0x0301, 0x01FB},
    {0x00E6, 0x0301, 0x01FD}, {0x00EA, 0x0300, 0x1EC1}, {0x00EA, 0x0301, 0x1EBF}, {0x00EA, 0x0303, 0x1EC5},
    {0x00EA, 0x0309, 0x1EC3}, {0x00F4, 0x0300, 0x1ED3}, {0x00F4, 0x0301, 0x1ED1}, {0x00F4, 0x0303, 0x1ED7},
    {0x00F4, 0x0309, 0x1ED5}, {0x00F8, 0x0301, 0x01FF}, {0x00FC, 0x0300, 0x01DC}, {0x00FC, 0x0301, 0x01D8},
    {0x0102, 0x0300, 0x1EB0}, {0x0102, 0x0301, 0x1EAE}, {0x0102, 0x0303, 0x1EB4}, {0x0102, 0x0309, 0x1EB2},
    {0x0103, 0x0300, 0x1EB1}, {0x0103, 0x0301, 0x1EAF}, {0x0103, 0x0303, 0x1EB5}, {0x0103, 0x0309, 0x1EB3},
    {0x01A0, 0x0300, 0x1EDC}, {0x01A0, 0x0301, 0x1EDA}, {0x01A0, 0x0303, 0x1EE0}, {0x01A0, 0x0309, 0x1EDE},
    {0x01A0, 0x0323, 0x1EE2}, {0x01A1, 0x0300, 0x1EDD}, {0x01A1, 0x0301, 0x1EDB}, {0x01A1, 0x0303, 0x1EE1},
    {0x01A1, 0x0309, 0x1EDF}, {0x01A1, 0x0323, 0x1EE3}, {0x01AF, 0x0300, 0x1EEA}, {0x01AF, 0x0301, 0x1EE8},
    {0x01AF, 0x0303, 0x1EEE}, {0x01AF, 0x0309, 0x1EEC}, {0x01AF, 0x0323, 0x1EF0}, {0x01B0, 0x0300, 0x1EEB},
    {0x01B0, 0x0301, 0x1EE9}, {0x01B0, 0x0303, 0x1EEF}, {0x01B0, 0x0309, 0x1EED}, {0x01B0, 0x0323, 0x1EF1},
    {0x1EA0, 0x0302, 0x1EAC}, {0x1EA0, 0x0306, 0x1EB6}, {0x1EA1, 0x0302, 0x1EAD}, {0x1EA1, 0x0306, 0x1EB7},
    {0x1EB8, 0x0302, 0x1EC6}, {0x1EB9, 0x0302, 0x1EC7}, {0x1ECC, 0x0302, 0x1ED8}, {0x1ECD, 0x0302, 0x1ED9},
}};

char32_t compose(char32_t base, char32_t mark) {
    const auto it = std::lower_bound(kCompositions.begin(), kCompositions.end(), Composition{base, mark, 0},
                                     [](const Composition& a, const Composition& b) {
                                         return a.base != b.base ? a.base < b.base : a.mark < b.mark;
                                     });
    if (it != kCompositions.end() && it->base == base && it->mark == mark) return it->composed;
    return 0;
}

/// Keyboards and old converters emit a vowel's two marks in either order ("a" + breve + dot below
/// instead of the canonical dot below first). When `composed` already holds one mark, try the new mark
/// on its base first and the old mark after.
char32_t composeReordered(char32_t composed, char32_t mark) {
    const auto it = std::find_if(kCompositions.begin(), kCompositions.end(),
                                 [&](const Composition& c) { return c.composed == composed; });
    if (it == kCompositions.end()) return 0;
    const char32_t inner = compose(it->base, mark);
    return inner == 0 ? 0 : compose(inner, it->mark);
}

bool isDropped(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

/// Strict UTF-8 decoding: overlong forms, surrogates and out-of-range values become U+FFFD.
std::u32string decodeUtf8(std::string_view in) {
    std::u32string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const auto b0 = static_cast<unsigned char>(in[i]);
        int extra = 0;
        char32_t cp = 0;
        if (b0 < 0x80) {
            cp = b0;
        } else if ((b0 & 0xE0U) == 0xC0U) {
            extra = 1;
            cp = b0 & 0x1FU;
        } else if ((b0 & 0xF0U) == 0xE0U) {
            extra = 2;
            cp = b0 & 0x0FU;
        } else if ((b0 & 0xF8U) == 0xF0U) {
            extra = 3;
            cp = b0 & 0x07U;
        } else {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        bool ok = true;
        std::size_t used = 1;
        for (int k = 1; k <= extra; ++k) {
            // A truncated or interrupted sequence is one U+FFFD for its valid prefix (Unicode's
            // "maximal subpart" rule); the offending byte starts the next character.
            if (i + used >= in.size() || (static_cast<unsigned char>(in[i + used]) & 0xC0U) != 0x80U) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (static_cast<unsigned char>(in[i + used]) & 0x3FU);
            ++used;
        }
        static constexpr std::array<char32_t, 4> kMinimum{0, 0x80, 0x800, 0x10000};
        if (!ok || cp < kMinimum[static_cast<std::size_t>(extra)] || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            out.push_back(kReplacement);
            i += used;
            continue;
        }
        out.push_back(cp);
        i += used;
    }
    return out;
}

struct FtFaceDeleter {
    void operator()(FT_Face face) const { FT_Done_Face(face); }
};
using FacePtr = std::unique_ptr<std::remove_pointer_t<FT_Face>, FtFaceDeleter>;

struct Glyph {
    Bitmap ink;
    int left = 0;     ///< dots from the pen position to the ink's left edge
    int top = 0;      ///< dots from the baseline up to the ink's top edge
    int advance = 0;  ///< dots the pen moves
};

}  // namespace

struct TextRaster::Impl {
    FT_Library library = nullptr;
    FacePtr regular;
    FacePtr bold;

    ~Impl() {
        regular.reset();
        bold.reset();
        if (library != nullptr) FT_Done_FreeType(library);
    }

    FT_Face face(bool isBold) const { return isBold ? bold.get() : regular.get(); }

    Glyph glyph(char32_t c, int pixelSize, bool isBold) const {
        FT_Face f = face(isBold);
        FT_Set_Pixel_Sizes(f, 0, static_cast<FT_UInt>(std::max(pixelSize, 1)));
        FT_UInt index = FT_Get_Char_Index(f, c);
        if (index == 0) index = FT_Get_Char_Index(f, U'?');
        Glyph g;
        if (FT_Load_Glyph(f, index, FT_LOAD_RENDER) != 0) return g;
        const FT_Bitmap& bm = f->glyph->bitmap;
        g.left = f->glyph->bitmap_left;
        g.top = f->glyph->bitmap_top;
        g.advance = static_cast<int>(f->glyph->advance.x >> 6);
        g.ink = Bitmap(static_cast<int>(bm.width), static_cast<int>(bm.rows));
        for (unsigned y = 0; y < bm.rows; ++y) {
            const unsigned char* row = bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch;
            for (unsigned x = 0; x < bm.width; ++x)
                if (row[x] >= kInkThreshold) g.ink.set(static_cast<int>(x), static_cast<int>(y));
        }
        return g;
    }

    int advance(char32_t c, int pixelSize, bool isBold) const {
        FT_Face f = face(isBold);
        FT_Set_Pixel_Sizes(f, 0, static_cast<FT_UInt>(std::max(pixelSize, 1)));
        FT_UInt index = FT_Get_Char_Index(f, c);
        if (index == 0) index = FT_Get_Char_Index(f, U'?');
        if (FT_Load_Glyph(f, index, FT_LOAD_DEFAULT) != 0) return 0;
        return static_cast<int>(f->glyph->advance.x >> 6);
    }

    int width(std::u32string_view text, const TextStyle& style) const {
        int w = 0;
        for (char32_t c : text) w += advance(c, style.pixelSize, style.bold);
        return w;
    }

    /// One line of text, as tall as its ink needs (never less than the font's ascender + descender,
    /// so lines of one style share a height) — stacked marks on capitals ("Ấ") are never clipped.
    Bitmap line(std::u32string_view text, const TextStyle& style, int widthDots) const {
        FT_Face f = face(style.bold);
        FT_Set_Pixel_Sizes(f, 0, static_cast<FT_UInt>(std::max(style.pixelSize, 1)));
        int ascent = static_cast<int>(f->size->metrics.ascender >> 6);
        int descent = static_cast<int>(-(f->size->metrics.descender >> 6));
        std::vector<Glyph> glyphs;
        glyphs.reserve(text.size());
        int pen = 0;
        for (char32_t c : text) {
            glyphs.push_back(glyph(c, style.pixelSize, style.bold));
            const Glyph& g = glyphs.back();
            if (!g.ink.empty()) {
                ascent = std::max(ascent, g.top);
                descent = std::max(descent, g.ink.height() - g.top);
            }
            pen += g.advance;
        }
        Bitmap out(widthDots, ascent + descent);
        int x = 0;
        if (style.align == Align::Center) x = (widthDots - pen) / 2;
        if (style.align == Align::Right) x = widthDots - pen;
        x = std::max(x, 0);
        for (const Glyph& g : glyphs) {
            out.draw(g.ink, x + g.left, ascent - g.top);
            x += g.advance;
        }
        return out;
    }
};

TextRaster::TextRaster(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TextRaster::TextRaster(TextRaster&&) noexcept = default;
TextRaster& TextRaster::operator=(TextRaster&&) noexcept = default;
TextRaster::~TextRaster() = default;

std::expected<TextRaster, std::string> TextRaster::open(const std::filesystem::path& regular,
                                                        const std::filesystem::path& bold) {
    auto impl = std::make_unique<Impl>();
    if (FT_Init_FreeType(&impl->library) != 0)
        return std::unexpected(std::string("FreeType failed to start"));
    for (auto [path, slot] : {std::pair{&regular, &impl->regular}, std::pair{&bold, &impl->bold}}) {
        FT_Face face = nullptr;
        if (FT_New_Face(impl->library, path->c_str(), 0, &face) != 0)
            return std::unexpected(
                fmt::format("cannot load font {} (Debian package fonts-noto-core)", path->string()));
        slot->reset(face);
    }
    return TextRaster(std::move(impl));
}

std::expected<TextRaster, std::string> TextRaster::openNoto() {
    return open(kNotoRegular, kNotoBold);
}

std::u32string TextRaster::sanitize(std::string_view utf8) {
    std::u32string out;
    for (char32_t c : decodeUtf8(utf8)) {
        if (c == U'\t') c = U' ';
        if (c != U'\n' && isDropped(c)) continue;
        if (!out.empty()) {
            if (const char32_t composed = compose(out.back(), c); composed != 0) {
                out.back() = composed;
                continue;
            }
            if (const char32_t reordered = composeReordered(out.back(), c); reordered != 0) {
                out.back() = reordered;
                continue;
            }
        }
        out.push_back(c);
    }
    return out;
}

Bitmap TextRaster::render(std::string_view utf8, const TextStyle& style, int widthDots) {
    const std::u32string text = sanitize(utf8);
    Bitmap out(widthDots, 0);
    if (widthDots <= 0) return out;
    const int spaceWidth = m_impl->advance(U' ', style.pixelSize, style.bold);
    auto emit = [&](std::u32string_view line) {
        if (out.height() > 0) out.resizeHeight(out.height() + style.lineGap);
        out.appendBelow(m_impl->line(line, style, widthDots));
    };
    std::size_t paragraphStart = 0;
    while (paragraphStart <= text.size()) {
        std::size_t paragraphEnd = text.find(U'\n', paragraphStart);
        if (paragraphEnd == std::u32string::npos) paragraphEnd = text.size();
        const std::u32string_view paragraph(text.data() + paragraphStart, paragraphEnd - paragraphStart);
        std::u32string line;
        int lineWidth = 0;
        std::size_t pos = 0;
        while (pos < paragraph.size()) {
            if (paragraph[pos] == U' ') {
                ++pos;
                continue;
            }
            std::size_t end = paragraph.find(U' ', pos);
            if (end == std::u32string_view::npos) end = paragraph.size();
            std::u32string_view word = paragraph.substr(pos, end - pos);
            pos = end;
            int wordWidth = m_impl->width(word, style);
            if (!line.empty() && lineWidth + spaceWidth + wordWidth > widthDots) {
                emit(line);
                line.clear();
                lineWidth = 0;
            }
            // A word wider than the paper (a long code, a URL) is broken between characters.
            while (line.empty() && wordWidth > widthDots && word.size() > 1) {
                std::size_t fit = 0;
                int used = 0;
                while (fit < word.size()) {
                    const int w = m_impl->advance(word[fit], style.pixelSize, style.bold);
                    if (used + w > widthDots && fit > 0) break;
                    used += w;
                    ++fit;
                }
                emit(word.substr(0, fit));
                word.remove_prefix(fit);
                wordWidth = m_impl->width(word, style);
            }
            if (word.empty()) continue;
            if (!line.empty()) {
                line.push_back(U' ');
                lineWidth += spaceWidth;
            }
            line.append(word);
            lineWidth += wordWidth;
        }
        if (!line.empty()) emit(line);
        paragraphStart = paragraphEnd + 1;
    }
    return out;
}

Bitmap TextRaster::renderCell(char32_t codepoint, int cellWidth, int cellHeight, bool bold) {
    Bitmap cell(cellWidth, cellHeight);
    if (isDropped(codepoint) || codepoint == U' ') return cell;
    // Em size ~ 0.8 of the cell leaves room for descenders, as in the printers' 12x24 Font A.
    const int pixelSize = std::max(cellHeight * 4 / 5, 1);
    const Glyph g = m_impl->glyph(codepoint, pixelSize, bold);
    FT_Face f = m_impl->face(bold);
    const int ascent = static_cast<int>(f->size->metrics.ascender >> 6);
    const int baseline = std::min(ascent, cellHeight - 1);
    cell.draw(g.ink, (cellWidth - g.ink.width()) / 2, baseline - g.top);
    return cell;
}

}  // namespace hal
