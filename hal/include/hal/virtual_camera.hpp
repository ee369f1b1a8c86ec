#pragma once
// VirtualCamera — the camera's twin for tests, demos and the kiosk's automation socket.
// Sources, chosen by CameraConfig::device:
//   a video file (e.g. an MJPG .avi)  played and rewound at the end (loops)
//   a folder of images                 sorted by name, looped
//   ""                                 nothing but what show() pushes
// open() applies the config's exposure and focus to a recording of the controls (askedControls()), as
// OpenCvCamera applies them to the device, and reports them in health().controls.
// show(image) overrides the source until clearShown(): every grab() returns that image again (as a
// real camera would while a receipt is held still).
//
// Threads: grab/open/close from the camera's driving thread; show/clearShown/health from any thread.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "hal/camera.hpp"
#include "hal/camera_controls.hpp"

namespace hal {

class VirtualCamera final : public Camera {
  public:
    /// `clock` must outlive the camera.
    VirtualCamera(CameraConfig config, const Clock& clock);
    ~VirtualCamera() override;
    VirtualCamera(const VirtualCamera&) = delete;
    VirtualCamera& operator=(const VirtualCamera&) = delete;

    [[nodiscard]] std::expected<void, CameraError> open() override;
    [[nodiscard]] std::expected<Frame, CameraError> grab() override;
    void close() override;
    [[nodiscard]] CameraHealth health() const override;
    [[nodiscard]] std::string_view driverName() const override { return "virtual"; }

    /// Shows `image` (any format; converted to Rgb24) until clearShown() or the next show().
    void show(const Frame& image);
    /// Reads an image file and shows it. Error: as loadFrameFromFile.
    [[nodiscard]] std::expected<void, std::string> showFile(const std::filesystem::path& path);
    /// Back to the configured source (or to "no frame" for a push-only camera).
    void clearShown();
    /// The camera controls the last open() asked for, in order (camera_controls.hpp).
    [[nodiscard]] std::vector<std::pair<CameraControl, double>> askedControls() const;

  private:
    struct Source;
    [[nodiscard]] std::expected<void, CameraError> openSource();
    [[nodiscard]] Frame stamp(Frame frame);

    CameraConfig m_config;
    const Clock& m_clock;
    std::unique_ptr<Source> m_source;  ///< driving thread only
    mutable std::mutex m_mutex;        ///< guards the members below
    std::optional<Frame> m_shown;
    CameraHealth m_health;
    std::vector<std::pair<CameraControl, double>> m_askedControls;
};

}  // namespace hal
