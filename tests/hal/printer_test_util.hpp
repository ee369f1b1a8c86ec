#pragma once
// Helpers for the printer tests: printed pages as camera frames for the kiosk's own QR decoder, and
// ZBar for the 1-D barcodes the virtual printer draws.

#include <zbar.h>

#include <memory>
#include <string>
#include <vector>

#include "hal/bitmap.hpp"
#include "hal/frame.hpp"

namespace printer_test {

/// A page as a Gray8 frame with a white margin (paper around the print, as a camera would see it).
inline hal::Frame toFrame(const hal::Bitmap& page, int margin = 40) {
    hal::Frame frame;
    frame.width = page.width() + 2 * margin;
    frame.height = page.height() + 2 * margin;
    frame.stride = frame.width;
    frame.format = hal::PixelFormat::Gray8;
    auto pixels = std::make_shared<std::vector<std::uint8_t>>(
        static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height), 255);
    for (int y = 0; y < page.height(); ++y)
        for (int x = 0; x < page.width(); ++x)
            if (page.at(x, y))
                (*pixels)[static_cast<std::size_t>(y + margin) * static_cast<std::size_t>(frame.width) +
                          static_cast<std::size_t>(x + margin)] = 0;
    frame.pixels = std::move(pixels);
    return frame;
}

/// Every symbol ZBar finds on the page, as "TYPE:text".
inline std::vector<std::string> zbarSymbols(const hal::Bitmap& page) {
    const hal::Frame frame = toFrame(page);
    zbar::ImageScanner scanner;
    scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 1);
    zbar::Image image(static_cast<unsigned>(frame.width), static_cast<unsigned>(frame.height), "Y800",
                      frame.pixels->data(), frame.pixels->size());
    scanner.scan(image);
    std::vector<std::string> out;
    for (auto symbol = image.symbol_begin(); symbol != image.symbol_end(); ++symbol)
        out.push_back(symbol->get_type_name() + ":" + symbol->get_data());
    image.set_data(nullptr, 0);
    return out;
}

}  // namespace printer_test
