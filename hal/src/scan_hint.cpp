#include "hal/scan_hint.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "frame_mat.hpp"
#include "qr_finder.hpp"
#include "qr_readers.hpp"

namespace hal {

namespace {

struct Runs {
    double typical = 0;    ///< the most frequent run length, pixels
    double perModule = 0;  ///< colour changes per pixel of line, times `typical`
};

/// The most frequent length of the dark and light runs along the rows and columns of a binarised
/// region (most runs in a QR code are one module long), and how busy the lines are: a code changes
/// colour every other module or so, a blurred counter edge once in a while.
Runs measureRuns(const cv::Mat& binary) {
    std::array<int, 64> counts{};
    double changes = 0;
    const auto scan = [&](const cv::Mat& lines) {
        for (int y = 0; y < lines.rows; ++y) {
            const std::uint8_t* row = lines.ptr<std::uint8_t>(y);
            int run = 1;
            for (int x = 1; x < lines.cols; ++x) {
                if (row[x] == row[x - 1]) {
                    ++run;
                    continue;
                }
                if (run < static_cast<int>(counts.size())) ++counts[static_cast<std::size_t>(run)];
                run = 1;
                ++changes;
            }
        }
    };
    scan(binary);
    scan(binary.t());
    // Runs of one pixel are mostly noise on the edges; a module below 2 px shows as runs of 1-2.
    const auto best = std::max_element(counts.begin() + 2, counts.end());
    if (*best == 0) return {};
    // Centre of mass around the peak: module sizes fall between integers.
    const auto peak = static_cast<std::size_t>(best - counts.begin());
    double weight = 0;
    double sum = 0;
    for (std::size_t i = std::max<std::size_t>(peak - 1, 1); i <= std::min(peak + 1, counts.size() - 1);
         ++i) {
        weight += counts[i];
        sum += static_cast<double>(i) * counts[i];
    }
    const double typical = sum / weight;
    return {typical, changes / (2.0 * static_cast<double>(binary.total())) * typical};
}

/// A code is seen when at least this many of its three finder patterns are: one alone is too easily
/// a printed square or a letter.
constexpr std::size_t kMinFinderPatterns = 2;

/// A code's lines change colour about every other module; diluted by the region's margin (paper,
/// counter), measured codes stay above 0.05 changes per module of line, a blurred counter below.
constexpr double kMinChangesPerModule = 0.05;
/// Modules wider than this would make a code far larger than the frame's candidate regions.
constexpr double kMaxModulePx = 12.0;

}  // namespace

ScanHint adviseFrom(const ScanMeasures& measures) {
    if (measures.pxPerModule < kHintMinPxPerModule) return ScanHint::HoldCloser;
    if (measures.saturation > kHintMaxSaturation) return ScanHint::TiltAwayFromLight;
    if (measures.sharpness < kHintMinSharpness) return ScanHint::HoldStill;
    return ScanHint::FlattenReceipt;
}

std::optional<ScanMeasures> measureCodeRegion(const Frame& frame) {
    if (frame.empty()) return std::nullopt;
    const cv::Mat gray = detail::grayOf(frame);
    const auto regions = detail::findCandidateRegions(gray);
    if (regions.empty()) return std::nullopt;
    const cv::Mat region = gray(regions.front());
    ScanMeasures measures;
    measures.saturation =
        static_cast<double>(cv::countNonZero(region >= 250)) / static_cast<double>(region.total());
    cv::Mat binary;
    cv::threshold(region, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const Runs runs = measureRuns(binary);
    if (runs.perModule < kMinChangesPerModule || runs.typical > kMaxModulePx) return std::nullopt;
    if (detail::findFinderPatterns(binary, kMinFinderPatterns).size() < kMinFinderPatterns)
        return std::nullopt;
    measures.pxPerModule = runs.typical;
    // Edge width: the contrast between the region's dark and light levels over its steepest gradients.
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(region, gx, CV_32F, 1, 0, 3, 0.125);  // 0.125: Sobel's gain, so values are levels per px
    cv::Sobel(region, gy, CV_32F, 0, 1, 3, 0.125);
    cv::Mat magnitude;
    cv::magnitude(gx, gy, magnitude);
    std::vector<float> values(magnitude.begin<float>(), magnitude.end<float>());
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(values.size() * 95 / 100);
    std::nth_element(values.begin(), nth, values.end());
    const double steepest = static_cast<double>(*nth);
    cv::Mat levels = region.clone().reshape(1, 1);
    cv::sort(levels, levels, cv::SORT_EVERY_ROW | cv::SORT_ASCENDING);
    const double dark = levels.at<std::uint8_t>(0, levels.cols / 10);
    const double light = levels.at<std::uint8_t>(0, levels.cols * 9 / 10);
    if (steepest <= 0 || light <= dark) return std::nullopt;
    const double edgeWidth = std::max(1.0, (light - dark) / steepest);
    measures.sharpness = measures.pxPerModule / edgeWidth;
    return measures;
}

std::string_view hintText(ScanHint hint) {
    switch (hint) {
        case ScanHint::None:
            return "";
        case ScanHint::HoldCloser:
            return "Hold the receipt closer to the camera";
        case ScanHint::HoldStill:
            return "Hold the receipt still";
        case ScanHint::TiltAwayFromLight:
            return "Tilt the receipt away from the light";
        case ScanHint::FlattenReceipt:
            return "Flatten the receipt";
    }
    return "";
}

}  // namespace hal
