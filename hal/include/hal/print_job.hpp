#pragma once
// PrintJob — what a receipt printer is asked to print, as dots: raster images (text is rasterised by
// TextRaster before it gets here), paper feeds and the final cut. A job carries no printer bytes, so
// nothing from outside can ever reach a printer as a command; the driver encodes it.
//
// A plain value type: build it on any thread, hand it to ReceiptPrinter::print().

#include <cstdint>
#include <expected>
#include <string>
#include <variant>
#include <vector>

#include "hal/bitmap.hpp"
#include "hal/text_raster.hpp"

namespace hal {

/// Printable width in dots of the two paper rolls we support (203 dpi heads).
inline constexpr int kPaper58mmDots = 384;
inline constexpr int kPaper80mmDots = 576;

class PrintJob {
  public:
    struct Raster {
        Bitmap image;  ///< exactly the job's width
    };
    struct Feed {
        int dots = 0;
    };
    struct Cut {};
    using Item = std::variant<Raster, Feed, Cut>;

    /// widthDots: the paper's printable width (kPaper58mmDots or kPaper80mmDots).
    explicit PrintJob(int widthDots) : m_widthDots(widthDots) {}

    [[nodiscard]] int widthDots() const { return m_widthDots; }
    [[nodiscard]] const std::vector<Item>& items() const { return m_items; }
    [[nodiscard]] bool empty() const { return m_items.empty(); }

    /// Places `image` on the paper with the given alignment. An image wider than the paper is refused
    /// (scale it down first) and nothing is added.
    [[nodiscard]] std::expected<void, std::string> addImage(const Bitmap& image, Align align = Align::Center);
    /// Advances the paper by `dots` (ignored when <= 0).
    void feed(int dots);
    /// Feeds to the cutter and cuts; ends the job.
    void cut();

  private:
    int m_widthDots;
    std::vector<Item> m_items;
};

}  // namespace hal
