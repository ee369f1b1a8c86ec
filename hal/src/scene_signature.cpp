#include "scene_signature.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <opencv2/imgproc.hpp>

#include "frame_mat.hpp"

namespace hal::detail {

std::vector<std::uint8_t> sceneSignature(const Frame& frame, int width) {
    if (frame.empty()) return {};
    // Shrinking the colour frame first and converting the few cells to gray is far cheaper than
    // converting the whole frame.
    const cv::Mat full = matView(frame);
    const cv::Mat everyOtherRow(std::max(1, full.rows / 2), full.cols, full.type(), full.data, full.step * 2);
    const int cellsAcross = std::clamp(width, 1, frame.width);
    const int cellsDown = std::max(
        1, static_cast<int>(std::lround(static_cast<double>(frame.height) * cellsAcross / frame.width)));
    cv::Mat small;
    cv::resize(everyOtherRow, small, {cellsAcross, cellsDown}, 0, 0, cv::INTER_AREA);
    if (small.channels() == 3) cv::cvtColor(small, small, cv::COLOR_RGB2GRAY);
    cv::GaussianBlur(small, small, {3, 3}, 0);
    return {small.begin<std::uint8_t>(), small.end<std::uint8_t>()};
}

bool sceneChanged(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, int changeLevel,
                  double changedArea) {
    if (a.size() != b.size()) return true;
    const auto needed = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(changedArea * static_cast<double>(a.size()))));
    std::size_t changed = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::abs(int{a[i]} - int{b[i]}) >= changeLevel && ++changed == needed) return true;
    }
    return false;
}

}  // namespace hal::detail
