// The end-to-end camera test: a generated MJPG video of a receipt sliding into view and then
// held still, played by the camera, scanned by the Scanner worker -> exactly one scan event carrying
// the receipt's token. And an idle camera's video (an empty counter, sensor noise, MJPG) is one still
// scene for the scanner's change gate.

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <thread>

#include "hal/opencv_camera.hpp"
#include "hal/scanner.hpp"
#include "hal/virtual_camera.hpp"
#include "qr_testset.hpp"
#include "temp_dir.hpp"

using namespace std::chrono_literals;

namespace {

constexpr int kMovingFrames = 30;
constexpr int kHeldFrames = 45;

/// Frames 0..kMovingFrames slide the photo in from the right, motion-blurred; then it is held.
void writeReceiptVideo(const std::filesystem::path& path, const std::string& token) {
    const cv::Mat photo = bench::renderReceiptPhoto(token, bench::Distortion::Clean, 5150);
    cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, photo.size());
    ASSERT_TRUE(writer.isOpened());
    for (int i = 0; i < kMovingFrames + kHeldFrames; ++i) {
        const double left = std::max(0, kMovingFrames - i) / static_cast<double>(kMovingFrames);
        const double shift = photo.cols * left;
        const cv::Mat move = (cv::Mat_<double>(2, 3) << 1, 0, shift, 0, 1, 0);
        cv::Mat frame;
        cv::warpAffine(photo, frame, move, photo.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                       cv::Scalar(90, 95, 100));
        if (i < kMovingFrames) cv::blur(frame, frame, {9, 1});  // the hand is moving
        writer.write(frame);
    }
}

template <typename Predicate>
bool waitFor(Predicate done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

void expectOneEvent(hal::Camera& camera, const std::string& token) {
    const hal::SystemClock clock;
    // Every frame of the file is looked at (the file plays faster than real time); the change gate
    // decodes the moving ones and the settle period after them, the default configuration otherwise.
    hal::Scanner scanner(camera, clock,
                         {.forgetAfterMs = 3000, .retryDelayMs = 20, .minDecodeIntervalMs = 0});
    scanner.start();
    ASSERT_TRUE(waitFor(
        [&] {
            const auto stats = scanner.stats();
            return stats.framesDecoded + stats.framesStill >= kMovingFrames + kHeldFrames;
        },
        60s))
        << scanner.stats().framesDecoded << " frames decoded";
    scanner.stop();
    // The held part of the video is a still scene, even through MJPG compression: past the settle
    // period (and at most one still-interval decode) its frames are not decoded.
    EXPECT_LT(scanner.stats().framesDecoded, kMovingFrames + kHeldFrames / 2);
    const auto events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].text, token);
    EXPECT_EQ(events[0].frameWidth, 1280);
    EXPECT_EQ(events[0].frameHeight, 720);
    // Found once the receipt is in view, not in the first blurred frames where it is mostly outside.
    EXPECT_GT(events[0].frameSequence, 10U);
}

}  // namespace

TEST(ScannerVideo, ReceiptMovingIntoViewIsExactlyOneScanEvent) {
    const TempDir dir;
    const auto video = dir.path() / "receipt.avi";
    const std::string token = bench::makeReceiptToken(777);
    writeReceiptVideo(video, token);
    hal::SystemClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = video.string(), .loop = false}, clock);
    expectOneEvent(camera, token);
}

TEST(ScannerVideo, SameVideoThroughTheOpenCvDriver) {
    const TempDir dir;
    const auto video = dir.path() / "receipt.avi";
    const std::string token = bench::makeReceiptToken(778);
    writeReceiptVideo(video, token);
    hal::SystemClock clock;
    // At the end of the file the driver sees a lost device and retries later; the interval is long
    // enough that the test has stopped before it could replay the file.
    hal::OpenCvCamera camera({.driver = "opencv", .device = video.string(), .reconnectIntervalMs = 600'000},
                             clock);
    expectOneEvent(camera, token);
}

TEST(ScannerVideo, EmptyCounterThroughANoisySensorIsAStillScene) {
    // What an idle kiosk's camera delivers: the counter, fresh sensor noise in every frame, MJPG
    // compression on top. The change gate must see one scene: the first frame and its settle period
    // are decoded, the rest only looked at.
    const TempDir dir;
    const auto video = dir.path() / "counter.avi";
    const cv::Mat counter = bench::renderCounterPhoto(91);
    constexpr int kFrames = 40;
    {
        cv::VideoWriter writer(video.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30,
                               counter.size());
        ASSERT_TRUE(writer.isOpened());
        for (std::uint64_t i = 0; i < kFrames; ++i) writer.write(bench::withSensorNoise(counter, 6, i));
    }
    // A manual clock that never moves: no still-interval decode, only the gate's own judgement.
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = video.string(), .loop = false}, clock);
    hal::Scanner scanner(camera, clock, {.retryDelayMs = 20, .minDecodeIntervalMs = 0});
    scanner.start();
    ASSERT_TRUE(waitFor(
        [&] {
            const auto stats = scanner.stats();
            return stats.framesDecoded + stats.framesStill >= kFrames;
        },
        60s));
    scanner.stop();
    const hal::ScannerStats stats = scanner.stats();
    EXPECT_EQ(stats.sceneChanges, 1U);
    EXPECT_EQ(stats.framesDecoded, static_cast<std::uint64_t>(hal::SceneGateConfig{}.settleDecodes));
    EXPECT_EQ(stats.eventsPosted, 0U);
}
