// Camera registry, VirtualCamera modes, and the OpenCV driver's failure, health and reconnect paths.
// No /dev/video* exists on a build machine: the real driver is exercised on a missing device and,
// through the same VideoCapture read/convert/reconnect code, on a recorded MJPG file.

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "../../hal/src/frame_mat.hpp"
#include "hal/camera.hpp"
#include "hal/opencv_camera.hpp"
#include "hal/virtual_camera.hpp"
#include "temp_dir.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// A frame whose pixels say which one it is (gray level 10 * index).
cv::Mat numberedImage(int index) {
    return {cv::Size(64, 48), CV_8UC3, cv::Scalar(10.0 * index, 10.0 * index, 10.0 * index)};
}

int frameNumber(const hal::Frame& frame) {
    return static_cast<int>(std::lround(frame.pixels->at(0) / 10.0));
}

void writeVideo(const fs::path& path, int frames) {
    cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, {64, 48});
    ASSERT_TRUE(writer.isOpened());
    for (int i = 0; i < frames; ++i) writer.write(numberedImage(i));
}

}  // namespace

TEST(CameraRegistry, KnowsItsDriversAndListsThemOnAnUnknownName) {
    const hal::ManualClock clock;
    EXPECT_EQ(hal::cameraDriverNames(), (std::vector<std::string>{"opencv", "virtual"}));
    auto camera = hal::makeCamera({.driver = "webcam3000"}, clock);
    ASSERT_FALSE(camera);
    EXPECT_EQ(camera.error().kind, hal::CameraError::Kind::UnknownDriver);
    EXPECT_NE(camera.error().message.find("opencv, virtual"), std::string::npos) << camera.error().message;

    auto bad = hal::makeCamera({.driver = "opencv", .width = 0}, clock);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, hal::CameraError::Kind::BadConfig);

    for (const std::string& name : hal::cameraDriverNames()) {
        auto made = hal::makeCamera({.driver = name}, clock);
        ASSERT_TRUE(made) << name;
        EXPECT_EQ((*made)->driverName(), name);
        EXPECT_EQ((*made)->health().state, hal::CameraState::Closed);
    }
}

TEST(CameraConfig, CaptureFormatFromConfigText) {
    EXPECT_EQ(hal::parseCaptureFourcc("MJPG"), hal::CaptureFourcc::Mjpg);
    EXPECT_EQ(hal::parseCaptureFourcc("yuyv"), hal::CaptureFourcc::Yuyv);
    EXPECT_EQ(hal::parseCaptureFourcc("Default"), hal::CaptureFourcc::Default);
    for (const char* bad : {"", "H264", "MJPG ", "mjpeg"}) {
        auto parsed = hal::parseCaptureFourcc(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().kind, hal::CameraError::Kind::BadConfig);
        EXPECT_NE(parsed.error().message.find("MJPG, YUYV"), std::string::npos);
    }
}

TEST(VirtualCamera, ShowsPushedImagesUntilCleared) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    ASSERT_TRUE(camera.open());
    EXPECT_FALSE(camera.grab());  // nothing shown yet
    cv::Mat gray(48, 64, CV_8UC1, cv::Scalar(77));
    camera.show(hal::detail::frameFromMat(gray));
    for (std::uint64_t i = 0; i < 3; ++i) {
        clock.advance(40ms);
        auto frame = camera.grab();
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->format, hal::PixelFormat::Rgb24);  // gray input is delivered as RGB
        EXPECT_EQ(frame->pixels->at(0), 77);
        EXPECT_EQ(frame->sequence, i);
        EXPECT_EQ(frame->capturedAt, clock.monotonicMs());
    }
    camera.clearShown();
    EXPECT_FALSE(camera.grab());
    EXPECT_EQ(camera.health().framesDelivered, 3U);
}

TEST(VirtualCamera, ShowFileRefusesWhatIsNotAnImage) {
    const hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    EXPECT_FALSE(camera.showFile("/nonexistent.png"));
    EXPECT_TRUE(camera.showFile(std::string(KIOSK_SOURCE_DIR) + "/assets/samples/receipt-01.png"));
}

