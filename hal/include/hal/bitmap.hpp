#pragma once
// Bitmap — a 1-bit picture as a thermal printer sees it: every pixel is a dot (black) or paper
// (white). Print jobs are built from bitmaps (text is rasterised, never sent as bytes) and the virtual
// printer renders what it received into one.
//
// Units: pixels are printer dots (203 dpi on TM-T20/TM-T88-class printers: 384 dots on 58 mm paper,
// 576 on 80 mm). A plain value type; not synchronised.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace hal {

class Bitmap {
  public:
    Bitmap() = default;
    /// A white bitmap; negative sizes are treated as 0.
    Bitmap(int width, int height);

    [[nodiscard]] int width() const { return m_width; }
    [[nodiscard]] int height() const { return m_height; }
    [[nodiscard]] bool empty() const { return m_width == 0 || m_height == 0; }

    /// Out-of-range reads are white; out-of-range writes are ignored (callers clip by construction).
    [[nodiscard]] bool at(int x, int y) const;
    void set(int x, int y, bool black = true);
    void fillRect(int x, int y, int w, int h, bool black = true);
    /// ORs `src` in with its top-left at (x, y), clipped to this bitmap.
    void draw(const Bitmap& src, int x, int y);
    /// Grows (or shrinks) the height, keeping the top rows; new rows are white.
    void resizeHeight(int height);
    /// Appends `other` below, left-aligned; the width stays this bitmap's (wider content is clipped).
    void appendBelow(const Bitmap& other);
    /// The bitmap enlarged by integer factors (>= 1) in each direction.
    [[nodiscard]] Bitmap scaled(int factorX, int factorY) const;
    /// The smallest rectangle holding every black dot, as a new bitmap (empty when all white).
    [[nodiscard]] Bitmap trimmedRows() const;

    /// Row `y` packed 8 dots per byte, most significant bit leftmost — the GS v 0 raster layout.
    [[nodiscard]] std::vector<std::uint8_t> packedRow(int y) const;
    [[nodiscard]] std::size_t blackCount() const;

  private:
    int m_width = 0;
    int m_height = 0;
    std::vector<std::uint8_t> m_dots;  ///< row-major, 1 = black
};

/// Writes an 8-bit gray PNG (black dots on white). Written to a temporary name and moved into
/// place, so a reader never sees half a file. Blocks on disk I/O.
[[nodiscard]] std::expected<void, std::string> savePng(const Bitmap& bitmap,
                                                       const std::filesystem::path& path);

/// Loads any image OpenCV reads, scales it down to at most `maxWidth` dots wide (never up) and
/// thresholds it to 1 bit (dark = dot). For logos.
[[nodiscard]] std::expected<Bitmap, std::string> loadBitmap(const std::filesystem::path& path, int maxWidth);
/// The same from an encoded image in memory (the logo central sends). Error: it does not decode.
[[nodiscard]] std::expected<Bitmap, std::string> decodeBitmap(std::span<const std::uint8_t> encoded,
                                                              int maxWidth);

}  // namespace hal
