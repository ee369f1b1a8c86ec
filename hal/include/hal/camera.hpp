#pragma once
// hal::Camera — a source of frames. Implementations:
//   "opencv"  OpenCvCamera   a V4L2 device through OpenCV VideoCapture (opencv_camera.hpp)
//   "virtual" VirtualCamera  a video file, a folder of images, or images pushed in (virtual_camera.hpp)
// makeCamera() maps the driver name from the kiosk config to one of them.
//
// Threads: a Camera is driven by ONE thread (in the kiosk, the scanner's worker); open/grab/close
// are not synchronised against each other. health() may be called from any thread.

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/clock.hpp"
#include "hal/frame.hpp"

namespace hal {

struct CameraError {
    enum class Kind : std::uint8_t {
        UnknownDriver,  ///< the config names a driver that does not exist
        BadConfig,      ///< a setting is out of range or contradictory
        NotFound,       ///< the device, file or folder is not there (yet)
        Disconnected,   ///< it was there and went away; the camera keeps retrying
        NoFrame,        ///< the device is open but delivered nothing this time
    };
    Kind kind;
    std::string message;  ///< what happened and what to do, for logs and the maintenance screen
};

enum class CameraState : std::uint8_t {
    Closed,        ///< open() not called yet, or close() called
    Streaming,     ///< delivering frames
    Reconnecting,  ///< lost or not found; retrying every CameraConfig::reconnectIntervalMs
};

struct CameraHealth {
    CameraState state = CameraState::Closed;
    std::uint64_t framesDelivered = 0;
    std::uint32_t reconnectAttempts = 0;  ///< since the last frame
    std::string lastError;                ///< empty while healthy
    std::string controls;         ///< exposure and focus as applied at the last open (camera_controls.hpp)
    MonotonicMs lastFrameAt = 0;  ///< Clock::monotonicMs() of the last frame, 0 if none

    [[nodiscard]] bool healthy() const { return state == CameraState::Streaming; }
};

enum class CaptureFourcc : std::uint8_t { Default, Mjpg, Yuyv };

/// The config spelling of a capture format: "MJPG", "YUYV" or "default" (any case). BadConfig error
/// lists the valid ones.
[[nodiscard]] std::expected<CaptureFourcc, CameraError> parseCaptureFourcc(std::string_view text);

/// The [camera] section of the kiosk config.
struct CameraConfig {
    std::string driver = "opencv";  ///< a name from cameraDriverNames()
    /// opencv: "0", "/dev/video2". virtual: a video file, a folder of images, or "" for push-only.
    std::string device = "0";
    int width = 1280;  ///< requested capture size, pixels (the device may choose another)
    int height = 720;
    int fps = 30;
    CaptureFourcc fourcc = CaptureFourcc::Mjpg;
    /// Fixed exposure time in ms (automatic exposure off); nullopt = the camera's automatic exposure.
    std::optional<double> exposureMs = std::nullopt;
    /// Fixed lens position in the camera's units (autofocus off); nullopt = autofocus. camera_controls.hpp
    std::optional<int> focus = std::nullopt;
    /// How long to wait between attempts to (re)open a missing device.
    std::int64_t reconnectIntervalMs = 2000;
    /// virtual: deliver file frames at `fps` in real time (kiosk demo) instead of as fast as asked
    /// (tests).
    bool realtime = false;
    /// virtual: start again at the end of a video file or image folder; false = report NoFrame there.
    bool loop = true;
};

class Camera {
  public:
    virtual ~Camera() = default;

    /// Opens the device. A device that is missing is NOT fatal for the real driver: it returns the
    /// error, reports Reconnecting, and grab() keeps trying. Does not block longer than the device
    /// open itself.
    [[nodiscard]] virtual std::expected<void, CameraError> open() = 0;

    /// Blocks until the next frame (at most about one frame period, or the time a reconnect attempt
    /// takes) and returns it as Rgb24. NoFrame/Disconnected/NotFound errors are transient: call again.
    [[nodiscard]] virtual std::expected<Frame, CameraError> grab() = 0;

    virtual void close() = 0;

    [[nodiscard]] virtual CameraHealth health() const = 0;
    [[nodiscard]] virtual std::string_view driverName() const = 0;
};

/// The driver names makeCamera() knows, in a stable order.
[[nodiscard]] std::vector<std::string> cameraDriverNames();

/// Builds the camera named by config.driver (not opened yet). UnknownDriver error lists the valid
/// names. `clock` must outlive the camera.
[[nodiscard]] std::expected<std::unique_ptr<Camera>, CameraError> makeCamera(const CameraConfig& config,
                                                                             const Clock& clock);

}  // namespace hal
