#include "hal/bitmap.hpp"

#include <fmt/core.h>
#include "hal/atomic_file.hpp"

#include <algorithm>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace hal {

namespace {
std::size_t index(int x, int y, int width) {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
}
}  // namespace

Bitmap::Bitmap(int width, int height)
    : m_width(std::max(width, 0)),
      m_height(std::max(height, 0)),
      m_dots(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height), 0) {}

bool Bitmap::at(int x, int y) const {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return false;
    return m_dots[index(x, y, m_width)] != 0;
}

void Bitmap::set(int x, int y, bool black) {
    if (x < 0 || y < 0 || x >= m_width || y >= m_height) return;
    m_dots[index(x, y, m_width)] = black ? 1 : 0;
}

void Bitmap::fillRect(int x, int y, int w, int h, bool black) {
    const int x0 = std::max(x, 0), y0 = std::max(y, 0);
    const int x1 = std::min(x + w, m_width), y1 = std::min(y + h, m_height);
    for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx) m_dots[index(xx, yy, m_width)] = black ? 1 : 0;
}

void Bitmap::draw(const Bitmap& src, int x, int y) {
    for (int sy = 0; sy < src.m_height; ++sy) {
        const int ty = y + sy;
        if (ty < 0 || ty >= m_height) continue;
        for (int sx = 0; sx < src.m_width; ++sx) {
            const int tx = x + sx;
            if (tx < 0 || tx >= m_width) continue;
            if (src.m_dots[index(sx, sy, src.m_width)] != 0) m_dots[index(tx, ty, m_width)] = 1;
        }
    }
}

void Bitmap::resizeHeight(int height) {
    m_height = std::max(height, 0);
    m_dots.resize(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height), 0);
}

void Bitmap::appendBelow(const Bitmap& other) {
    const int top = m_height;
    resizeHeight(m_height + other.m_height);
    draw(other, 0, top);
}

Bitmap Bitmap::scaled(int factorX, int factorY) const {
    factorX = std::max(factorX, 1);
    factorY = std::max(factorY, 1);
    Bitmap out(m_width * factorX, m_height * factorY);
    for (int y = 0; y < out.m_height; ++y)
        for (int x = 0; x < out.m_width; ++x)
            out.m_dots[index(x, y, out.m_width)] = m_dots[index(x / factorX, y / factorY, m_width)];
    return out;
}

Bitmap Bitmap::trimmedRows() const {
    int first = -1, last = -1;
    for (int y = 0; y < m_height; ++y) {
        const auto row = m_dots.begin() + static_cast<std::ptrdiff_t>(index(0, y, m_width));
        if (std::any_of(row, row + m_width, [](std::uint8_t d) { return d != 0; })) {
            if (first < 0) first = y;
            last = y;
        }
    }
    if (first < 0) return {};
    Bitmap out(m_width, last - first + 1);
    out.draw(*this, 0, -first);
    return out;
}

std::vector<std::uint8_t> Bitmap::packedRow(int y) const {
    std::vector<std::uint8_t> row(static_cast<std::size_t>((m_width + 7) / 8), 0);
    for (int x = 0; x < m_width; ++x)
        if (at(x, y)) row[static_cast<std::size_t>(x / 8)] |= static_cast<std::uint8_t>(0x80U >> (x % 8));
    return row;
}

std::size_t Bitmap::blackCount() const {
    return static_cast<std::size_t>(std::count(m_dots.begin(), m_dots.end(), std::uint8_t{1}));
}

std::expected<void, std::string> savePng(const Bitmap& bitmap, const std::filesystem::path& path) {
    if (bitmap.empty())
        return std::unexpected(fmt::format("{}: nothing to write (empty bitmap)", path.string()));
    cv::Mat gray(bitmap.height(), bitmap.width(), CV_8UC1);
    for (int y = 0; y < bitmap.height(); ++y) {
        auto* row = gray.ptr<std::uint8_t>(y);
        for (int x = 0; x < bitmap.width(); ++x) row[x] = bitmap.at(x, y) ? 0 : 255;
    }
    std::vector<uchar> png;
    try {
        if (!cv::imencode(".png", gray, png))
            return std::unexpected(fmt::format("cannot write {}: PNG encoding failed", path.string()));
    } catch (const cv::Exception& e) {
        return std::unexpected(fmt::format("cannot write {}: {}", path.string(), e.what()));
    }
    return writeFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()),
                               0644);
}

namespace {

/// Scales `gray` down to at most `maxWidth` (never up) and thresholds it to 1 bit.
Bitmap thresholded(cv::Mat gray, int maxWidth) {
    if (maxWidth > 0 && gray.cols > maxWidth) {
        const double scale = static_cast<double>(maxWidth) / gray.cols;
        cv::resize(gray, gray, cv::Size(), scale, scale, cv::INTER_AREA);
    }
    Bitmap out(gray.cols, gray.rows);
    for (int y = 0; y < gray.rows; ++y) {
        const auto* row = gray.ptr<std::uint8_t>(y);
        // Slightly dark-biased: thin strokes of a scaled-down logo stay printable.
        for (int x = 0; x < gray.cols; ++x) out.set(x, y, row[x] < 160);
    }
    return out;
}

}  // namespace

std::expected<Bitmap, std::string> loadBitmap(const std::filesystem::path& path, int maxWidth) {
    cv::Mat gray;
    try {
        gray = cv::imread(path.string(), cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception& e) {
        return std::unexpected(fmt::format("cannot read image {}: {}", path.string(), e.what()));
    }
    if (gray.empty()) return std::unexpected(fmt::format("cannot read image {}", path.string()));
    return thresholded(std::move(gray), maxWidth);
}

std::expected<Bitmap, std::string> decodeBitmap(std::span<const std::uint8_t> encoded, int maxWidth) {
    cv::Mat gray;
    try {
        gray = cv::imdecode(cv::_InputArray(encoded.data(), static_cast<int>(encoded.size())),
                            cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception& e) {
        return std::unexpected(fmt::format("cannot decode the image: {}", e.what()));
    }
    if (gray.empty()) return std::unexpected("cannot decode the image");
    return thresholded(std::move(gray), maxWidth);
}

}  // namespace hal
