#pragma once
// Camera controls — exposure and focus from the kiosk config ([camera] exposure_ms, focus), checked
// and applied to a capture device where it offers them (docs/camera.md).
//
// applyCameraControls() speaks in the config's units (milliseconds, the camera's focus position) to a
// CaptureControls: OpenCvCamera's wraps OpenCV's V4L2 properties (exposure_time_absolute in 100 µs
// units, focus_absolute, and their automatic modes); VirtualCamera's records what was asked, so tests
// can check that a config reaches the camera. A control the camera does not offer is not an error: the
// camera runs on its automatic mode and the report says so.

#include <expected>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hal/camera.hpp"

namespace hal {

enum class CameraControl : std::uint8_t {
    AutoExposure,   ///< 1 = the camera chooses the exposure, 0 = manual (ExposureMs)
    ExposureMs,     ///< exposure time, milliseconds
    AutoFocus,      ///< 1 = autofocus, 0 = manual (FocusPosition)
    FocusPosition,  ///< the lens position, in the camera's own units (V4L2 focus_absolute)
};

/// A device's controls as applyCameraControls() sees them.
class CaptureControls {
  public:
    virtual ~CaptureControls() = default;
    /// Sets a control; false when the device does not offer it or refused the value.
    virtual bool set(CameraControl control, double value) = 0;
    /// The value the device reports now (it may have clamped what was set); nullopt if it cannot say.
    [[nodiscard]] virtual std::optional<double> get(CameraControl control) const = 0;
};

/// A CaptureControls that accepts everything and remembers it, in order (the virtual camera's).
class RecordingCaptureControls final : public CaptureControls {
  public:
    bool set(CameraControl control, double value) override;
    [[nodiscard]] std::optional<double> get(CameraControl control) const override;
    [[nodiscard]] const std::vector<std::pair<CameraControl, double>>& asked() const { return m_asked; }

  private:
    std::vector<std::pair<CameraControl, double>> m_asked;
};

/// Valid ranges of the config's controls.
inline constexpr double kMinExposureMs = 0.1;
inline constexpr double kMaxExposureMs = 1000.0;
inline constexpr int kMaxFocusPosition = 1023;

/// BadConfig when exposure or focus is out of range, or the exposure is longer than a frame at the
/// configured fps (the camera would then drop its frame rate).
[[nodiscard]] std::expected<void, CameraError> checkCameraControls(const CameraConfig& config);

/// Applies the config's exposure and focus: a fixed value switches the automatic mode off first, no
/// value switches it on. Returns what the camera now runs with, for logs and health, e.g.
/// "exposure 8 ms (manual); focus auto" or "...; focus: not offered by this camera (left as it is)".
std::string applyCameraControls(CaptureControls& device, const CameraConfig& config);

}  // namespace hal
