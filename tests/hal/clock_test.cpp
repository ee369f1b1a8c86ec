#include "hal/clock.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace std::chrono_literals;

TEST(ManualClock, MovesOnlyWhenAdvanced) {
    hal::ManualClock clock(1'700'000'000, 5'000);
    EXPECT_EQ(clock.now(), 1'700'000'000);
    EXPECT_EQ(clock.monotonicMs(), 5'000);
    clock.advance(1'500ms);
    EXPECT_EQ(clock.now(), 1'700'000'001);  // whole seconds only
    EXPECT_EQ(clock.monotonicMs(), 6'500);
    clock.advance(500ms);
    EXPECT_EQ(clock.now(), 1'700'000'002);
}

TEST(ManualClock, NeverGoesBackwards) {
    hal::ManualClock clock;
    const auto before = clock.monotonicMs();
    clock.advance(-10s);
    EXPECT_EQ(clock.monotonicMs(), before);
}

TEST(ManualClock, WallTimeCanJumpWithoutMovingMonotonicTime) {
    hal::ManualClock clock(1'700'000'000, 0);
    clock.setWallTime(1'600'000'000);
    EXPECT_EQ(clock.now(), 1'600'000'000);
    EXPECT_EQ(clock.monotonicMs(), 0);
}

TEST(SystemClock, ReadsRealTime) {
    const hal::SystemClock clock;
    const auto wall =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    EXPECT_NEAR(static_cast<double>(clock.now()), static_cast<double>(wall), 2.0);
    const auto first = clock.monotonicMs();
    std::this_thread::sleep_for(20ms);
    EXPECT_GE(clock.monotonicMs() - first, 19);
}
