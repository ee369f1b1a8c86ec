// hal::ServiceNotifier against a real notify socket: READY with its STATUS, watchdog pings paced by the
// clock (at most one per quarter interval, at least one per half interval for a loop that sleeps at
// most maxWait()), no ping while the UI loop stalls, STOPPING; and no pings
// without a watchdog (or one meant for another process).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "hal/clock.hpp"
#include "hal/service_notifier.hpp"
#include "notify_socket.hpp"

using namespace std::chrono_literals;
using packaging_test::NotifySocket;

namespace {

constexpr auto kQuiet = 100ms;  // long enough for a local datagram that was sent to arrive

/// NOTIFY_SOCKET and a 2 s watchdog for this process, as systemd sets them for a Type=notify unit.
class ServiceNotifierTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
        ::setenv("WATCHDOG_USEC", "2000000", 1);
        ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    }
    void TearDown() override {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        ::unsetenv("WATCHDOG_PID");
    }
    NotifySocket socket;
    hal::ManualClock clock;
};

TEST_F(ServiceNotifierTest, ReadyCarriesItsStatusLine) {
    hal::ServiceNotifier notifier(clock);
    notifier.ready("attract screen shown");
    EXPECT_EQ(socket.receive(kQuiet), "READY=1\nSTATUS=attract screen shown");
    notifier.status("printer out of paper");
    EXPECT_EQ(socket.receive(kQuiet), "STATUS=printer out of paper");
}

TEST_F(ServiceNotifierTest, WatchdogPingsAtMostOncePerQuarterInterval) {
    hal::ServiceNotifier notifier(clock);
    ASSERT_TRUE(notifier.watchdogEnabled());
    EXPECT_EQ(notifier.maxWait(), 500ms);
    notifier.alive();
    EXPECT_EQ(socket.receive(kQuiet), "WATCHDOG=1");
    for (int frame = 0; frame < 4; ++frame) {  // a busy UI loop: 4 frames in 400 ms, no ping
        clock.advance(100ms);
        notifier.alive();
    }
    EXPECT_EQ(socket.receive(kQuiet), std::nullopt);
    clock.advance(100ms);
    notifier.alive();
    EXPECT_EQ(socket.receive(kQuiet), "WATCHDOG=1");
}

TEST_F(ServiceNotifierTest, AnIdleLoopWakingEarlyOrLateStillPingsWithinHalfTheInterval) {
    // The idle UI loop sleeps maxWait(); its wake-ups come a little early or late. A skipped early
    // wake-up must not stretch the gap between two pings to the whole interval (seen with a limit
    // of half the interval: pings 2.0 s apart against WatchdogSec=2s).
    hal::ServiceNotifier notifier(clock);
    notifier.alive();
    ASSERT_EQ(socket.receive(kQuiet), "WATCHDOG=1");
    hal::MonotonicMs lastPing = clock.monotonicMs();
    hal::MonotonicMs longestGap = 0;
    for (int wake = 0; wake < 12; ++wake) {
        clock.advance(notifier.maxWait() + (wake % 2 == 0 ? -1ms : 1ms));
        notifier.alive();
        if (socket.receive(10ms)) {
            longestGap = std::max(longestGap, clock.monotonicMs() - lastPing);
            lastPing = clock.monotonicMs();
        }
    }
    EXPECT_LE(longestGap, 1000) << "ms between pings, WatchdogSec=2s";
}

TEST_F(ServiceNotifierTest, AStalledLoopSendsNothingUntilItRunsAgain) {
    hal::ServiceNotifier notifier(clock);
    notifier.alive();
    ASSERT_EQ(socket.receive(kQuiet), "WATCHDOG=1");
    // The UI thread hangs for 3 s (longer than WatchdogSec=2s): nothing calls alive(), so systemd's
    // side sees no ping within the interval — the condition on which it restarts the service.
    clock.advance(3s);
    EXPECT_EQ(socket.receive(kQuiet), std::nullopt);
    notifier.alive();
    EXPECT_EQ(socket.receive(kQuiet), "WATCHDOG=1");
}

TEST_F(ServiceNotifierTest, RealClockPingsKeepAheadOfTheWatchdogUntilTheLoopStalls) {
    ::setenv("WATCHDOG_USEC", "400000", 1);  // WatchdogSec=400ms: a ping every 100 ms
    hal::SystemClock realClock;
    hal::ServiceNotifier notifier(realClock);
    const auto start = std::chrono::steady_clock::now();
    auto lastPing = start;
    auto longestGap = 0ms;
    while (std::chrono::steady_clock::now() - start < 1200ms) {  // the loop runs, 10 ms per frame
        notifier.alive();
        ::usleep(10'000);
        while (socket.receive(0ms)) {
            const auto now = std::chrono::steady_clock::now();
            longestGap =
                std::max(longestGap, std::chrono::duration_cast<std::chrono::milliseconds>(now - lastPing));
            lastPing = now;
        }
    }
    EXPECT_GE(longestGap, 90ms) << "pings were not paced by the interval";
    EXPECT_LT(longestGap, 400ms) << "a ping came later than WatchdogSec";
    EXPECT_EQ(socket.receive(600ms), std::nullopt) << "the loop stopped, yet a ping arrived";
}

TEST_F(ServiceNotifierTest, StoppingIsSent) {
    hal::ServiceNotifier notifier(clock);
    notifier.stopping();
    EXPECT_EQ(socket.receive(kQuiet), "STOPPING=1");
}

TEST_F(ServiceNotifierTest, NoWatchdogMeansNoPingsAndNoWakeUps) {
    ::unsetenv("WATCHDOG_USEC");
    hal::ServiceNotifier notifier(clock);
    EXPECT_FALSE(notifier.watchdogEnabled());
    EXPECT_EQ(notifier.maxWait(), std::chrono::milliseconds::max());
    notifier.alive();
    EXPECT_EQ(socket.receive(kQuiet), std::nullopt);
}

TEST_F(ServiceNotifierTest, AWatchdogMeantForAnotherProcessIsIgnored) {
    ::setenv("WATCHDOG_PID", "1", 1);
    hal::ServiceNotifier notifier(clock);
    EXPECT_FALSE(notifier.watchdogEnabled());
}

}  // namespace
