#include "hal/opencv_camera.hpp"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <linux/v4l2-controls.h>

#include <charconv>
#include <filesystem>
#include <opencv2/videoio.hpp>

#include "frame_mat.hpp"
#include "hal/camera_controls.hpp"

namespace hal {

namespace fs = std::filesystem;

struct OpenCvCamera::Device {
    cv::VideoCapture capture;
};

namespace {

/// "0" -> "/dev/video0"; anything else is taken as a path.
std::string devicePath(const std::string& device) {
    int index = 0;
    const auto [end, ec] = std::from_chars(device.data(), device.data() + device.size(), index);
    if (ec == std::errc{} && end == device.data() + device.size() && index >= 0)
        return fmt::format("/dev/video{}", index);
    return device;
}

/// The camera's controls through OpenCV's V4L2 backend, which passes values through unscaled: the
/// V4L2 controls exposure_auto (1 manual, 3 aperture priority = automatic on UVC cameras),
/// exposure_time_absolute (100 µs units), focus_automatic_continuous and focus_absolute.
class V4l2Controls final : public CaptureControls {
  public:
    explicit V4l2Controls(cv::VideoCapture& capture) : m_capture(capture) {}

    bool set(CameraControl control, double value) override {
        try {
            return m_capture.set(property(control), toDevice(control, value));
        } catch (const cv::Exception&) {
            return false;
        }
    }

    [[nodiscard]] std::optional<double> get(CameraControl control) const override {
        try {
            const double value = m_capture.get(property(control));
            if (value == -1.0) return std::nullopt;  // OpenCV's "cannot tell"
            return control == CameraControl::ExposureMs ? value / 10.0 : value;
        } catch (const cv::Exception&) {
            return std::nullopt;
        }
    }

  private:
    static int property(CameraControl control) {
        switch (control) {
            case CameraControl::AutoExposure:
                return cv::CAP_PROP_AUTO_EXPOSURE;
            case CameraControl::ExposureMs:
                return cv::CAP_PROP_EXPOSURE;
            case CameraControl::AutoFocus:
                return cv::CAP_PROP_AUTOFOCUS;
            case CameraControl::FocusPosition:
                return cv::CAP_PROP_FOCUS;
        }
        return cv::CAP_PROP_FOCUS;
    }

    static double toDevice(CameraControl control, double value) {
        if (control == CameraControl::AutoExposure)
            return value != 0.0 ? V4L2_EXPOSURE_APERTURE_PRIORITY : V4L2_EXPOSURE_MANUAL;
        if (control == CameraControl::ExposureMs) return value * 10.0;
        return value;
    }

