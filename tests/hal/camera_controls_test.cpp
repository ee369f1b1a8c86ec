// Exposure and focus from the config: checked, applied in the order V4L2 needs (automatic mode off
// before a manual value), reported honestly when the camera lacks a control, and passed to the camera.
#include "hal/camera_controls.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "hal/clock.hpp"
#include "hal/virtual_camera.hpp"

namespace {

using hal::CameraControl;
using Asked = std::vector<std::pair<CameraControl, double>>;

hal::CameraConfig withControls(std::optional<double> exposureMs, std::optional<int> focus) {
    hal::CameraConfig config;
    config.driver = "virtual";
    config.device = "";
    config.exposureMs = exposureMs;
    config.focus = focus;
    return config;
}

/// A webcam that lacks some controls and whose exposure steps are whole milliseconds (it rounds up).
class PartialWebcam final : public hal::CaptureControls {
  public:
    explicit PartialWebcam(std::set<CameraControl> missing) : m_missing(std::move(missing)) {}
    bool set(CameraControl control, double value) override {
        if (m_missing.contains(control)) return false;
        values[control] = control == CameraControl::ExposureMs ? std::ceil(value) : value;
        return true;
    }
    [[nodiscard]] std::optional<double> get(CameraControl control) const override {
        const auto it = values.find(control);
        return it == values.end() ? std::nullopt : std::optional<double>(it->second);
    }
    std::map<CameraControl, double> values;

  private:
    std::set<CameraControl> m_missing;
};

TEST(CameraControls, FixedValuesSwitchTheAutomaticModeOffFirst) {
    hal::RecordingCaptureControls device;
    const std::string report = hal::applyCameraControls(device, withControls(8.0, 40));
    const Asked expected = {{CameraControl::AutoExposure, 0.0},
                            {CameraControl::ExposureMs, 8.0},
                            {CameraControl::AutoFocus, 0.0},
                            {CameraControl::FocusPosition, 40.0}};
    EXPECT_EQ(device.asked(), expected);
    EXPECT_EQ(report, "exposure 8 ms (manual); focus 40 (manual)");
}

TEST(CameraControls, NoValueSwitchesTheAutomaticModesOn) {
    hal::RecordingCaptureControls device;
    const std::string report = hal::applyCameraControls(device, withControls(std::nullopt, std::nullopt));
    const Asked expected = {{CameraControl::AutoExposure, 1.0}, {CameraControl::AutoFocus, 1.0}};
    EXPECT_EQ(device.asked(), expected);
    EXPECT_EQ(report, "exposure auto; focus auto");
}

TEST(CameraControls, ReportsWhatTheCameraLacksOrChanged) {
    PartialWebcam fixedFocus({CameraControl::AutoFocus, CameraControl::FocusPosition});
    EXPECT_EQ(hal::applyCameraControls(fixedFocus, withControls(7.5, 40)),
              "exposure 8 ms (manual; asked 7.5 ms); focus: not offered by this camera (left as it is)");
    EXPECT_EQ(fixedFocus.values.at(CameraControl::AutoExposure), 0.0);
    EXPECT_EQ(hal::applyCameraControls(fixedFocus, withControls(std::nullopt, std::nullopt)),
              "exposure auto; focus: no automatic mode on this camera (left as it is)");

    // A focus motor without autofocus still takes a fixed position.
    PartialWebcam manualLens({CameraControl::AutoFocus});
    EXPECT_EQ(hal::applyCameraControls(manualLens, withControls(std::nullopt, 40)),
              "exposure auto; focus 40 (manual)");
    EXPECT_EQ(manualLens.values.at(CameraControl::FocusPosition), 40.0);
}

TEST(CameraControls, OutOfRangeValuesAreRefusedNamingTheKey) {
    const std::pair<hal::CameraConfig, const char*> cases[] = {
        {withControls(0.05, std::nullopt), "exposure_ms"},
        {withControls(2000.0, std::nullopt), "exposure_ms"},
        {withControls(std::nan(""), std::nullopt), "exposure_ms"},
        {withControls(40.0, std::nullopt), "longer than a frame"},  // 30 fps: 33.3 ms a frame
        {withControls(std::nullopt, -1), "focus"},
        {withControls(std::nullopt, hal::kMaxFocusPosition + 1), "focus"},
    };
    for (const auto& [config, key] : cases) {
        auto checked = hal::checkCameraControls(config);
        ASSERT_FALSE(checked.has_value()) << key;
        EXPECT_EQ(checked.error().kind, hal::CameraError::Kind::BadConfig);
        EXPECT_NE(checked.error().message.find(key), std::string::npos) << checked.error().message;
        const hal::ManualClock clock;
        auto camera = hal::makeCamera(config, clock);
        ASSERT_FALSE(camera.has_value()) << key;
        EXPECT_EQ(camera.error().kind, hal::CameraError::Kind::BadConfig);
    }
    EXPECT_TRUE(hal::checkCameraControls(withControls(33.0, 0)).has_value());
    EXPECT_TRUE(hal::checkCameraControls(withControls(std::nullopt, hal::kMaxFocusPosition)).has_value());
}

TEST(CameraControls, TheVirtualCameraRecordsWhatOpenAskedFor) {
    const hal::ManualClock clock;
    hal::VirtualCamera camera(withControls(10.0, 120), clock);
    ASSERT_TRUE(camera.open().has_value());
    const Asked expected = {{CameraControl::AutoExposure, 0.0},
                            {CameraControl::ExposureMs, 10.0},
                            {CameraControl::AutoFocus, 0.0},
                            {CameraControl::FocusPosition, 120.0}};
    EXPECT_EQ(camera.askedControls(), expected);
    EXPECT_EQ(camera.health().controls, "exposure 10 ms (manual); focus 120 (manual)");
}

}  // namespace
