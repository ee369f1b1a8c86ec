#include "hal/voucher_ticket.hpp"

#include <fmt/core.h>

#include "hal/qr_raster.hpp"

namespace hal {

namespace {

/// A QR module of 6 dots is 0.75 mm at 203 dpi: a version 5-7 voucher QR comes out 3-4 cm wide,
/// which phone cameras and POS scanners read at arm's length. Never below 4 dots (0.5 mm): thermal
/// dots bleed, and smaller modules stop decoding reliably.
constexpr int kQrModuleDots = 6;
constexpr int kQrMinModuleDots = 4;
constexpr int kGap = 16;     // dots between blocks (2 mm)
constexpr int kMargin = 16;  // dots of white paper left and right of text (2 mm): a thermal head's
                             // outermost dots print faint, and text flush with the edge reads badly

Bitmap rule(int widthDots) {
    Bitmap line(widthDots, 2);
    for (int x = 0; x < widthDots; x += 8) line.fillRect(x, 0, 5, 2);  // dashed, like a tear line
    return line;
}

}  // namespace

std::expected<PrintJob, std::string> VoucherTicket::layout(TextRaster& text, int widthDots,
                                                           const Bitmap* logo) const {
    if (qrPayload.empty()) return std::unexpected(std::string("voucher has no QR payload"));
    if (code.empty()) return std::unexpected(std::string("voucher has no code"));
    const bool narrow = widthDots < kPaper80mmDots;
    PrintJob job(widthDots);
    auto add = [&](const Bitmap& image) { return job.addImage(image, Align::Center); };

    if (logo != nullptr && !logo->empty()) {
        if (auto added = add(*logo); !added) return std::unexpected("logo: " + added.error());
        job.feed(kGap);
    }
    auto addText = [&](const std::string& s, TextStyle style) -> std::expected<void, std::string> {
        if (s.empty()) return {};
        auto added = add(text.render(s, style, widthDots - 2 * kMargin));
        job.feed(kGap / 2);
        return added;
    };
    if (auto r = addText(title, {narrow ? 26 : 30, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    if (auto r = addText(valueText, {narrow ? 48 : 64, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    if (auto r = addText(expiryText, {narrow ? 22 : 24, false, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    if (auto r = addText(memberLine, {narrow ? 20 : 22, false, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    (void)add(rule(widthDots));
    job.feed(kGap);

    int module = kQrModuleDots;
    std::expected<Bitmap, std::string> qr = renderQr(qrPayload, module, QrEcc::M);
    while (qr && qr->width() > widthDots && module > kQrMinModuleDots)
        qr = renderQr(qrPayload, --module, QrEcc::M);
    if (!qr) return std::unexpected("voucher QR: " + qr.error());
    if (qr->width() > widthDots)
        return std::unexpected(
            fmt::format("voucher QR needs {} dots, the paper has {}", qr->width(), widthDots));
    if (auto r = add(*qr); !r) return std::unexpected(r.error());
    if (auto r = addText(code, {narrow ? 28 : 34, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    (void)add(rule(widthDots));
    job.feed(kGap);
    if (auto r = addText(terms, {narrow ? 18 : 20, false, Align::Left, 3}); !r)
        return std::unexpected(r.error());
    if (auto r = addText(storeLine, {narrow ? 18 : 20, false, Align::Center, 3}); !r)
        return std::unexpected(r.error());
    job.feed(kGap * 2);
    job.cut();
    return job;
}

}  // namespace hal
