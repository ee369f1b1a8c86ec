#pragma once
// TestTicket — the maintenance mode's test page: logo, a title, a few lines (who asked, the printer's
// width, a line of every Vietnamese tone mark so a technician sees the raster is whole) and the
// kiosk/date line, then a cut. Laid out like ConsentTicket; all text is rasterised.
//
// Threads: layout() uses the caller's TextRaster (one per thread); otherwise a plain value.

#include <expected>
#include <string>
#include <vector>

#include "hal/bitmap.hpp"
#include "hal/print_job.hpp"
#include "hal/text_raster.hpp"

namespace hal {

struct TestTicket {
    std::string title;               ///< "TRANG IN THỬ"
    std::vector<std::string> lines;  ///< each wrapped to the paper
    std::string storeLine;           ///< "Kiosk KIOSK-01 · 23/11/2026 10:15"

    /// The job for paper `widthDots` wide (384 or 576). `logo` may be null or empty. Error: no title.
    [[nodiscard]] std::expected<PrintJob, std::string> layout(TextRaster& text, int widthDots,
                                                              const Bitmap* logo = nullptr) const;
};

}  // namespace hal
