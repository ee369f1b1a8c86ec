#include "hal/scan_hint.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "frame_mat.hpp"
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

/// True when five runs (dark, light, dark, light, dark) have a finder pattern's 1:1:3:1:1 widths, each
/// within three quarters of a module (looser than ZXing's half: blur and 1.5 px modules blur the rings).
bool finderRatio(const std::array<int, 5>& runs) {
    int total = 0;
    for (const int run : runs) {
        if (run == 0) return false;
        total += run;
    }
    if (total < 7) return false;
    const double module = total / 7.0;
    const double slack = module * 0.75;
    return std::abs(module - runs[0]) < slack && std::abs(module - runs[1]) < slack &&
           std::abs(3.0 * module - runs[2]) < 3.0 * slack && std::abs(module - runs[3]) < slack &&
           std::abs(module - runs[4]) < slack;
}

/// Whether the column `x` of `binary` (0 = dark) crosses a finder pattern centred near row `y`: from
/// the centre's dark run out to the light ring and the dark ring on both sides (ZXing's cross-check).
bool finderInColumn(const cv::Mat& binary, int x, int y) {
    const auto dark = [&](int row) { return binary.at<std::uint8_t>(row, x) == 0; };
    if (!dark(y)) return false;
    std::array<int, 5> runs{};
    int up = y;
    for (int i = 2, want = 0; i >= 0; --i, want ^= 1) {
        while (up >= 0 && dark(up) == (want == 0)) {
            ++runs[static_cast<std::size_t>(i)];
            --up;
        }
    }
    int down = y + 1;
    for (int i = 2, want = 0; i <= 4; ++i, want ^= 1) {
        while (down < binary.rows && dark(down) == (want == 0)) {
            ++runs[static_cast<std::size_t>(i)];
            ++down;
        }
    }
    return finderRatio(runs);
}

/// Whether `binary` (0 = dark) shows at least `wanted` finder patterns: centres of 1:1:3:1:1 runs along
/// a row that the column through them confirms, those closer than a finder's width counted once. Stops
/// at `wanted` (a noisy region can hold many candidates, and comparing them all costs tens of ms).
bool showsFinderPatterns(const cv::Mat& binary, std::size_t wanted) {
    std::vector<cv::Point> centres;
    for (int y = 0; y < binary.rows; ++y) {
        const std::uint8_t* row = binary.ptr<std::uint8_t>(y);
        std::vector<int> starts;  // where each run of the row begins
        for (int x = 0; x < binary.cols; ++x)
            if (x == 0 || row[x] != row[x - 1]) starts.push_back(x);
        starts.push_back(binary.cols);
        for (std::size_t r = 0; r + 5 < starts.size(); ++r) {
            if (row[starts[r]] != 0) continue;
            std::array<int, 5> runs{};
            for (std::size_t i = 0; i < 5; ++i) runs[i] = starts[r + i + 1] - starts[r + i];
            if (!finderRatio(runs)) continue;
            const int x = (starts[r + 2] + starts[r + 3]) / 2;
            if (!finderInColumn(binary, x, y)) continue;
            const int width = starts[r + 5] - starts[r];
            const bool known = std::any_of(centres.begin(), centres.end(), [&](const cv::Point& c) {
                return std::abs(c.x - x) < width && std::abs(c.y - y) < width;
            });
            if (known) continue;
            centres.emplace_back(x, y);
            if (centres.size() >= wanted) return true;
        }
    }
    return false;
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
    if (!showsFinderPatterns(binary, kMinFinderPatterns)) return std::nullopt;
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
