// End-to-end (issue 16): the scan screen asks the shopper to help when the camera sees a code it cannot
// read. The real `kiosk` with the virtual camera is shown a signed receipt photographed from too far
// away (1.5-2.4 px a module, bench/qr_testset's "small" kind), then the same receipt closer.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "kiosk_harness.hpp"
#include "qr_testset.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

/// A 1280x720 photograph of a receipt carrying `token`, written to `file`.
fs::path photograph(const std::string& token, bench::Distortion distortion, const fs::path& file) {
    const cv::Mat photo =
        bench::renderReceiptPhoto(token, distortion, 1, {1280, 720}, nullptr, bench::TestSetLevel::Hard);
    return cv::imwrite(file.string(), photo) ? file : fs::path();
}

TEST(ScanHintE2E, AReceiptHeldTooFarAsksToComeCloserThenEarns) {
    TempDir dir;
    KioskRun run(dir, {});
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    const std::string token = decodeQr(signReceipt(dir.path(), uniqueNumber("FAR"), "256000"));
    ASSERT_FALSE(token.empty());
    const fs::path far = photograph(token, bench::Distortion::Small, dir.path() / "far.png");
    const fs::path near = photograph(token, bench::Distortion::Clean, dir.path() / "near.png");
    ASSERT_FALSE(far.empty());
    ASSERT_FALSE(near.empty());
    const std::string closer = "quá nhỏ";

    EXPECT_EQ(kiosk.send({{"cmd", "tap"}, {"id", "start"}}).value("screen", ""), "scan");
    EXPECT_FALSE(hasText(kiosk.send({{"cmd", "state"}}), closer)) << "no code in view, no hint";
    ASSERT_TRUE(kiosk.send({{"cmd", "camera"}, {"image", far.string()}}).value("ok", false));
    json state = kiosk.waitForText(closer, 20s);
    ASSERT_TRUE(hasText(state, closer)) << state.dump();
    EXPECT_EQ(state.value("screen", ""), "scan");
    const json shot =
        kiosk.send({{"cmd", "screenshot"}, {"path", (screenshotDir({}) / "02-scan-closer.png").string()}});
    EXPECT_TRUE(shot.value("ok", false)) << shot.dump();

    ASSERT_TRUE(kiosk.send({{"cmd", "camera"}, {"image", near.string()}}).value("ok", false));
    state = kiosk.waitForScreen("phone", 20s);
    ASSERT_EQ(state.value("screen", ""), "phone") << state.dump();
    EXPECT_TRUE(hasText(state, "256.000")) << state.dump();
    EXPECT_FALSE(hasText(state, closer)) << state.dump();
}

}  // namespace
}  // namespace kiosk::test
