#pragma once
// ConsentTicket — the receipt a new member may print of the consent they gave: logo, title, the
// consent text exactly as the screen showed it, its version, what was agreed (joined, marketing), the
// masked phone and the kiosk/date line, then a cut. Laid out like VoucherTicket (same margins and
// type); all text is rasterised, so whatever the texts contain only ever becomes dots.
//
// Threads: layout() uses the caller's TextRaster (one per thread); otherwise a plain value.

#include <expected>
#include <string>

#include "hal/bitmap.hpp"
#include "hal/print_job.hpp"
#include "hal/text_raster.hpp"

namespace hal {

struct ConsentTicket {
    std::string title;          ///< "Xác nhận đồng ý tham gia"
    std::string consentText;    ///< the consent text shown on screen, any length; wrapped
    std::string versionLine;    ///< "Điều khoản phiên bản consent-2026-11"
    std::string joinLine;       ///< "Tham gia chương trình: Có"
    std::string marketingLine;  ///< "Nhận tin khuyến mãi: Không"
    std::string memberLine;     ///< the masked phone "Khách hàng: 09xx xxx 123"
    std::string storeLine;      ///< "Kiosk KIOSK-01 · 23/11/2026 10:15"

    /// The job for paper `widthDots` wide (384 or 576). `logo` may be null or empty (no logo); a
    /// logo wider than the paper is refused. Error: no consent text (a receipt of nothing).
    [[nodiscard]] std::expected<PrintJob, std::string> layout(TextRaster& text, int widthDots,
                                                              const Bitmap* logo = nullptr) const;
};

}  // namespace hal
