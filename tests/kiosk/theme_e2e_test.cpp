// Issue 17, "theme from the chain's config", end to end: head office sets brand colours and a logo in the
// real central (PUT /v1/admin/theme); the real kiosk applies them at its next config pull — the header in
// the brand colour, the logo on Attract — and a theme it cannot use (illegible colours) is refused in its
// log while the last good look stays on screen. Central itself refuses a malformed colour or picture.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <thread>

#include "kiosk_harness.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

/// The screen's pixel at (x, y) as 0xRRGGBB, from a screenshot written to `file`.
std::uint32_t pixelAt(AutomationClient& kiosk, const fs::path& file, int x, int y) {
    const json shot = kiosk.send({{"cmd", "screenshot"}, {"path", file.string()}});
    if (!shot.value("ok", false)) {
        return 0xFFFFFFFFU;
    }
    const cv::Mat image = cv::imread(file.string());
    if (image.empty()) {
        return 0xFFFFFFFFU;
    }
    const auto bgr = image.at<cv::Vec3b>(y, x);
    return static_cast<std::uint32_t>(bgr[2]) << 16 | static_cast<std::uint32_t>(bgr[1]) << 8 | bgr[0];
}

/// Moves the kiosk's clock past the config pull interval until the header at (4, 4) is `colour`.
std::uint32_t waitForHeader(AutomationClient& kiosk, const fs::path& file, std::uint32_t colour) {
    std::uint32_t seen = pixelAt(kiosk, file, 4, 4);
    for (int i = 0; i < 40 && seen != colour; ++i) {
        kiosk.send({{"cmd", "advance"}, {"ms", 301'000}});
        std::this_thread::sleep_for(250ms);
        seen = pixelAt(kiosk, file, 4, 4);
    }
    return seen;
}

TEST(KioskTheme, HeadOfficesColoursAndLogoReachTheKioskAndABadThemeKeepsTheLastGoodOne) {
    if (!fs::exists(kBuild / "bin/central")) {
        GTEST_SKIP() << "central is not built in " << kBuild;
    }
    TempDir dir;
    Backend backend(dir.path());
    ASSERT_TRUE(backend.ready()) << "central did not start (see " << dir.path() << ")";
    KioskOptions options;
    options.centralUrl = backend.url();
    KioskRun run(dir, options);
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    ASSERT_EQ(waitForStatus(kiosk, "Đã kết nối", 30s).value("status", ""), "Đã kết nối") << run.log();
    const fs::path shot = dir.path() / "theme.png";
    EXPECT_EQ(pixelAt(kiosk, shot, 4, 4), 0x0B7A4BU) << "the standard header before";

    // Central refuses what is not a colour or not a small PNG, saying which field.
    json refused = backend.admin("/v1/admin/theme", {{"primary", "#12"}}, "PUT");
    EXPECT_EQ(refused["error"].value("code", ""), "invalid_field") << refused.dump();
    refused = backend.admin("/v1/admin/theme", {{"logo_png", "R0lGODlhAQABAAAAACw="}}, "PUT");
    EXPECT_EQ(refused["error"].value("code", ""), "invalid_field") << refused.dump();

    const json set = backend.admin(
        "/v1/admin/theme", {{"primary", "#8B1A1A"}, {"logo_png", pngBase64(400, 120, 0xDC0000)}}, "PUT");
    ASSERT_EQ(set["theme"].value("primary", ""), "#8B1A1A") << set.dump();
    ASSERT_EQ(waitForHeader(kiosk, shot, 0x8B1A1AU), 0x8B1A1AU) << run.log();
    // The logo heads Attract: its red block at the middle of the band under the header.
    const std::uint32_t logo = pixelAt(kiosk, shot, 540, 150 + 36 + 90);
    EXPECT_EQ(logo, 0xDC0000U) << std::hex << logo;
    const fs::path out = screenshotDir(options);
    kiosk.send({{"cmd", "screenshot"}, {"path", (out / "24-attract-chain-theme.png").string()}});

    // White text on yellow cannot be read: central stores it (its form is right), the kiosk refuses it.
    backend.admin("/v1/admin/theme", {{"primary", "#FFFF00"}}, "PUT");
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (run.log().find("central's theme refused") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        kiosk.send({{"cmd", "advance"}, {"ms", 301'000}});
        std::this_thread::sleep_for(250ms);
    }
    ASSERT_NE(run.log().find("central's theme refused"), std::string::npos) << run.log();
    EXPECT_NE(run.log().find("legible"), std::string::npos) << "the log says why";
    EXPECT_EQ(pixelAt(kiosk, shot, 4, 4), 0x8B1A1AU) << "the last good look stays";
    EXPECT_EQ(pixelAt(kiosk, shot, 540, 150 + 36 + 90), 0xDC0000U) << "and its logo";
}

}  // namespace
}  // namespace kiosk::test
