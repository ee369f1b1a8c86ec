#include "hal/test_ticket.hpp"

#include "ticket_writer.hpp"

namespace hal {

std::expected<PrintJob, std::string> TestTicket::layout(TextRaster& text, int widthDots,
                                                        const Bitmap* logo) const {
    if (title.empty()) return std::unexpected(std::string("test ticket has no title"));
    TicketWriter w(text, widthDots);
    const bool narrow = w.narrow();
    if (auto r = w.logo(logo); !r) return std::unexpected(r.error());
    if (auto r = w.text(title, {narrow ? 26 : 30, true, Align::Center, 4}); !r)
        return std::unexpected(r.error());
    w.rule();
    for (const auto& line : lines) {
        if (auto r = w.text(line, {narrow ? 20 : 22, false, Align::Left, 4}); !r)
            return std::unexpected(r.error());
    }
    w.rule();
    if (auto r = w.text(storeLine, {narrow ? 18 : 20, false, Align::Center, 3}); !r)
        return std::unexpected(r.error());
    return w.finish();
}

}  // namespace hal
