#pragma once
// TicketWriter — the blocks every printed ticket shares (logo, text kept inside the margins, dashed
// tear rules, the final feed and cut), so the voucher and the consent receipt look alike and lay out
// their text the same way. Internal to hal.

#include <expected>
#include <string>

#include "hal/bitmap.hpp"
#include "hal/print_job.hpp"
#include "hal/text_raster.hpp"

namespace hal {

class TicketWriter {
  public:
    /// `text` must outlive the writer (the caller's TextRaster: one per thread).
    TicketWriter(TextRaster& text, int widthDots);

    /// True on 58 mm paper: tickets use smaller type there.
    [[nodiscard]] bool narrow() const { return m_width < kPaper80mmDots; }
    /// A null or empty logo adds nothing; a logo wider than the paper is refused.
    [[nodiscard]] std::expected<void, std::string> logo(const Bitmap* logo);
    /// Centred image (a QR), no gap added.
    [[nodiscard]] std::expected<void, std::string> image(const Bitmap& image);
    /// Wrapped within the margins, then half a gap; an empty text adds nothing.
    [[nodiscard]] std::expected<void, std::string> text(const std::string& s, TextStyle style);
    /// A dashed tear line across the paper, then a gap.
    void rule();
    /// Feeds past the cutter, cuts and hands the job over.
    [[nodiscard]] PrintJob finish();

  private:
    TextRaster& m_text;
    int m_width;
    PrintJob m_job;
};

}  // namespace hal
