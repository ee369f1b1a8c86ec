#include "hal/camera.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <utility>

#include "hal/camera_controls.hpp"
#include "hal/opencv_camera.hpp"
#include "hal/virtual_camera.hpp"

namespace hal {

namespace {

using Factory = std::function<std::unique_ptr<Camera>(const CameraConfig&, const Clock&)>;

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> kDrivers = {
        {"opencv",
         [](const CameraConfig& c, const Clock& k) { return std::make_unique<OpenCvCamera>(c, k); }},
        {"virtual",
         [](const CameraConfig& c, const Clock& k) { return std::make_unique<VirtualCamera>(c, k); }},
    };
    return kDrivers;
}

}  // namespace

std::expected<CaptureFourcc, CameraError> parseCaptureFourcc(std::string_view text) {
    std::string upper(text);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper == "MJPG") return CaptureFourcc::Mjpg;
    if (upper == "YUYV") return CaptureFourcc::Yuyv;
    if (upper == "DEFAULT") return CaptureFourcc::Default;
    return std::unexpected(
        CameraError{CameraError::Kind::BadConfig,
                    fmt::format("camera: unknown capture format \"{}\" (valid: MJPG, YUYV, default)", text)});
}

std::vector<std::string> cameraDriverNames() {
    std::vector<std::string> names;
    for (const auto& [name, factory] : registry()) names.push_back(name);
    return names;
}

std::expected<std::unique_ptr<Camera>, CameraError> makeCamera(const CameraConfig& config,
                                                               const Clock& clock) {
    if (config.width <= 0 || config.height <= 0 || config.width > 8192 || config.height > 8192 ||
        config.fps <= 0 || config.fps > 240 || config.reconnectIntervalMs < 0)
        return std::unexpected(
            CameraError{CameraError::Kind::BadConfig,
                        fmt::format("camera: size {}x{} at {} fps is out of range (1-8192 px, 1-240 fps)",
                                    config.width, config.height, config.fps)});
    if (auto controls = checkCameraControls(config); !controls) return std::unexpected(controls.error());
    for (const auto& [name, factory] : registry())
        if (name == config.driver) return factory(config, clock);
    std::string valid;
    for (const auto& name : cameraDriverNames()) valid += (valid.empty() ? "" : ", ") + name;
    return std::unexpected(
        CameraError{CameraError::Kind::UnknownDriver,
                    fmt::format("camera: unknown driver \"{}\" (valid: {})", config.driver, valid)});
}

}  // namespace hal
