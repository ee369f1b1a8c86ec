// ScanDeduper on a ManualClock, and the Scanner worker over a VirtualCamera fed by show().

#include "hal/scanner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <opencv2/core.hpp>
#include <thread>

#include "../../hal/src/frame_mat.hpp"
#include "hal/scan_deduper.hpp"
#include "hal/virtual_camera.hpp"
#include "qr_testset.hpp"

using namespace std::chrono_literals;

TEST(ScanDeduper, ReceiptHeldUnderTheCameraIsOneEvent) {
    hal::ManualClock clock;
    hal::ScanDeduper deduper(3000);
    int events = 0;
    // Five seconds at 30 fps, decoded on two frames out of three.
    for (int frame = 0; frame < 150; ++frame) {
        if (frame % 3 != 2 && deduper.sighted("LK1RECEIPT", clock.monotonicMs())) ++events;
        clock.advance(33ms);
    }
    EXPECT_EQ(events, 1);
}

TEST(ScanDeduper, ShownAgainAfterLeavingTheViewIsANewEvent) {
    hal::ManualClock clock;
    hal::ScanDeduper deduper(3000);
    EXPECT_TRUE(deduper.sighted("A", clock.monotonicMs()));
    clock.advance(2000ms);
    EXPECT_FALSE(deduper.sighted("A", clock.monotonicMs()));  // a gap shorter than the forget time
    clock.advance(3000ms);
    EXPECT_FALSE(deduper.sighted("A", clock.monotonicMs()));  // exactly the forget time: still known
    clock.advance(3001ms);
    EXPECT_TRUE(deduper.sighted("A", clock.monotonicMs()));
}

TEST(ScanDeduper, DistinctCodesAreDistinctEventsAndForgottenOnesArePruned) {
    hal::ManualClock clock;
    hal::ScanDeduper deduper(1000);
    EXPECT_TRUE(deduper.sighted("A", clock.monotonicMs()));
    EXPECT_TRUE(deduper.sighted("B", clock.monotonicMs()));
    EXPECT_FALSE(deduper.sighted("A", clock.monotonicMs()));
    EXPECT_EQ(deduper.remembered(), 2U);
    clock.advance(5000ms);
    EXPECT_TRUE(deduper.sighted("C", clock.monotonicMs()));
    EXPECT_EQ(deduper.remembered(), 1U);
}

TEST(ScanDeduper, RefreshKeepsACodeInViewRememberedWithoutAnEvent) {
    hal::ManualClock clock;
    hal::ScanDeduper deduper(1000);
    deduper.refresh("A", clock.monotonicMs());  // never sighted: nothing to keep
    EXPECT_EQ(deduper.remembered(), 0U);
    EXPECT_TRUE(deduper.sighted("A", clock.monotonicMs()));
    for (int i = 0; i < 5; ++i) {
        clock.advance(800ms);
        deduper.refresh("A", clock.monotonicMs());
    }
    EXPECT_FALSE(deduper.sighted("A", clock.monotonicMs()));
    clock.advance(1001ms);
    EXPECT_TRUE(deduper.sighted("A", clock.monotonicMs()));
}

namespace {

template <typename Predicate>
bool waitFor(Predicate done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

struct ShownReceipt {
    std::string token;
    hal::Frame frame;
};

ShownReceipt receiptPhoto(std::uint64_t seed) {
    ShownReceipt receipt{bench::makeReceiptToken(seed), {}};
    receipt.frame =
        hal::detail::frameFromMat(bench::renderReceiptPhoto(receipt.token, bench::Distortion::Clean, seed));
    return receipt;
}

}  // namespace

TEST(Scanner, HeldReceiptIsOneEventAndComesBackAfterTheForgetTime) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    hal::Scanner scanner(camera, clock,
                         {.forgetAfterMs = 3000,
                          .retryDelayMs = 5,
                          .minDecodeIntervalMs = 0,
                          .gate = {.settleDecodes = 8, .stillDecodeIntervalMs = 10'000}});
    std::atomic<int> notified{0};
    scanner.setNotifier([&] { ++notified; });
    scanner.start();

    const ShownReceipt receipt = receiptPhoto(11);
    camera.show(receipt.frame);
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 1; }));
    // Held still for 5 s, longer than the forget time, time moving in small steps: the settled scene is
    // not decoded again (the still interval is longer still), yet the receipt stays one event.
    for (int i = 0; i < 10; ++i) {
        clock.advance(500ms);
        const auto target = scanner.stats().framesStill + 2;
        ASSERT_TRUE(waitFor([&] { return scanner.stats().framesStill >= target; }));
    }
    EXPECT_EQ(scanner.stats().framesDecoded, 8U);  // the settle period
    auto events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].text, receipt.token);
    EXPECT_EQ(events[0].frameWidth, 1280);
    EXPECT_EQ(events[0].frameHeight, 720);
    EXPECT_EQ(notified.load(), 1);

    // Taken away for longer than the forget time, then shown again: a new event.
    const auto errorsBefore = scanner.stats().grabErrors;
    camera.clearShown();
    ASSERT_TRUE(waitFor([&] { return scanner.stats().grabErrors > errorsBefore; }));
    clock.advance(3500ms);
    camera.show(receipt.frame);
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 2; }));
    events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].text, receipt.token);
    EXPECT_TRUE(scanner.drainEvents().empty());
    scanner.stop();
    EXPECT_EQ(camera.health().state, hal::CameraState::Closed);
}

