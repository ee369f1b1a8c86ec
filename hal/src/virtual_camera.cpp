#include "hal/virtual_camera.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <thread>

#include "frame_mat.hpp"
#include "hal/camera_controls.hpp"

namespace hal {

namespace fs = std::filesystem;

/// The configured file source. Driving thread only.
struct VirtualCamera::Source {
    cv::VideoCapture video;        ///< a video file, or
    std::vector<fs::path> images;  ///< a folder of images
    std::size_t nextImage = 0;
    /// Real-time pacing simulates the device, so it uses the real clock even when hal::Clock is manual.
    std::chrono::steady_clock::time_point nextFrameDue = std::chrono::steady_clock::now();
};

namespace {

bool isImageFile(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".pgm" ||
           ext == ".ppm";
}

CameraError error(CameraError::Kind kind, std::string message) {
    return CameraError{kind, std::move(message)};
}

}  // namespace

VirtualCamera::VirtualCamera(CameraConfig config, const Clock& clock)
    : m_config(std::move(config)), m_clock(clock) {}

VirtualCamera::~VirtualCamera() = default;

std::expected<void, CameraError> VirtualCamera::open() {
    auto opened = openSource();
    RecordingCaptureControls controls;
    std::string applied = applyCameraControls(controls, m_config);
    const std::lock_guard lock(m_mutex);
    m_health = CameraHealth{};
    m_health.state = opened ? CameraState::Streaming : CameraState::Closed;
    if (!opened) m_health.lastError = opened.error().message;
    m_health.controls = std::move(applied);
    m_askedControls = controls.asked();
    return opened;
}

std::expected<void, CameraError> VirtualCamera::openSource() {
    auto source = std::make_unique<Source>();
    const fs::path path = m_config.device;
    std::error_code ec;
    if (!m_config.device.empty()) {
        if (fs::is_directory(path, ec)) {
            for (const auto& entry : fs::directory_iterator(path, ec))
                if (entry.is_regular_file() && isImageFile(entry.path()))
                    source->images.push_back(entry.path());
            std::sort(source->images.begin(), source->images.end());
            if (source->images.empty())
                return std::unexpected(
                    error(CameraError::Kind::NotFound,
                          fmt::format("virtual camera: no images in folder {}", path.string())));
        } else if (fs::is_regular_file(path, ec)) {
            // FFmpeg only: letting OpenCV probe every backend (GStreamer, image sequences) on a file that
            // is not a video costs a third of a second and leaks inside GStreamer's plugins.
            if (!source->video.open(path.string(), cv::CAP_FFMPEG) || !source->video.isOpened())
                return std::unexpected(
                    error(CameraError::Kind::NotFound,
                          fmt::format("virtual camera: cannot play video {}", path.string())));
        } else {
            return std::unexpected(
                error(CameraError::Kind::NotFound,
                      fmt::format("virtual camera: {} is neither a video file nor a folder", path.string())));
        }
    }
    m_source = std::move(source);
    return {};
}

void VirtualCamera::close() {
    m_source.reset();
    const std::lock_guard lock(m_mutex);
    m_health.state = CameraState::Closed;
}

Frame VirtualCamera::stamp(Frame frame) {
    const std::lock_guard lock(m_mutex);
    frame.sequence = m_health.framesDelivered++;
    frame.capturedAt = m_clock.monotonicMs();
    m_health.lastFrameAt = frame.capturedAt;
    m_health.lastError.clear();
    return frame;
}

std::expected<Frame, CameraError> VirtualCamera::grab() {
    if (!m_source) return std::unexpected(error(CameraError::Kind::NotFound, "virtual camera: not open"));
    if (m_config.realtime) {
        // Pace like a real camera (kiosk demos); tests leave realtime off and pull as fast as they decode.
        std::this_thread::sleep_until(m_source->nextFrameDue);
        m_source->nextFrameDue = std::max(std::chrono::steady_clock::now(), m_source->nextFrameDue) +
                                 std::chrono::microseconds(1'000'000 / m_config.fps);
    }
    {
        std::unique_lock lock(m_mutex);
        if (m_shown) {
            Frame shown = *m_shown;
            lock.unlock();
            return stamp(std::move(shown));
        }
    }
    Source& source = *m_source;
    cv::Mat image;
    if (source.video.isOpened()) {
        if (!source.video.read(image) || image.empty()) {
            if (!m_config.loop)
                return std::unexpected(error(CameraError::Kind::NoFrame, "virtual camera: end of video"));
            source.video.set(cv::CAP_PROP_POS_FRAMES, 0);
            if (!source.video.read(image) || image.empty())
                return std::unexpected(
                    error(CameraError::Kind::NoFrame, "virtual camera: video has no frames"));
        }
    } else if (!source.images.empty()) {
        if (source.nextImage == source.images.size()) {
            if (!m_config.loop)
                return std::unexpected(error(CameraError::Kind::NoFrame, "virtual camera: end of folder"));
            source.nextImage = 0;
        }
        const fs::path& path = source.images[source.nextImage++];
        image = cv::imread(path.string(), cv::IMREAD_COLOR);
        if (image.empty())
            return std::unexpected(error(CameraError::Kind::NoFrame,
                                         fmt::format("virtual camera: cannot read image {}", path.string())));
    } else {
        return std::unexpected(error(CameraError::Kind::NoFrame, "virtual camera: nothing shown"));
    }
    return stamp(detail::frameFromMat(image));
}

CameraHealth VirtualCamera::health() const {
    const std::lock_guard lock(m_mutex);
    return m_health;
}

void VirtualCamera::show(const Frame& image) {
    if (image.empty()) return;
    Frame rgb = image;  // shares the immutable pixels
    if (image.format == PixelFormat::Gray8) {
        cv::Mat converted;
        cv::cvtColor(detail::matView(image), converted, cv::COLOR_GRAY2RGB);
        rgb = detail::frameFromMat(converted, false);
    }
    const std::lock_guard lock(m_mutex);
    m_shown = std::move(rgb);
}

std::expected<void, std::string> VirtualCamera::showFile(const fs::path& path) {
    auto frame = loadFrameFromFile(path);
    if (!frame) return std::unexpected(frame.error());
    show(*frame);
    return {};
}

std::vector<std::pair<CameraControl, double>> VirtualCamera::askedControls() const {
    const std::lock_guard lock(m_mutex);
    return m_askedControls;
}

void VirtualCamera::clearShown() {
    const std::lock_guard lock(m_mutex);
    m_shown.reset();
}

}  // namespace hal