TEST(VirtualCamera, LoopsAFolderOfImagesInNameOrder) {
    const TempDir dir;
    for (int i : {2, 0, 1})
        cv::imwrite((dir.path() / ("frame_" + std::to_string(i) + ".png")).string(), numberedImage(i));
    std::ofstream(dir.path() / "notes.txt") << "not an image";
    const hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = dir.path().string()}, clock);
    ASSERT_TRUE(camera.open());
    for (int expected : {0, 1, 2, 0, 1}) {
        auto frame = camera.grab();
        ASSERT_TRUE(frame);
        EXPECT_EQ(frameNumber(*frame), expected);
    }
    hal::VirtualCamera once({.driver = "virtual", .device = dir.path().string(), .loop = false}, clock);
    ASSERT_TRUE(once.open());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(once.grab());
    auto end = once.grab();
    ASSERT_FALSE(end);
    EXPECT_EQ(end.error().kind, hal::CameraError::Kind::NoFrame);
}

TEST(VirtualCamera, RewindsAVideoFile) {
    const TempDir dir;
    const fs::path video = dir.path() / "clip.avi";
    writeVideo(video, 4);
    const hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = video.string()}, clock);
    ASSERT_TRUE(camera.open());
    for (int expected : {0, 1, 2, 3, 0, 1}) {
        auto frame = camera.grab();
        ASSERT_TRUE(frame);
        EXPECT_EQ(frame->width, 64);
        EXPECT_EQ(frameNumber(*frame), expected);
    }
    EXPECT_TRUE(camera.health().healthy());
}

TEST(VirtualCamera, MissingSourceFailsToOpen) {
    const TempDir dir;
    const hal::ManualClock clock;
    hal::VirtualCamera missing({.driver = "virtual", .device = "/nonexistent/clip.avi"}, clock);
    EXPECT_FALSE(missing.open());
    EXPECT_FALSE(missing.health().healthy());
    EXPECT_NE(missing.health().lastError.find("/nonexistent/clip.avi"), std::string::npos);
    hal::VirtualCamera empty({.driver = "virtual", .device = dir.path().string()}, clock);
    auto opened = empty.open();
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, hal::CameraError::Kind::NotFound);
    std::ofstream(dir.path() / "garbage.avi") << "not a video";
    hal::VirtualCamera garbage({.driver = "virtual", .device = (dir.path() / "garbage.avi").string()}, clock);
    EXPECT_FALSE(garbage.open());
}

TEST(OpenCvCamera, MissingDeviceIsUnhealthyAndRetriedOnlyEveryInterval) {
    hal::ManualClock clock;
    hal::OpenCvCamera camera(
        {.driver = "opencv", .device = "/dev/video-kiosk-test-missing", .reconnectIntervalMs = 2000}, clock);
    auto opened = camera.open();
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, hal::CameraError::Kind::NotFound);
    EXPECT_EQ(camera.health().state, hal::CameraState::Reconnecting);
    EXPECT_FALSE(camera.health().healthy());
    EXPECT_NE(camera.health().lastError.find("not connected"), std::string::npos);
    EXPECT_FALSE(camera.grab());  // within the interval: no new attempt
    EXPECT_EQ(camera.health().reconnectAttempts, 0U);
    clock.advance(2001ms);
    EXPECT_FALSE(camera.grab());  // a new attempt
    EXPECT_EQ(camera.health().reconnectAttempts, 1U);
    camera.close();
    EXPECT_EQ(camera.health().state, hal::CameraState::Closed);
    EXPECT_FALSE(camera.grab());
}

