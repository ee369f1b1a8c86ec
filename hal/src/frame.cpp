#include "hal/frame.hpp"

#include <fmt/core.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <system_error>

#include "frame_mat.hpp"

namespace hal {

namespace {
/// Larger than any camera or receipt scan; refusing it keeps a hostile file from eating memory.
constexpr int kMaxImageSide = 8192;
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
