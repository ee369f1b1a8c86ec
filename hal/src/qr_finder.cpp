#include "qr_finder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>

namespace hal::detail {

namespace {

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

struct Crossing {
    float centre = 0;  ///< row of the middle of the dark core
    int width = 0;     ///< the five runs together, pixels
};

/// Whether the column `x` of `binary` (0 = dark) crosses a finder pattern centred near row `y`: from
/// the centre's dark run out to the light ring and the dark ring on both sides (ZXing's cross-check).
std::optional<Crossing> crossColumn(const cv::Mat& binary, int x, int y) {
    const auto dark = [&](int row) { return binary.at<std::uint8_t>(row, x) == 0; };
    if (!dark(y)) return std::nullopt;
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
    if (!finderRatio(runs)) return std::nullopt;
    // The core runs from the top of runs[2] to its bottom: up + 1 + runs[0] + runs[1] onwards.
    const int coreTop = up + 1 + runs[0] + runs[1];
    return Crossing{static_cast<float>(coreTop) + static_cast<float>(runs[2] - 1) / 2.0F,
                    runs[0] + runs[1] + runs[2] + runs[3] + runs[4]};
}

}  // namespace

std::vector<FinderPattern> findFinderPatterns(const cv::Mat& binary, std::size_t limit) {
    std::vector<FinderPattern> found;
    std::vector<cv::Point2f> sums;  // of the centres that make each pattern, to average them
    std::vector<float> moduleSums;
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
            const auto column = crossColumn(binary, x, y);
            if (!column) continue;
            const int width = starts[r + 5] - starts[r];
            const cv::Point2f centre(static_cast<float>(starts[r + 2] + starts[r + 3] - 1) / 2.0F,
                                     column->centre);
            const float module = static_cast<float>(width + column->width) / 14.0F;
            // Every row through a pattern's core finds the same centre, to within a module or so.
            const float near = 1.5F * module;
            const auto known = std::find_if(found.begin(), found.end(), [&](const FinderPattern& p) {
                return std::abs(p.centre.x - centre.x) < near && std::abs(p.centre.y - centre.y) < near;
            });
            if (known != found.end()) {
                const auto index = static_cast<std::size_t>(known - found.begin());
                ++known->rows;
                sums[index] += centre;
                moduleSums[index] += module;
                known->centre = sums[index] / static_cast<float>(known->rows);
                known->module = moduleSums[index] / static_cast<float>(known->rows);
                continue;
            }
            found.push_back({centre, module, 1});
            sums.push_back(centre);
            moduleSums.push_back(module);
            if (found.size() >= limit) return found;
        }
    }
    return found;
}

}  // namespace hal::detail
