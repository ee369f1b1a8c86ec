#pragma once
// hal-internal bridge between hal::Frame and cv::Mat (OpenCV stays out of public headers).

#include <opencv2/core.hpp>

#include "hal/frame.hpp"

namespace hal::detail {

/// A read-only cv::Mat view of the frame's pixels (no copy); valid while `frame` holds them.
[[nodiscard]] cv::Mat matView(const Frame& frame);
/// The frame as 8-bit gray (a view for Gray8, a converted copy for Rgb24).
[[nodiscard]] cv::Mat grayOf(const Frame& frame);
/// A frame owning a copy of `image` (CV_8UC1 -> Gray8; CV_8UC3 in BGR order -> Rgb24).
[[nodiscard]] Frame frameFromMat(const cv::Mat& image, bool isBgr = true);

}  // namespace hal::detail
