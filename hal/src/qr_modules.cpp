#include "qr_modules.hpp"

#include <cmath>
#include <cstddef>
#include <opencv2/imgproc.hpp>

#include "qr_grid.hpp"
#include "qr_symbol.hpp"

namespace hal::detail {

namespace {

/// The pixels of a module that are read: all but a one-pixel border (the grid is good to about that).
constexpr int kInner = kUnwarpedModulePx - 2;
/// Side of the window (modules) whose mean is a module's threshold.
constexpr int kThresholdWindow = 7;
/// Weight of the module's own pixel spread against its distance from the threshold.
constexpr float kSpreadWeight = 0.5F;

}  // namespace

std::optional<ModuleMatrix> sampleModules(const cv::Mat& upright) {
    if (upright.empty() || upright.type() != CV_8UC1 || upright.cols != upright.rows ||
        upright.cols % kUnwarpedModulePx != 0)
        return std::nullopt;
    const int d = upright.cols / kUnwarpedModulePx - 2 * kUnwarpedQuietModules;
    if (d < qrDimension(1) || d > qrDimension(kMaxReadVersion) || (d - 17) % 4 != 0) return std::nullopt;

    cv::Mat level(d, d, CV_32F);
    cv::Mat spread(d, d, CV_32F);
    for (int row = 0; row < d; ++row)
        for (int column = 0; column < d; ++column) {
            const cv::Rect inner((kUnwarpedQuietModules + column) * kUnwarpedModulePx + 1,
                                 (kUnwarpedQuietModules + row) * kUnwarpedModulePx + 1, kInner, kInner);
            cv::Scalar mean;
            cv::Scalar deviation;
            cv::meanStdDev(upright(inner), mean, deviation);
            level.at<float>(row, column) = static_cast<float>(mean[0]);
            spread.at<float>(row, column) = static_cast<float>(deviation[0]);
        }
    // Local mean and contrast (standard deviation) of the module levels.
    cv::Mat localMean;
    cv::Mat localSquare;
    cv::blur(level, localMean, {kThresholdWindow, kThresholdWindow}, {-1, -1}, cv::BORDER_REFLECT);
    cv::blur(level.mul(level), localSquare, {kThresholdWindow, kThresholdWindow}, {-1, -1},
             cv::BORDER_REFLECT);

    ModuleMatrix modules;
    modules.dimension = d;
    modules.dark.resize(moduleIndex(d, 0, d));
    modules.confidence.resize(moduleIndex(d, 0, d));
    for (int row = 0; row < d; ++row)
        for (int column = 0; column < d; ++column) {
            const float mean = localMean.at<float>(row, column);
            const float contrast =
                std::sqrt(std::max(0.0F, localSquare.at<float>(row, column) - mean * mean)) + 1.0F;
            const float offset = level.at<float>(row, column) - mean;
            const auto at = moduleIndex(row, column, d);
            modules.dark[at] = offset < 0 ? 1 : 0;
            modules.confidence[at] =
                std::max(0.0F, (std::abs(offset) - kSpreadWeight * spread.at<float>(row, column)) / contrast);
        }
    return modules;
}

}  // namespace hal::detail
