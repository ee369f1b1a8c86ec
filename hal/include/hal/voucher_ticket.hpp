#pragma once
// VoucherTicket — what a printed voucher says, and its layout as a PrintJob: logo, title, the value
// in large type, expiry, terms wrapped to the paper, the voucher QR, the human-readable code, the
// store/kiosk line, then a cut. All text is rasterised (TextRaster), so names and campaign texts from
// outside can contain anything: they only ever become dots.
//
// Threads: layout() uses the caller's TextRaster (one per thread); otherwise a plain value.

#include <expected>
#include <string>

#include "hal/bitmap.hpp"
#include "hal/print_job.hpp"
#include "hal/text_raster.hpp"

namespace hal {

struct VoucherTicket {
    std::string title;       ///< "Phiếu mua hàng 50.000 ₫"
    std::string valueText;   ///< "50.000 ₫" — printed large
    std::string expiryText;  ///< "Hạn dùng đến 31/12/2026"
    std::string terms;       ///< campaign terms, any length; wrapped
    std::string code;        ///< human-readable voucher code, printed under the QR
    std::string qrPayload;   ///< exactly what the QR must decode to (the signed voucher token)
    std::string memberLine;  ///< optional, e.g. the masked phone "Khách hàng: 09xx xxx 123"
    std::string storeLine;   ///< "Cửa hàng Quận 1 · Kiosk KIOSK-01 · 23/11/2026 10:15"

    /// The job for paper `widthDots` wide (384 or 576). `logo` may be null or empty (no logo); a
    /// logo wider than the paper is refused. Errors: no QR payload, no code, a QR too large to print.
    [[nodiscard]] std::expected<PrintJob, std::string> layout(TextRaster& text, int widthDots,
                                                              const Bitmap* logo = nullptr) const;
};

}  // namespace hal