    cv::VideoCapture& m_capture;
};

}  // namespace

OpenCvCamera::OpenCvCamera(CameraConfig config, const Clock& clock)
    : m_config(std::move(config)), m_clock(clock) {}

OpenCvCamera::~OpenCvCamera() = default;

void OpenCvCamera::setState(CameraState state, std::string error) {
    const std::lock_guard lock(m_mutex);
    if (state == CameraState::Reconnecting && m_health.state == CameraState::Reconnecting)
        ++m_health.reconnectAttempts;
    if (state == CameraState::Streaming) m_health.reconnectAttempts = 0;
    m_health.state = state;
    m_health.lastError = std::move(error);
}

std::expected<void, CameraError> OpenCvCamera::tryOpen() {
    m_nextAttemptAt = m_clock.monotonicMs() + m_config.reconnectIntervalMs;
    const std::string path = devicePath(m_config.device);
    std::error_code ec;
    // Checking the node first keeps OpenCV from logging a warning every few seconds while unplugged.
    if (!fs::exists(path, ec)) {
        auto message = fmt::format("camera {} is not connected; retrying every {} ms", path,
                                   m_config.reconnectIntervalMs);
        setState(CameraState::Reconnecting, message);
        return std::unexpected(CameraError{CameraError::Kind::NotFound, std::move(message)});
    }
    auto device = std::make_unique<Device>();
    const bool isFile = fs::is_regular_file(path, ec);
    bool opened = false;
    try {
        if (isFile) {
            opened = device->capture.open(path, cv::CAP_FFMPEG);
        } else {
            // The capture format is requested before the size: on UVC cameras 1280x720 at 30 fps is only
            // offered as MJPG; YUYV drops to a few fps at that size.
            const int fourcc =
                m_config.fourcc == CaptureFourcc::Mjpg   ? cv::VideoWriter::fourcc('M', 'J', 'P', 'G')
                : m_config.fourcc == CaptureFourcc::Yuyv ? cv::VideoWriter::fourcc('Y', 'U', 'Y', 'V')
                                                         : 0;
            std::vector<int> params = {cv::CAP_PROP_FRAME_WIDTH, m_config.width,   cv::CAP_PROP_FRAME_HEIGHT,
                                       m_config.height,          cv::CAP_PROP_FPS, m_config.fps};
            if (fourcc != 0) params.insert(params.begin(), {cv::CAP_PROP_FOURCC, fourcc});
            opened = device->capture.open(path, cv::CAP_V4L2, params);
        }
    } catch (const cv::Exception& e) {
        opened = false;
        auto message = fmt::format("camera {} failed to open: {}", path, e.what());
        setState(CameraState::Reconnecting, message);
        return std::unexpected(CameraError{CameraError::Kind::Disconnected, std::move(message)});
    }
    if (!opened || !device->capture.isOpened()) {
        auto message = fmt::format(
            "camera {} exists but cannot be opened (busy, or not a capture device); retrying", path);
        setState(CameraState::Reconnecting, message);
        return std::unexpected(CameraError{CameraError::Kind::Disconnected, std::move(message)});
    }
    std::string controls = "(recorded video: no camera controls)";
    if (!isFile) {
        V4l2Controls v4l2(device->capture);
        controls =
            fmt::format("{}x{}; {}", device->capture.get(cv::CAP_PROP_FRAME_WIDTH),
                        device->capture.get(cv::CAP_PROP_FRAME_HEIGHT), applyCameraControls(v4l2, m_config));
    }
    spdlog::info("camera {}: {}", path, controls);
    m_device = std::move(device);
    setState(CameraState::Streaming, {});
    const std::lock_guard lock(m_mutex);
    m_health.controls = std::move(controls);
    return {};
}

std::expected<void, CameraError> OpenCvCamera::open() {
    m_wanted = true;
    m_device.reset();
    {
        const std::lock_guard lock(m_mutex);
        m_health.reconnectAttempts = 0;
    }
    return tryOpen();
}

std::expected<Frame, CameraError> OpenCvCamera::grab() {
    if (!m_wanted) return std::unexpected(CameraError{CameraError::Kind::NotFound, "camera: not open"});
    if (!m_device) {
        if (m_clock.monotonicMs() < m_nextAttemptAt) {
            const std::lock_guard lock(m_mutex);
            return std::unexpected(CameraError{CameraError::Kind::Disconnected, m_health.lastError});
        }
        if (auto opened = tryOpen(); !opened) return std::unexpected(opened.error());
    }
    cv::Mat image;
    bool ok = false;
    try {
        ok = m_device->capture.read(image) && !image.empty();
    } catch (const cv::Exception&) {
        ok = false;
    }
    if (!ok) {
        // A USB camera that was unplugged fails its reads; close it and reopen later.
        m_device.reset();
        m_nextAttemptAt = m_clock.monotonicMs() + m_config.reconnectIntervalMs;
        auto message =
            fmt::format("camera {} stopped delivering frames; reconnecting", devicePath(m_config.device));
        setState(CameraState::Reconnecting, message);
        return std::unexpected(CameraError{CameraError::Kind::Disconnected, std::move(message)});
    }
    Frame frame = detail::frameFromMat(image);
    const std::lock_guard lock(m_mutex);
    frame.sequence = m_health.framesDelivered++;
    frame.capturedAt = m_clock.monotonicMs();
    m_health.lastFrameAt = frame.capturedAt;
    return frame;
}

void OpenCvCamera::close() {
    m_wanted = false;
    m_device.reset();
    setState(CameraState::Closed, {});
}

CameraHealth OpenCvCamera::health() const {
    const std::lock_guard lock(m_mutex);
    return m_health;
}

}  // namespace hal
