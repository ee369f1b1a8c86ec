#include "hal/voucher_ticket.hpp"

#include <fmt/core.h>

#include "hal/qr_raster.hpp"
#include "ticket_writer.hpp"

namespace hal {

namespace {

/// A QR module of 6 dots is 0.75 mm at 203 dpi: a version 5-7 voucher QR comes out 3-4 cm wide,
/// which phone cameras and POS scanners read at arm's length. Never below 4 dots (0.5 mm): thermal
/// dots bleed, and smaller modules stop decoding reliably.
constexpr int kQrModuleDots = 6;
constexpr int kQrMinModuleDots = 4;

}  // namespace

std::expected<PrintJob, std::string> VoucherTicket::layout(TextRaster& text, int widthDots,
                                                           const Bitmap* logo) const {
    if (qrPayload.empty()) return std::unexpected(std::string("voucher has no QR payload"));
    if (code.empty()) return std::unexpected(std::string("voucher has no code"));
    TicketWriter w(text, widthDots);
    const bool narrow = w.narrow();
    if (auto r = w.logo(logo); !r) return std::unexpected(r.error());
    if (auto r = w.text(title, {narrow ? 26 : 30, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    if (auto r = w.text(valueText, {narrow ? 48 : 64, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    if (auto r = w.text(expiryText, {narrow ? 22 : 24, false, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    if (auto r = w.text(memberLine, {narrow ? 20 : 22, false, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    w.rule();

    int module = kQrModuleDots;
    std::expected<Bitmap, std::string> qr = renderQr(qrPayload, module, QrEcc::M);
    while (qr && qr->width() > widthDots && module > kQrMinModuleDots)
        qr = renderQr(qrPayload, --module, QrEcc::M);
    if (!qr) return std::unexpected("voucher QR: " + qr.error());
    if (qr->width() > widthDots)
        return std::unexpected(
            fmt::format("voucher QR needs {} dots, the paper has {}", qr->width(), widthDots));
    if (auto r = w.image(*qr); !r) return std::unexpected(r.error());
    if (auto r = w.text(code, {narrow ? 28 : 34, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    w.rule();
    if (auto r = w.text(terms, {narrow ? 18 : 20, false, Align::Left, 3}); !r)
        return std::unexpected(r.error());
    if (auto r = w.text(storeLine, {narrow ? 18 : 20, false, Align::Center, 3}); !r)
        return std::unexpected(r.error());
    return w.finish();
}

}  // namespace hal
