#include "hal/print_job.hpp"

#include <fmt/core.h>

namespace hal {

std::expected<void, std::string> PrintJob::addImage(const Bitmap& image, Align align) {
    if (image.width() > m_widthDots)
        return std::unexpected(
            fmt::format("image is {} dots wide, the paper only {}", image.width(), m_widthDots));
    if (image.empty()) return {};
    Bitmap line(m_widthDots, image.height());
    int x = 0;
    if (align == Align::Center) x = (m_widthDots - image.width()) / 2;
    if (align == Align::Right) x = m_widthDots - image.width();
    line.draw(image, x, 0);
    m_items.emplace_back(Raster{std::move(line)});
    return {};
}

void PrintJob::feed(int dots) {
    if (dots > 0) m_items.emplace_back(Feed{dots});
}

void PrintJob::cut() {
    m_items.emplace_back(Cut{});
}

}  // namespace hal