TEST(OpenCvCamera, ReconnectsWhenTheDeviceComesBack) {
    const TempDir dir;
    const fs::path device = dir.path() / "video0.avi";
    const fs::path unplugged = dir.path() / "unplugged.avi";
    writeVideo(unplugged, 3);
    hal::ManualClock clock;
    hal::OpenCvCamera camera({.driver = "opencv", .device = device.string(), .reconnectIntervalMs = 1000},
                             clock);
    ASSERT_FALSE(camera.open());    // not plugged in at start-up
    fs::rename(unplugged, device);  // plugged in
    EXPECT_FALSE(camera.grab());    // not retried before the interval
    clock.advance(1001ms);
    for (int expected : {0, 1, 2}) {
        auto frame = camera.grab();
        ASSERT_TRUE(frame) << frame.error().message;
        EXPECT_EQ(frame->format, hal::PixelFormat::Rgb24);
        EXPECT_EQ(frameNumber(*frame), expected);
    }
    EXPECT_TRUE(camera.health().healthy());
    EXPECT_EQ(camera.health().framesDelivered, 3U);

    // The stream ends as an unplugged camera's does: reads fail, the camera reports it and reconnects.
    fs::rename(device, unplugged);
    auto lost = camera.grab();
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().kind, hal::CameraError::Kind::Disconnected);
    EXPECT_EQ(camera.health().state, hal::CameraState::Reconnecting);
    clock.advance(1001ms);
    EXPECT_FALSE(camera.grab());
    fs::rename(unplugged, device);
    clock.advance(1001ms);
    auto back = camera.grab();
    ASSERT_TRUE(back);
    EXPECT_EQ(frameNumber(*back), 0);
    EXPECT_TRUE(camera.health().healthy());
    EXPECT_EQ(camera.health().reconnectAttempts, 0U);
}

// The Camera contract, once, run against every driver of the registry (each fed the same recorded
// MJPG file: the real driver through V4L2's sibling path in VideoCapture, the virtual one as a source).
class CameraContract : public testing::TestWithParam<std::string> {};

TEST_P(CameraContract, DeliversNumberedRgbFramesAndReportsHealth) {
    const TempDir dir;
    const fs::path video = dir.path() / "clip.avi";
    writeVideo(video, 5);
    hal::ManualClock clock;
    auto made =
        hal::makeCamera({.driver = GetParam(), .device = video.string(), .width = 64, .height = 48}, clock);
    ASSERT_TRUE(made) << made.error().message;
    hal::Camera& camera = **made;
    EXPECT_EQ(camera.driverName(), GetParam());
    EXPECT_EQ(camera.health().state, hal::CameraState::Closed);
    ASSERT_TRUE(camera.open());
    EXPECT_TRUE(camera.health().healthy());
    for (std::uint64_t i = 0; i < 3; ++i) {
        clock.advance(33ms);
        auto frame = camera.grab();
        ASSERT_TRUE(frame) << frame.error().message;
        EXPECT_EQ(frame->format, hal::PixelFormat::Rgb24);
        EXPECT_EQ(frame->width, 64);
        EXPECT_EQ(frame->height, 48);
        EXPECT_GE(frame->stride, 64 * 3);
        ASSERT_EQ(frame->pixels->size(), static_cast<std::size_t>(frame->stride) * 48U);
        EXPECT_EQ(frame->sequence, i);
        EXPECT_EQ(frame->capturedAt, clock.monotonicMs());
        EXPECT_EQ(frameNumber(*frame), static_cast<int>(i));
    }
    const hal::CameraHealth health = camera.health();
    EXPECT_TRUE(health.healthy());
    EXPECT_EQ(health.framesDelivered, 3U);
    EXPECT_EQ(health.lastFrameAt, clock.monotonicMs());
    EXPECT_TRUE(health.lastError.empty());
    camera.close();
    EXPECT_EQ(camera.health().state, hal::CameraState::Closed);
    EXPECT_FALSE(camera.grab());
}

TEST_P(CameraContract, MissingSourceIsAnErrorNotACrash) {
    const hal::ManualClock clock;
    auto made = hal::makeCamera({.driver = GetParam(), .device = "/nonexistent/kiosk-camera"}, clock);
    ASSERT_TRUE(made);
    auto opened = (*made)->open();
    ASSERT_FALSE(opened);
    EXPECT_FALSE(opened.error().message.empty());
    EXPECT_FALSE((*made)->health().healthy());
    EXPECT_FALSE((*made)->grab());
}

INSTANTIATE_TEST_SUITE_P(EveryDriver, CameraContract, testing::ValuesIn(hal::cameraDriverNames()),
                         [](const testing::TestParamInfo<std::string>& param) { return param.param; });
