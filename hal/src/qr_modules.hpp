#pragma once
// hal-internal: the module sampler. Reads each module of an upright code (qr_grid.hpp's UnwarpedCode,
// kUnwarpedModulePx pixels a module) as dark or light with a confidence, so that the reader can
// hand Reed-Solomon the least certain codewords as erasures (a known unknown costs half an error).

#include <cstdint>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

namespace hal::detail {

struct ModuleMatrix {
    int dimension = 0;               ///< modules a side
    std::vector<std::uint8_t> dark;  ///< row-major, 1 = dark
    std::vector<float> confidence;   ///< row-major, >= 0; 0 = a coin toss
};

/// The modules of the upright code in `upright` (8-bit; the code's modules on the pixel grid, a quiet
/// zone of kUnwarpedQuietModules around). Each module's level is the mean of its inner pixels; it is
/// dark when below the mean of the modules around it (a window of a few modules, so shading and
/// fading across the code do not matter); its confidence is how far it lies from that threshold,
/// in units of the local contrast, less the spread of its own pixels (a crease or an edge through it).
/// Nothing when the image is not a whole number of modules of a version 1-10 code.
[[nodiscard]] std::optional<ModuleMatrix> sampleModules(const cv::Mat& upright);

}  // namespace hal::detail
