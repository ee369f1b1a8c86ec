#pragma once
// ScanHint — why a code the camera sees does not read, in words a shopper can act on. Measured on the
// most code-like region of a frame nothing was decoded from, and only when that region shows at least
// two QR finder patterns (1:1:3:1:1 across and down): a hint is never made up from a textured counter.
//   px per module  the typical width of a dark or light run across the region (a module's size)
//   sharpness      module size / edge width: how many times a module is wider than the blur of its
//                  edges (a sharp code is well above 2; blur or motion brings it towards 1)
//   saturation     the share of the region's pixels at the sensor's ceiling (specular glare)
// and turned into one hint by fixed thresholds (adviseFrom). The kiosk shows hintText() under the
// camera preview; Scanner::hint() holds the current one.

#include <cstdint>
#include <optional>
#include <string_view>

#include "hal/frame.hpp"

namespace hal {

enum class ScanHint : std::uint8_t {
    None,               ///< nothing to say (no code seen, or it reads)
    HoldCloser,         ///< modules too small for the camera to resolve
    HoldStill,          ///< edges smeared: motion or out of focus
    TiltAwayFromLight,  ///< glare blows out part of the code
    FlattenReceipt,     ///< big, sharp, no glare, and still unreadable: curled or crumpled paper
};

struct ScanMeasures {
    double pxPerModule = 0;
    double sharpness = 0;
    double saturation = 0;  ///< 0..1
};

struct ScanAdvice {
    ScanHint hint = ScanHint::None;
    ScanMeasures measures;
};

/// Below this many pixels per module the decoders lose codes (docs/performance.md, "small").
inline constexpr double kHintMinPxPerModule = 3.0;
/// Below this sharpness (module width over edge width) the code is smeared.
inline constexpr double kHintMinSharpness = 1.4;
/// Above this share of clipped pixels glare hides modules.
inline constexpr double kHintMaxSaturation = 0.03;

/// The hint for `measures`: too small first (closer also sharpens), then glare, then blur, else flatten.
[[nodiscard]] ScanHint adviseFrom(const ScanMeasures& measures);

/// The measures of the most code-like region of `frame` (Gray8 or Rgb24), or nothing when no region
/// looks like a code or shows fewer than two finder patterns. Cheap (a quarter-size texture search and one region's statistics).
[[nodiscard]] std::optional<ScanMeasures> measureCodeRegion(const Frame& frame);

/// Plain words for the scan screen ("" for None).
[[nodiscard]] std::string_view hintText(ScanHint hint);

}  // namespace hal
