#pragma once
// One camera picture, in a form that keeps OpenCV out of its users' headers: the UI uploads the RGB
// pixels as a texture, the scanner reads them as gray.
//
// Ownership: the pixels are shared and immutable (shared_ptr<const ...>), so a Frame is cheap to copy
// and safe to hand between threads; nobody writes into a Frame once it is published.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "hal/clock.hpp"

namespace hal {

enum class PixelFormat : std::uint8_t {
    Gray8,  ///< 1 byte per pixel
    Rgb24,  ///< 3 bytes per pixel, R G B order (what SDL_PIXELFORMAT_RGB24 expects)
};

[[nodiscard]] constexpr int bytesPerPixel(PixelFormat format) {
    return format == PixelFormat::Gray8 ? 1 : 3;
}

struct Frame {
    int width = 0;   ///< pixels
    int height = 0;  ///< pixels
    int stride = 0;  ///< bytes from one row to the next (>= width * bytesPerPixel)
    PixelFormat format = PixelFormat::Rgb24;
    std::shared_ptr<const std::vector<std::uint8_t>> pixels;  ///< stride * height bytes
    std::uint64_t sequence = 0;  ///< increases by one per frame the camera delivered since open
    MonotonicMs capturedAt = 0;  ///< hal::Clock::monotonicMs() when the camera delivered it

    [[nodiscard]] bool empty() const { return !pixels || width <= 0 || height <= 0; }
    [[nodiscard]] const std::uint8_t* row(int y) const {
        return pixels->data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride);
    }
};

/// Reads a still image (PNG, JPEG, BMP, ...) into an Rgb24 frame. Error: a message naming the file
/// and what went wrong (missing, unreadable, not an image, a file over 64 MB, or more than 8192 pixels
/// a side — checked in the PNG/JPEG header before decoding).
[[nodiscard]] std::expected<Frame, std::string> loadFrameFromFile(const std::filesystem::path& path);

}  // namespace hal
