#include "hal/consent_ticket.hpp"

#include "ticket_writer.hpp"

namespace hal {

std::expected<PrintJob, std::string> ConsentTicket::layout(TextRaster& text, int widthDots,
                                                           const Bitmap* logo) const {
    if (consentText.empty()) return std::unexpected(std::string("consent ticket has no consent text"));
    TicketWriter w(text, widthDots);
    const bool narrow = w.narrow();
    const TextStyle line{narrow ? 20 : 22, false, Align::Left, 4};
    if (auto r = w.logo(logo); !r) return std::unexpected(r.error());
    if (auto r = w.text(title, {narrow ? 26 : 30, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    w.rule();
    if (auto r = w.text(consentText, {narrow ? 18 : 20, false, Align::Left, 3}); !r)
        return std::unexpected(r.error());
    w.rule();
    for (const std::string* s : {&versionLine, &joinLine, &marketingLine, &memberLine}) {
        if (auto r = w.text(*s, line); !r) return std::unexpected(r.error());
    }
    if (auto r = w.text(storeLine, {narrow ? 18 : 20, false, Align::Center, 3}); !r)
        return std::unexpected(r.error());
    return w.finish();
}

}  // namespace hal
