// SceneChangeGate on generated counter scenes: sensor noise is not a change, every kind of receipt code
// appearing in the scene is, a still scene is decoded only while settling and then now and then.

#include "hal/scene_change_gate.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "../../hal/src/frame_mat.hpp"
#include "qr_testset.hpp"

namespace {

hal::Frame frameOf(const cv::Mat& bgr) {
    return hal::detail::frameFromMat(bgr);
}

/// Feeds frames to the gate as a scanner would (decoding whenever asked) at `stepMs` apart; returns
/// how many it wanted decoded.
int decodesWanted(hal::SceneChangeGate& gate, const std::vector<hal::Frame>& frames, hal::MonotonicMs& now,
                  hal::MonotonicMs stepMs) {
    int wanted = 0;
    for (const hal::Frame& frame : frames) {
        if (gate.wantsDecode(frame, now)) {
            gate.decoded(now);
            ++wanted;
        }
        now += stepMs;
    }
    return wanted;
}

}  // namespace

TEST(SceneChangeGate, SensorNoiseIsNotAChange) {
    // Up to the test set's heaviest noise (sigma 30, a dark cheap sensor); a decent camera is at 2-8.
    for (const double sigma : {3.0, 10.0, 30.0}) {
        const cv::Mat counter = bench::renderCounterPhoto(7);
        std::vector<hal::Frame> frames;
        for (std::uint64_t i = 0; i < 30; ++i)
            frames.push_back(frameOf(bench::withSensorNoise(counter, sigma, i)));
        hal::SceneChangeGate gate({.stillDecodeIntervalMs = 1'000'000});
        hal::MonotonicMs now = 0;
        EXPECT_EQ(decodesWanted(gate, frames, now, 100), 8) << "noise sigma " << sigma;  // the settle only
        EXPECT_EQ(gate.changes(), 1U) << "noise sigma " << sigma;
    }
}

TEST(SceneChangeGate, EveryKindOfReceiptCodeAppearingIsAChange) {
    for (const bench::Distortion kind : bench::allDistortions()) {
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            const cv::Mat counter = bench::renderCounterPhoto(100 + seed);
            hal::SceneChangeGate gate({.settleDecodes = 1, .stillDecodeIntervalMs = 1'000'000});
            ASSERT_TRUE(gate.wantsDecode(frameOf(bench::withSensorNoise(counter, 8, 1)), 0));
            gate.decoded(0);
            ASSERT_FALSE(gate.wantsDecode(frameOf(bench::withSensorNoise(counter, 8, 2)), 100));
            EXPECT_TRUE(gate.wantsDecode(
                frameOf(bench::withSensorNoise(
                    bench::layCodeOnScene(counter, bench::makeReceiptToken(seed), kind, seed), 8, 3)),
                200))
                << bench::distortionName(kind) << " seed " << seed;
        }
    }
}

TEST(SceneChangeGate, SlowDriftAddsUpToAChange) {
    // Light fading by one gray level a frame: never a change from one frame to the next, but the gate
    // compares with the last changed frame, so it counts once the drift passes the change level.
    const cv::Mat counter = bench::renderCounterPhoto(9);
    hal::SceneChangeGate gate({.settleDecodes = 1, .stillDecodeIntervalMs = 1'000'000});
    int changedAt = -1;
    for (int step = 0; step < 30 && changedAt < 0; ++step) {
        cv::Mat darker;
        counter.convertTo(darker, -1, 1.0, -step);
        if (!gate.wantsDecode(frameOf(darker), step)) continue;
        gate.decoded(step);
        if (step > 0) changedAt = step;
    }
    EXPECT_EQ(changedAt, 10);  // changeLevel
}

TEST(SceneChangeGate, StillSceneIsDecodedWhileSettlingThenAtTheStillInterval) {
    const hal::Frame still = frameOf(bench::renderCounterPhoto(3));
    hal::SceneChangeGate gate({.settleDecodes = 3, .stillDecodeIntervalMs = 2000});
    std::vector<int> decodedAt;
    for (int ms = 0; ms <= 5000; ms += 100) {
        if (gate.wantsDecode(still, ms)) {
            gate.decoded(ms);
            decodedAt.push_back(ms);
        }
    }
    EXPECT_EQ(decodedAt, (std::vector<int>{0, 100, 200, 2200, 4200}));
    // After a gap in the frames the same picture counts as a new scene.
    gate.reset();
    EXPECT_TRUE(gate.wantsDecode(still, 5100));
    EXPECT_EQ(gate.changes(), 2U);
}

TEST(SceneChangeGate, AnotherAspectRatioIsAChangeAndADisabledGateWantsEveryFrame) {
    const cv::Mat counter = bench::renderCounterPhoto(4);
    hal::SceneChangeGate gate({.settleDecodes = 1, .stillDecodeIntervalMs = 1'000'000});
    ASSERT_TRUE(gate.wantsDecode(frameOf(counter), 0));
    gate.decoded(0);
    EXPECT_FALSE(gate.wantsDecode(frameOf(counter), 1));
    cv::Mat fourByThree;
    cv::resize(counter, fourByThree, {640, 480}, 0, 0, cv::INTER_AREA);
    EXPECT_TRUE(gate.wantsDecode(frameOf(fourByThree), 2));
    EXPECT_FALSE(gate.wantsDecode(hal::Frame{}, 3));  // nothing to look at

    hal::SceneChangeGate off({.enabled = false});
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(off.wantsDecode(frameOf(counter), i));
    EXPECT_EQ(off.changes(), 0U);
}
