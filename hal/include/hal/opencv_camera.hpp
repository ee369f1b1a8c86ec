#pragma once
// OpenCvCamera — the real camera: OpenCV VideoCapture on V4L2 (device "0" or "/dev/video2"), with the
// size, frame rate and pixel format (MJPG/YUYV) from CameraConfig.
//
// USB cameras disappear (a loose cable, a hub reset) and come back: a failed read closes the device,
// health() turns Reconnecting, and grab() tries to reopen it at most once per
// CameraConfig::reconnectIntervalMs (timed with the hal::Clock), returning Disconnected/NotFound
// until it succeeds. Nothing throws.
//
// A path that is a regular file is opened with OpenCV's FFmpeg backend instead of V4L2 — the same
// read/convert/reconnect code then runs on a recorded video (tests; a kiosk has no use for it).
//
// Threads: see hal::Camera.

#include <memory>
#include <mutex>

#include "hal/camera.hpp"

namespace hal {

class OpenCvCamera final : public Camera {
  public:
    /// `clock` must outlive the camera.
    OpenCvCamera(CameraConfig config, const Clock& clock);
    ~OpenCvCamera() override;
    OpenCvCamera(const OpenCvCamera&) = delete;
    OpenCvCamera& operator=(const OpenCvCamera&) = delete;

    [[nodiscard]] std::expected<void, CameraError> open() override;
    [[nodiscard]] std::expected<Frame, CameraError> grab() override;
    void close() override;
    [[nodiscard]] CameraHealth health() const override;
    [[nodiscard]] std::string_view driverName() const override { return "opencv"; }

  private:
    struct Device;
    [[nodiscard]] std::expected<void, CameraError> tryOpen();
    void setState(CameraState state, std::string error);

    CameraConfig m_config;
    const Clock& m_clock;
    std::unique_ptr<Device> m_device;  ///< driving thread only
    MonotonicMs m_nextAttemptAt = 0;   ///< driving thread only
    bool m_wanted = false;             ///< open() called and not closed
    mutable std::mutex m_mutex;        ///< guards m_health
    CameraHealth m_health;
};

}  // namespace hal
