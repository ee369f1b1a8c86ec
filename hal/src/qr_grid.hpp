#pragma once
// hal-internal: the grid sampler. Crumpled and curled receipts bend a code's module grid so that no
// single perspective transform (what ZXing samples with) fits it, and a fold hides a strip of modules,
// shifting everything beyond it by part of a module. The sampler follows the code's own landmarks:
//   1. its three finder patterns give the corners and the module size, so the version (2-10);
//   2. each alignment pattern is searched for near where the grid so far puts it (nearest first), and
//      the grid is refitted through all found: a thin-plate spline (affine through the three finder
//      patterns alone), so it bends with the paper;
//   3. the code is resampled upright through that grid, and every part of it is then shifted onto
//      its own module grid: the phase of the module edges (the image gradient against a sinusoid of
//      the module period, averaged over a window of a few modules) says how far the grid there lies
//      off, as long as it is within half a module.
// The decoders then read the upright code as they read a clean one.

#include <array>
#include <opencv2/core.hpp>
#include <optional>

namespace hal::detail {

struct UnwarpedCode {
    cv::Mat image;    ///< the code upright, kUnwarpedModulePx pixels a module, a quiet zone around it
    cv::Mat aligned;  ///< `image` with every part shifted onto its own module grid (step 3)
    std::array<cv::Point2f, 4> corners{};  ///< the code's corners in the source image, clockwise from
                                           ///< its own top-left
};

inline constexpr int kUnwarpedModulePx = 6;
/// Modules of quiet zone around the unwarped code (both decoders want some).
inline constexpr int kUnwarpedQuietModules = 3;

/// The QR code of version 2-10 in `gray` (8-bit, a crop around one code at 4 or more pixels a module),
/// unwarped at `version`, or (0) at the likeliest version (the one whose alignment patterns are found,
/// else the nearest to the finder patterns' spacing). Nothing when no three finder patterns make the
/// corners of a code.
[[nodiscard]] std::optional<UnwarpedCode> unwarpCode(const cv::Mat& gray, int version = 0);

}  // namespace hal::detail
