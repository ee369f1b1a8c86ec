#pragma once
// hal-internal: QR finder patterns (the three 7x7 squares in a code's corners) in a binarised image, by
// ZXing's method: 1:1:3:1:1 dark-light-dark-light-dark runs along a row, confirmed down the column
// through their centre. Used by the scan hint (is a code there at all?) and the grid sampler (where
// are its corners?).

#include <cstddef>
#include <opencv2/core.hpp>
#include <vector>

namespace hal::detail {

struct FinderPattern {
    cv::Point2f centre;  ///< pixels, the centre of the 3x3 dark core
    float module = 0;    ///< pixels per module, from the pattern's width across and down
    int rows = 0;        ///< image rows that crossed it: a real pattern is crossed by ~3 modules of rows
};

/// The finder patterns of `binary` (8-bit, 0 = dark), in the order they were first met, rows top down.
/// Crossings closer than a pattern's width are one pattern (their centres and module sizes averaged).
/// Stops once `limit` distinct patterns are known (a noisy region can hold many candidates).
[[nodiscard]] std::vector<FinderPattern> findFinderPatterns(const cv::Mat& binary, std::size_t limit);

}  // namespace hal::detail
