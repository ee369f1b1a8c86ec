#include "hal/frame.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <system_error>
#include <utility>

#include "frame_mat.hpp"

namespace hal {

namespace {
/// Larger than any camera or receipt scan; refusing it keeps a hostile file from eating memory.
constexpr int kMaxImageSide = 8192;
/// Largest file accepted: a 8192x8192 photo is far below this; anything above is not a camera still.
constexpr std::uintmax_t kMaxImageFileBytes = 64ULL * 1024 * 1024;

/// The pixel size a PNG or JPEG header declares, without decoding: a tiny compressed file can declare
/// a gigapixel image, and decoding first would allocate it. nullopt for other formats or no size found.
std::optional<std::pair<std::uint32_t, std::uint32_t>> declaredSize(const std::vector<unsigned char>& head) {
    const auto be16 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(head[at] << 8U | head[at + 1]);
    };
    const auto be32 = [&](std::size_t at) { return be16(at) << 16U | be16(at + 2); };
    static constexpr std::array<unsigned char, 8> kPng = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (head.size() >= 24 && std::equal(kPng.begin(), kPng.end(), head.begin()))
        return std::pair{be32(16), be32(20)};  // IHDR: width, height
    if (head.size() < 4 || head[0] != 0xFF || head[1] != 0xD8) return std::nullopt;
    // JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC).
    std::size_t at = 2;
    while (at + 9 < head.size()) {
        if (head[at] != 0xFF) return std::nullopt;
        const unsigned marker = head[at + 1];
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            return std::pair{be16(at + 7), be16(at + 5)};  // width, height
        at += 2 + be16(at + 2);
    }
    return std::nullopt;
}

}  // namespace

namespace detail {

cv::Mat matView(const Frame& frame) {
    const int type = frame.format == PixelFormat::Gray8 ? CV_8UC1 : CV_8UC3;
    // OpenCV has no const Mat view; nothing writes through this one.
    return {frame.height, frame.width, type, const_cast<std::uint8_t*>(frame.pixels->data()),
            static_cast<std::size_t>(frame.stride)};
}

cv::Mat grayOf(const Frame& frame) {
    const cv::Mat view = matView(frame);
    if (frame.format == PixelFormat::Gray8) return view;
    cv::Mat gray;
    cv::cvtColor(view, gray, cv::COLOR_RGB2GRAY);
    return gray;
}

Frame frameFromMat(const cv::Mat& image, bool isBgr) {
    Frame frame;
    frame.width = image.cols;
    frame.height = image.rows;
    cv::Mat packed;
    if (image.channels() == 1) {
        frame.format = PixelFormat::Gray8;
        packed = image;
    } else {
        frame.format = PixelFormat::Rgb24;
        if (isBgr)
            cv::cvtColor(image, packed, image.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB);
        else
            packed = image;
    }
    frame.stride = frame.width * bytesPerPixel(frame.format);
    auto pixels = std::make_shared<std::vector<std::uint8_t>>(static_cast<std::size_t>(frame.stride) *
                                                              static_cast<std::size_t>(frame.height));
    cv::Mat target(frame.height, frame.width, frame.format == PixelFormat::Gray8 ? CV_8UC1 : CV_8UC3,
                   pixels->data(), static_cast<std::size_t>(frame.stride));
    packed.copyTo(target);
    frame.pixels = std::move(pixels);
    return frame;
}

}  // namespace detail

std::expected<Frame, std::string> loadFrameFromFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::unexpected(fmt::format("{}: not a readable file", path.string()));
    if (std::filesystem::file_size(path, ec) > kMaxImageFileBytes || ec)
        return std::unexpected(fmt::format("{}: larger than {} MB or unreadable", path.string(),
                                           kMaxImageFileBytes / (1024 * 1024)));
    {
        std::ifstream in(path, std::ios::binary);
        std::vector<unsigned char> head(64 * 1024);
        in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        if (const auto size = declaredSize(head);
            size && (size->first > kMaxImageSide || size->second > kMaxImageSide))
            return std::unexpected(fmt::format("{}: declares {}x{} pixels, more than {} a side",
                                               path.string(), size->first, size->second, kMaxImageSide));
    }
    cv::Mat image;
    try {
        image = cv::imread(path.string(), cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return std::unexpected(fmt::format("{}: cannot decode image: {}", path.string(), e.what()));
    }
    if (image.empty()) return std::unexpected(fmt::format("{}: not an image OpenCV can read", path.string()));
    if (image.cols > kMaxImageSide || image.rows > kMaxImageSide)
        return std::unexpected(fmt::format("{}: {}x{} is larger than {} pixels a side", path.string(),
                                           image.cols, image.rows, kMaxImageSide));
    return detail::frameFromMat(image);
}

}  // namespace hal
