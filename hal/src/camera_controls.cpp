#include "hal/camera_controls.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace hal {

namespace {

/// One control pair: its automatic mode and its manual value.
struct ControlPair {
    const char* name;
    CameraControl autoMode;
    CameraControl value;
    const char* unit;
};

std::string applyPair(CaptureControls& device, const ControlPair& pair, std::optional<double> wanted) {
    if (!wanted) {
        if (!device.set(pair.autoMode, 1.0))
            return fmt::format("{}: no automatic mode on this camera (left as it is)", pair.name);
        return fmt::format("{} auto", pair.name);
    }
    // The automatic mode off first: V4L2 refuses a manual value while it is on. A camera without an
    // automatic mode (a manual focus motor) refuses that and still takes the value.
    device.set(pair.autoMode, 0.0);
    if (!device.set(pair.value, *wanted))
        return fmt::format("{}: not offered by this camera (left as it is)", pair.name);
    const auto got = device.get(pair.value);
    if (got && std::abs(*got - *wanted) > 1e-6)
        return fmt::format("{} {:g}{} (manual; asked {:g}{})", pair.name, *got, pair.unit, *wanted,
                           pair.unit);
    return fmt::format("{} {:g}{} (manual)", pair.name, *wanted, pair.unit);
}

}  // namespace

bool RecordingCaptureControls::set(CameraControl control, double value) {
    m_asked.emplace_back(control, value);
    return true;
}

std::optional<double> RecordingCaptureControls::get(CameraControl control) const {
    for (auto it = m_asked.rbegin(); it != m_asked.rend(); ++it)
        if (it->first == control) return it->second;
    return std::nullopt;
}

std::expected<void, CameraError> checkCameraControls(const CameraConfig& config) {
    const auto bad = [](std::string message) {
        return std::unexpected(CameraError{CameraError::Kind::BadConfig, std::move(message)});
    };
    if (config.exposureMs) {
        const double ms = *config.exposureMs;
        if (!std::isfinite(ms) || ms < kMinExposureMs || ms > kMaxExposureMs)
            return bad(
                fmt::format("camera: exposure_ms {:g} is out of range ({:g}..{:g}; leave it out for "
                            "automatic exposure)",
                            ms, kMinExposureMs, kMaxExposureMs));
        const double frameMs = 1000.0 / std::max(config.fps, 1);
        if (ms > frameMs)
            return bad(
                fmt::format("camera: exposure_ms {:g} is longer than a frame at {} fps ({:.1f} ms): the "
                            "camera would drop its frame rate and smear moving receipts",
                            ms, config.fps, frameMs));
    }
    if (config.focus && (*config.focus < 0 || *config.focus > kMaxFocusPosition))
        return bad(fmt::format("camera: focus {} is out of range (0..{}; leave it out for autofocus)",
                               *config.focus, kMaxFocusPosition));
    return {};
}

std::string applyCameraControls(CaptureControls& device, const CameraConfig& config) {
    const ControlPair exposure{"exposure", CameraControl::AutoExposure, CameraControl::ExposureMs, " ms"};
    const ControlPair focus{"focus", CameraControl::AutoFocus, CameraControl::FocusPosition, ""};
    const std::optional<double> focusValue =
        config.focus ? std::optional<double>(*config.focus) : std::nullopt;
    // Two statements: the operands of + are evaluated in an unspecified order.
    std::string report = applyPair(device, exposure, config.exposureMs);
    return report + "; " + applyPair(device, focus, focusValue);
}

}  // namespace hal
