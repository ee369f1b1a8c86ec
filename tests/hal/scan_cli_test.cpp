// `kioskctl scan` as a real process: signed sample receipts, a generated hard photograph, an image
// without a code and a file that is not an image.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "../integration/run_process.hpp"
#include "qr_testset.hpp"
#include "temp_dir.hpp"

namespace {

const std::string kKioskctl = std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl";
const std::string kSamples = std::string(KIOSK_SOURCE_DIR) + "/assets/samples/";

}  // namespace

TEST(KioskctlScan, PrintsTheTokenAndMillisecondsPerImage) {
    const TempDir dir;
    const std::string token = bench::makeReceiptToken(4711);
    const auto photo = dir.path() / "faded.png";
    ASSERT_TRUE(
        cv::imwrite(photo.string(), bench::renderReceiptPhoto(token, bench::Distortion::Faded, 4711)));
    const auto result =
        kiosk_test::runProcess({kKioskctl, "scan", kSamples + "receipt-01.png", photo.string()}, dir.path());
    ASSERT_EQ(result.exitCode, 0) << result.err;
    std::istringstream lines(result.out);
    std::string line;
    std::vector<std::string> rows;
    while (std::getline(lines, line)) rows.push_back(line);
    ASSERT_EQ(rows.size(), 2U) << result.out;
    EXPECT_EQ(rows[0].rfind(kSamples + "receipt-01.png\tLK1", 0), 0U) << rows[0];
    EXPECT_NE(rows[1].find("\t" + token + "\t"), std::string::npos) << rows[1];
    EXPECT_EQ(rows[1].substr(rows[1].size() - 3), " ms");
}

TEST(KioskctlScan, JsonReportsNoneAndUnreadableImages) {
    const TempDir dir;
    const auto blank = dir.path() / "blank.png";
    ASSERT_TRUE(cv::imwrite(blank.string(), cv::Mat(720, 1280, CV_8UC3, cv::Scalar(200, 200, 200))));
    const auto result = kiosk_test::runProcess(
        {kKioskctl, "scan", "--json", kSamples + "receipt-02.png", blank.string(), kSamples + "receipts.tsv"},
        dir.path());
    EXPECT_EQ(result.exitCode, 2);  // an unreadable image outranks an image without a code
    const auto report = nlohmann::json::parse(result.out);
    ASSERT_EQ(report.size(), 3U);
    ASSERT_EQ(report[0]["codes"].size(), 1U);
    EXPECT_EQ(report[0]["codes"][0]["text"].get<std::string>().substr(0, 3), "LK1");
    EXPECT_EQ(report[0]["codes"][0]["corners"].size(), 4U);
    EXPECT_GE(report[0]["ms"].get<double>(), 0.0);
    EXPECT_TRUE(report[1]["codes"].empty());
    EXPECT_FALSE(report[1].contains("error"));
    EXPECT_TRUE(report[2].contains("error"));

    const auto none = kiosk_test::runProcess({kKioskctl, "scan", blank.string()}, dir.path());
    EXPECT_EQ(none.exitCode, 1);
    EXPECT_NE(none.out.find("\tnone\t"), std::string::npos) << none.out;
}

TEST(KioskctlScan, JsonSaysHoldCloserForACodeTooSmallToRead) {
    const TempDir dir;
    const auto photo = dir.path() / "far.png";
    std::string found;
    // The first generated far-away receipt that kioskctl cannot read (most of them it can).
    for (std::uint64_t seed = 1; seed <= 20 && found.empty(); ++seed) {
        ASSERT_TRUE(cv::imwrite(photo.string(), bench::renderReceiptPhoto(
                                                    bench::makeReceiptToken(seed), bench::Distortion::Small,
                                                    seed, {1280, 720}, nullptr, bench::TestSetLevel::Hard)));
        const auto result = kiosk_test::runProcess({kKioskctl, "scan", "--json", photo.string()}, dir.path());
        if (result.exitCode != 1) continue;
        const auto report = nlohmann::json::parse(result.out);
        ASSERT_TRUE(report[0].contains("hint")) << result.out;
        found = report[0]["hint"]["text"].get<std::string>();
        EXPECT_GT(report[0]["hint"]["px_per_module"].get<double>(), 0.0);
    }
    EXPECT_EQ(found, "Hold the receipt closer to the camera");
}
