#pragma once
// Helpers for the printer tests: printed pages as camera frames for the kiosk's own QR decoder, and
// ZBar for the 1-D barcodes the virtual printer draws; a pty playing a serial/USB printer.

#include <poll.h>
#include <pty.h>
#include <unistd.h>
#include <zbar.h>

#include <array>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "hal/bitmap.hpp"
#include "hal/frame.hpp"
#include "hal/virtual_printer.hpp"

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

/// Plays a printer on the master side of a pty: what the driver writes to the slave goes into a
/// VirtualPrinter and its answers come back.
struct PtyPrinter {
    int master = -1;
    int slave = -1;
    std::string slavePath;
    std::shared_ptr<hal::VirtualPrinter> printer;
    std::atomic<bool> stop{false};
    std::thread thread;

    explicit PtyPrinter(int width = hal::kPaper58mmDots)
        : printer(*hal::VirtualPrinter::create({width, {}})) {
        std::array<char, 128> name{};
        if (::openpty(&master, &slave, name.data(), nullptr, nullptr) != 0)
            throw std::runtime_error("openpty failed");
        slavePath = name.data();
        thread = std::thread([this] {
            std::array<std::uint8_t, 4096> buffer{};
            while (!stop) {
                pollfd pfd{master, POLLIN, 0};
                if (::poll(&pfd, 1, 50) <= 0) continue;
                const ssize_t n = ::read(master, buffer.data(), buffer.size());
                if (n <= 0) continue;
                const auto answer = printer->receive(std::span(buffer.data(), static_cast<std::size_t>(n)));
                if (!answer.empty()) (void)!::write(master, answer.data(), answer.size());
            }
        });
    }
    ~PtyPrinter() {
        stop = true;
        thread.join();
        ::close(slave);  // kept open so the pty survives between the driver's open/close
        ::close(master);
    }
};

}  // namespace printer_test
