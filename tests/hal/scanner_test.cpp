// ScanDeduper on a ManualClock, and the Scanner worker over a VirtualCamera fed by show().

#include "hal/scanner.hpp"

#include <gtest/gtest.h>

#include <atomic>
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
    hal::Scanner scanner(camera, clock, {.forgetAfterMs = 3000, .retryDelayMs = 5, .minDecodeIntervalMs = 0});
    std::atomic<int> notified{0};
    scanner.setNotifier([&] { ++notified; });
    scanner.start();

    const ShownReceipt receipt = receiptPhoto(11);
    camera.show(receipt.frame);
    ASSERT_TRUE(waitFor([&] { return scanner.stats().eventsPosted == 1; }));
    // Held: many more frames decoded, time moving in small steps, no new event.
    const auto decodedBefore = scanner.stats().framesDecoded;
    for (int i = 0; i < 10; ++i) {
        clock.advance(500ms);
        const auto target = scanner.stats().framesDecoded + 2;
        ASSERT_TRUE(waitFor([&] { return scanner.stats().framesDecoded >= target; }));
    }
    EXPECT_GT(scanner.stats().framesDecoded, decodedBefore + 10);
    auto events = scanner.drainEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].text, receipt.token);
    EXPECT_EQ(events[0].frameWidth, 1280);
    EXPECT_EQ(events[0].frameHeight, 720);
    EXPECT_EQ(notified.load(), 1);

    // Taken away for longer than the forget time, then shown again: a new event.
    camera.clearShown();
    ASSERT_TRUE(waitFor([&] { return scanner.stats().grabErrors > 0; }));
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
