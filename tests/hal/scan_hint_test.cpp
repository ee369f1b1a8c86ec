// The scan screen's hint: the decision from measures, and the measures on generated photographs.

#include "hal/scan_hint.hpp"

#include <gtest/gtest.h>

#include "../../hal/src/frame_mat.hpp"
#include "qr_testset.hpp"

namespace {

hal::ScanMeasures measuresOf(bench::Distortion kind, std::uint64_t seed) {
    const std::string token = bench::makeReceiptToken(seed);
    const cv::Mat photo =
        bench::renderReceiptPhoto(token, kind, seed, {1280, 720}, nullptr, bench::TestSetLevel::Hard);
    const auto measures = hal::measureCodeRegion(hal::detail::frameFromMat(photo));
    EXPECT_TRUE(measures.has_value()) << bench::distortionName(kind) << " seed " << seed;
    return measures.value_or(hal::ScanMeasures{});
}

}  // namespace

TEST(ScanHint, DecidesFromTheMeasures) {
    using hal::ScanHint;
    EXPECT_EQ(hal::adviseFrom({1.8, 3.0, 0.0}), ScanHint::HoldCloser);
    EXPECT_EQ(hal::adviseFrom({1.8, 1.0, 0.2}), ScanHint::HoldCloser) << "closer first: it also sharpens";
    EXPECT_EQ(hal::adviseFrom({5.0, 3.0, 0.10}), ScanHint::TiltAwayFromLight);
    EXPECT_EQ(hal::adviseFrom({5.0, 1.2, 0.0}), ScanHint::HoldStill);
    EXPECT_EQ(hal::adviseFrom({5.0, 3.0, 0.0}), ScanHint::FlattenReceipt);
    EXPECT_EQ(hal::hintText(ScanHint::None), "");
    EXPECT_EQ(hal::hintText(ScanHint::HoldCloser), "Hold the receipt closer to the camera");
}

TEST(ScanHint, MeasuresWhatTheCameraSees) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        const hal::ScanMeasures clean = measuresOf(bench::Distortion::Clean, seed);
        const hal::ScanMeasures small = measuresOf(bench::Distortion::Small, seed);
        const hal::ScanMeasures moving = measuresOf(bench::Distortion::Motion, seed);
        const hal::ScanMeasures glare = measuresOf(bench::Distortion::Glare, seed);
        EXPECT_GE(clean.pxPerModule, hal::kHintMinPxPerModule) << seed;
        EXPECT_GE(clean.sharpness, hal::kHintMinSharpness) << seed;
        EXPECT_LE(clean.saturation, hal::kHintMaxSaturation) << seed;
        EXPECT_EQ(hal::adviseFrom(small), hal::ScanHint::HoldCloser) << seed << ": " << small.pxPerModule;
        EXPECT_LT(moving.sharpness, clean.sharpness) << seed;
        EXPECT_GT(glare.saturation, clean.saturation) << seed;
    }
}

TEST(ScanHint, NothingCodeLikeMeansNoMeasures) {
    EXPECT_FALSE(hal::measureCodeRegion(hal::Frame{}).has_value());
    const cv::Mat counter = bench::renderCounterPhoto(3);
    EXPECT_FALSE(hal::measureCodeRegion(hal::detail::frameFromMat(counter)).has_value());
}