TEST(Scanner, TwoReceiptsAreTwoEventsAndTheLatestFrameIsHandedOutOnce) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    hal::Scanner scanner(camera, clock, {.forgetAfterMs = 3000, .retryDelayMs = 5, .minDecodeIntervalMs = 0});
    EXPECT_FALSE(scanner.latestFrame().has_value());
    scanner.start();
    const ShownReceipt first = receiptPhoto(21);
    const ShownReceipt second = receiptPhoto(22);
    camera.show(first.frame);
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 1; }));
    camera.show(second.frame);
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 2; }));
    const auto events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].text, first.token);
    EXPECT_EQ(events[1].text, second.token);

    scanner.stop();  // frames stop arriving: the mailbox holds the last one, handed out exactly once
    const auto frame = scanner.latestFrame();
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->width, 1280);
    EXPECT_EQ(frame->format, hal::PixelFormat::Rgb24);
    EXPECT_FALSE(scanner.latestFrame().has_value());
}

TEST(Scanner, UndrainedEventsAreBounded) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    hal::Scanner scanner(
        camera, clock,
        {.forgetAfterMs = 3000, .retryDelayMs = 5, .maxQueuedEvents = 2, .minDecodeIntervalMs = 0});
    scanner.start();
    for (std::uint64_t seed = 31; seed < 34; ++seed) {
        const auto target = scanner.stats().eventsPosted + 1;
        camera.show(receiptPhoto(seed).frame);
        ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == target; }));
    }
    scanner.stop();
    const auto events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 2U);  // the oldest was dropped
    EXPECT_EQ(events[0].text, bench::makeReceiptToken(32));
}

TEST(Scanner, MissingCameraIsReportedAndStopIsPrompt) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = "/nonexistent/video.avi"}, clock);
    hal::Scanner scanner(camera, clock, {.retryDelayMs = 5});
    scanner.start();
    ASSERT_TRUE(waitFor([&] { return scanner.stats().grabErrors >= 3; }));
    EXPECT_FALSE(scanner.cameraHealth().healthy());
    const auto started = std::chrono::steady_clock::now();
    scanner.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST(Scanner, DecodesAtMostOncePerIntervalButKeepsThePreviewFresh) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    hal::Scanner scanner(camera, clock, {.retryDelayMs = 5, .minDecodeIntervalMs = 100});
    scanner.start();
    camera.show(receiptPhoto(41).frame);
    ASSERT_TRUE(waitFor([&] { return scanner.stats().framesGrabbed >= 20; }));
    EXPECT_EQ(scanner.stats().framesDecoded, 1U);  // time has not moved: no second decode
    EXPECT_EQ(scanner.stats().eventsPosted, 1U);
    ASSERT_TRUE(scanner.latestFrame().has_value());
    const auto grabbed = scanner.stats().framesGrabbed;
    ASSERT_TRUE(waitFor([&] { return scanner.stats().framesGrabbed > grabbed + 1; }));
    EXPECT_TRUE(scanner.latestFrame().has_value());  // newer frames reach the preview
    clock.advance(std::chrono::milliseconds(100));
    ASSERT_TRUE(waitFor([&] { return scanner.stats().framesDecoded == 2; }));
    scanner.stop();
}

namespace {

/// A live sensor over a still scene: shows `scene` with fresh noise `frames` times, 100 ms of the
/// clock apart, each until the scanner has looked at it (decoded it or found it unchanged).
void showLive(hal::VirtualCamera& camera, hal::Scanner& scanner, hal::ManualClock& clock,
              const cv::Mat& scene, std::uint64_t frames, std::uint64_t noiseSeed) {
    for (std::uint64_t i = 0; i < frames; ++i) {
        camera.show(hal::detail::frameFromMat(bench::withSensorNoise(scene, 6, noiseSeed + i)));
        const auto stats = scanner.stats();
        const auto target = stats.framesDecoded + stats.framesStill + 2;
        ASSERT_TRUE(waitFor([&] {
            const auto now = scanner.stats();
            return now.framesDecoded + now.framesStill >= target;
        }));
        clock.advance(100ms);
    }
}

constexpr hal::ScannerConfig kGatedEveryFrame{
    .retryDelayMs = 5, .minDecodeIntervalMs = 0, .gate = {.settleDecodes = 8, .stillDecodeIntervalMs = 2000}};

}  // namespace

