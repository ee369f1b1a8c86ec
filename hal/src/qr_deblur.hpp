#pragma once
// hal-internal: undoing linear motion blur on a crop around a code before it is decoded. A moving hand
// smears every module along one direction; the direction is where the gradient energy is least (the
// structure tensor's weak axis) and the length is where the derivative along it correlates most
// negatively with itself (a blurred edge I(x) - I(x - L)). Wiener deconvolution with that kernel
// gives the decoders their edges back.

#include <opencv2/core.hpp>
#include <optional>

namespace hal::detail {

struct MotionEstimate {
    double angle = 0;  ///< radians, direction of the motion in image coordinates
    int length = 0;    ///< pixels
};

/// The linear motion blur of `gray` (8-bit), or nothing when the crop looks isotropic (sharp, or
/// out of focus rather than moved) or the blur is too short to matter.
[[nodiscard]] std::optional<MotionEstimate> estimateMotionBlur(const cv::Mat& gray);

/// `gray` (8-bit) deconvolved with a line kernel of `blur`, 8-bit again. `noiseToSignal` is the
/// Wiener regulariser (higher: less ringing and noise, less sharpening).
[[nodiscard]] cv::Mat deblurMotion(const cv::Mat& gray, const MotionEstimate& blur, double noiseToSignal);

}  // namespace hal::detail
