#include "ticket_writer.hpp"

#include <utility>

namespace hal {

namespace {

constexpr int kGap = 16;     // dots between blocks (2 mm)
constexpr int kMargin = 16;  // dots of white paper left and right of text (2 mm): a thermal head's
                             // outermost dots print faint, and text flush with the edge reads badly

}  // namespace

TicketWriter::TicketWriter(TextRaster& text, int widthDots)
    : m_text(text), m_width(widthDots), m_job(widthDots) {}

std::expected<void, std::string> TicketWriter::logo(const Bitmap* logo) {
    if (logo == nullptr || logo->empty()) return {};
    if (auto added = m_job.addImage(*logo, Align::Center); !added)
        return std::unexpected("logo: " + added.error());
    m_job.feed(kGap);
    return {};
}

std::expected<void, std::string> TicketWriter::image(const Bitmap& image) {
    return m_job.addImage(image, Align::Center);
}

std::expected<void, std::string> TicketWriter::text(const std::string& s, TextStyle style) {
    if (s.empty()) return {};
    auto added = m_job.addImage(m_text.render(s, style, m_width - 2 * kMargin), Align::Center);
    m_job.feed(kGap / 2);
    return added;
}

void TicketWriter::rule() {
    Bitmap line(m_width, 2);
    for (int x = 0; x < m_width; x += 8) line.fillRect(x, 0, 5, 2);  // dashed, like a tear line
    (void)m_job.addImage(line, Align::Center);
    m_job.feed(kGap);
}

PrintJob TicketWriter::finish() {
    m_job.feed(kGap * 2);
    m_job.cut();
    return std::move(m_job);
}

}  // namespace hal