TEST(Scanner, StillSceneStopsCostingDecodes) {
    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    hal::Scanner scanner(camera, clock, kGatedEveryFrame);
    scanner.start();
    // 3 s of an empty counter through a noisy sensor: the first frame and the settle period are
    // decoded, then one still-interval decode; every other look only computes the frame's signature.
    showLive(camera, scanner, clock, bench::renderCounterPhoto(61), 30, 1000);
    const hal::ScannerStats stats = scanner.stats();
    EXPECT_EQ(stats.framesDecoded, 8U + 1U);
    EXPECT_EQ(stats.sceneChanges, 1U);
    EXPECT_GE(stats.framesStill, 50U);
    EXPECT_EQ(stats.eventsPosted, 0U);
    scanner.stop();
}

TEST(Scanner, ReceiptAppearingInAStillSceneIsRead) {
    for (const auto kind : {bench::Distortion::Clean, bench::Distortion::Small}) {
        hal::ManualClock clock;
        hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
        hal::Scanner scanner(camera, clock, kGatedEveryFrame);
        scanner.start();
        const cv::Mat counter = bench::renderCounterPhoto(62);
        showLive(camera, scanner, clock, counter, 12, 2000);
        const auto decodedWhileStill = scanner.stats().framesDecoded;
        ASSERT_EQ(decodedWhileStill, 8U);
        // Only the code and a thin margin of paper appear (the smallest change a receipt makes), and
        // the clock stays short of the still interval: the change itself must trigger the read.
        const std::string token = bench::makeReceiptToken(63);
        showLive(camera, scanner, clock, bench::layCodeOnScene(counter, token, kind, 63), 4, 3000);
        ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 1; }))
            << bench::distortionName(kind);
        const auto events = scanner.drainEvents();
        ASSERT_EQ(events.size(), 1U);
        EXPECT_EQ(events[0].text, token);
        EXPECT_EQ(scanner.stats().sceneChanges, 2U);
        scanner.stop();
    }
}

TEST(Scanner, ReceiptAlreadyInViewWhenTheScannerStartsIsRead) {
    // A faded receipt that one frame's decode misses: only the heavy stages of the following frames read
    // it, and the picture never changes — the settle period is what reads it.
    hal::Frame hard;
    std::string token;
    hal::QrDecoder probe;
    for (std::uint64_t seed = 70; seed < 100 && hard.empty(); ++seed) {
        token = bench::makeReceiptToken(seed);
        const hal::Frame photo =
            hal::detail::frameFromMat(bench::renderReceiptPhoto(token, bench::Distortion::Faded, seed));
        if (probe.decode(photo, hal::DecodeEffort::Frame).empty() &&
            !hal::Scanner::decodeImage(photo).empty())
            hard = photo;
    }
    ASSERT_FALSE(hard.empty()) << "no faded receipt needing more than one frame in the seeds tried";

    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    camera.show(hard);
    hal::Scanner scanner(camera, clock, kGatedEveryFrame);
    scanner.start();
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 1; }));
    EXPECT_EQ(scanner.drainEvents().at(0).text, token);
    EXPECT_GT(scanner.stats().framesDecoded, 1U);
    EXPECT_LE(scanner.stats().framesDecoded, 8U);
    EXPECT_EQ(scanner.stats().sceneChanges, 1U);
    scanner.stop();
}

TEST(Scanner, SaysHoldCloserForACodeTooSmallThenReadsItCloser) {
    // A receipt held too far: its code is seen but its modules are too small to read.
    std::string token;
    hal::Frame far;
    for (std::uint64_t seed = 1; seed <= 20 && far.empty(); ++seed) {
        token = bench::makeReceiptToken(seed);
        hal::Frame frame = hal::detail::frameFromMat(bench::renderReceiptPhoto(
            token, bench::Distortion::Small, seed, {1280, 720}, nullptr, bench::TestSetLevel::Hard));
        const auto measures = hal::measureCodeRegion(frame);
        if (hal::Scanner::decodeImage(frame).empty() && measures &&
            hal::adviseFrom(*measures) == hal::ScanHint::HoldCloser)
            far = std::move(frame);
    }
    ASSERT_FALSE(far.empty()) << "no unreadable small code among the seeds";

    hal::ManualClock clock;
    hal::VirtualCamera camera({.driver = "virtual", .device = ""}, clock);
    hal::Scanner scanner(camera, clock, {.retryDelayMs = 5, .minDecodeIntervalMs = 0});
    scanner.start();
    EXPECT_EQ(scanner.hint().hint, hal::ScanHint::None);
    camera.show(far);
    ASSERT_TRUE(waitFor([&] { return scanner.hint().hint == hal::ScanHint::HoldCloser; }));
    EXPECT_LT(scanner.hint().measures.pxPerModule, hal::kHintMinPxPerModule);
    EXPECT_TRUE(scanner.drainEvents().empty());

    camera.show(hal::detail::frameFromMat(bench::renderReceiptPhoto(token, bench::Distortion::Clean, 7)));
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 1; }));
    const auto events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].text, token);
    EXPECT_EQ(scanner.hint().hint, hal::ScanHint::None);
    scanner.stop();
}
