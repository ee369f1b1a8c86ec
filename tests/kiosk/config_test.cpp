// The kiosk configuration file: the demo file parses, every wrong value is refused with its key named.
#include "app/config.hpp"

#include <gtest/gtest.h>

#include "hal/camera_controls.hpp"
#include "hal/virtual_camera.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

TEST(KioskConfig, TheDemoFileParsesAndResolvesPathsAgainstItsFolder) {
    auto config = loadKioskConfig(kSource / "assets/config/kiosk-demo.toml");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->kioskId, "K-DEV-01");
    EXPECT_EQ(config->assetsDir, (kSource / "assets").lexically_normal());
    EXPECT_EQ(config->idleTimeout, std::chrono::seconds{45});
    EXPECT_EQ(config->camera.driver, "virtual");
    ASSERT_EQ(config->storeKeys.size(), 1U);
    EXPECT_TRUE(loadStoreKeys(config->storeKeys).has_value());
    EXPECT_FALSE(config->rewards.empty());
    EXPECT_EQ(config->staffPin, "2468");
    EXPECT_FALSE(config->gpu);
}

TEST(KioskConfig, TheChimeIsOffUnlessAVolumeIsGiven) {
    auto config = parseKioskConfig("[screen]\norientation = \"portrait\"\n", "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->chimeVolume, 0);
    config = parseKioskConfig("[sound]\nchime_volume = 40\n", "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->chimeVolume, 40);
}

TEST(KioskConfig, TheGpuRendererIsChosenOnlyWhenConfigured) {
    auto config = parseKioskConfig("[screen]\nrenderer = \"gpu\"\n", "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_TRUE(config->gpu);
    config = parseKioskConfig("[screen]\norientation = \"portrait\"\n", "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_FALSE(config->gpu);
}

TEST(KioskConfig, RefusesWrongValuesNamingTheKey) {
    const std::pair<const char*, const char*> cases[] = {
        {"[kiosk]\nlanguage = \"fr\"\n", "language"},
        {"[screen]\norientation = \"sideways\"\n", "orientation"},
        {"[timeouts]\nidle_seconds = 2\n", "idle_seconds"},
        {"[timeouts]\nidle_seconds = \"45\"\n", "idle_seconds"},
        {"[timeouts]\nidle_seconds = 30\ncountdown_seconds = 30\n", "countdown_seconds"},
        {"[camera]\nfps = 0\n", "fps"},
        {"[camera]\nformat = \"H264\"\n", "format"},
        {"[camera]\nexposure_ms = \"8\"\n", "exposure_ms"},
        {"[camera]\nexposure_ms = 0\n", "exposure_ms"},
        {"[camera]\nfps = 30\nexposure_ms = 50\n", "exposure_ms"},
        {"[camera]\nfocus = 4096\n", "focus"},
        {"[camera]\nfocus = 12.5\n", "focus"},
        {"[receipts]\nmax_age_days = 0\n", "max_age_days"},
        {"[staff]\npin = \"12a4\"\n", "pin"},
        {"[screen]\ncamera_at = \"behind\"\n", "camera_at"},
        {"[screen]\nrenderer = \"opengl\"\n", "renderer"},
        {"[screen]\nrenderer = true\n", "renderer"},
        {"[sound]\nchime_volume = 101\n", "sound.chime_volume"},
        {"[sound]\nchime_volume = -1\n", "sound.chime_volume"},
        {"[sound]\nchime_volume = true\n", "sound.chime_volume"},
        {"[staff]\npin = \"123\"\n", "pin"},
        {"[[stores]]\nid = \"bad id\"\npublic_key = \"x.pub\"\n", "stores"},
        {"[[rewards]]\nid = \"R\"\ntitle_vi = \"a\"\ntitle_en = \"b\"\npoints = -1\n", "rewards"},
        {"[kiosk\n", "line"},
        {"[update]\nrelease_key = \"release.pub\"\n", "root"},
        {"[update]\nroot = \"/var/lib/loyalty-kiosk/update\"\n", "release_key"},
        {"[update]\nchannel = \"Stable!\"\n", "channel"},
        {"[update]\nquiet_minutes = 0\n", "quiet_minutes"},
        {"[update]\nhealth_deadline_seconds = 5\n", "health_deadline_seconds"},
        {"[update]\nhealth_deadline_seconds = \"300\"\n", "health_deadline_seconds"},
        {"[update]\nmaintenance_window = \"2:00-5:00\"\n",
         "update.maintenance_window must be \"HH:MM-HH:MM\""},
        {"[update]\nmaintenance_window = \"02:00-24:00\"\n", "update.maintenance_window must be"},
        {"[update]\nmaintenance_window = \"02:00\"\n", "update.maintenance_window must be"},
        {"[update]\nmaintenance_window = \"03:00-03:00\"\n", "update.maintenance_window must end at"},
        {"[update]\nmaintenance_window = 2\n", "update.maintenance_window"},
    };
    for (const auto& [text, key] : cases) {
        auto config = parseKioskConfig(text, "/tmp");
        ASSERT_FALSE(config.has_value()) << text;
        EXPECT_NE(config.error().find(key), std::string::npos) << config.error();
    }
}

TEST(KioskConfig, TheChainsThemeIsReadAndAnIllegibleOrMalformedColourRefusedSayingWhy) {
    auto config = parseKioskConfig("[theme]\nprimary = \"#8B1A1A\"\nheader = \"#1A3C8B\"\n", "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->theme.primary, 0x8B1A1AU);
    EXPECT_EQ(config->theme.header, 0x1A3C8BU);
    EXPECT_EQ(parseKioskConfig("", "/tmp")->theme, ui::Theme{});  // no [theme]: the standard look
    const std::pair<const char*, const char*> cases[] = {
        {"[theme]\nprimary = \"#FFD700\"\n", "[theme] the brand colours are not legible enough: text on"},
        {"[theme]\nheader = \"#F0F0F0\"\n", "text on the header: #FFFFFF on #F0F0F0 contrasts 1.1"},
        {"[theme]\nprimary = \"green\"\n", "[theme] primary: \"green\" is not a colour"},
        {"[theme]\nheader = 0x0B7A4B\n", "[theme] header must be text"},
    };
    for (const auto& [text, message] : cases) {
        auto refused = parseKioskConfig(text, "/tmp");
        ASSERT_FALSE(refused.has_value()) << text;
        EXPECT_NE(refused.error().find(message), std::string::npos) << refused.error();
    }
}

TEST(KioskConfig, AMissingKeyFileIsNamed) {
    auto keys = loadStoreKeys({{"DEV001", "/nonexistent/DEV001.pub"}});
    ASSERT_FALSE(keys.has_value());
    EXPECT_NE(keys.error().find("/nonexistent/DEV001.pub"), std::string::npos);
}

TEST(KioskConfig, TheUpdateSectionResolvesItsPathsAndReadsTheReleaseKey) {
    auto config = parseKioskConfig(
        "[update]\nrelease_key = \"keys/release.pub\"\nroot = \"update\"\nquiet_minutes = 5\n"
        "health_deadline_seconds = 120\n",
        "/etc/loyalty");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->update.releaseKey, "/etc/loyalty/keys/release.pub");
    EXPECT_EQ(config->update.root, "/etc/loyalty/update");
    EXPECT_EQ(config->update.channel, "stable");
    EXPECT_EQ(config->update.quietAfter, std::chrono::minutes{5});
    EXPECT_EQ(config->update.healthDeadline, std::chrono::seconds{120});
    EXPECT_FALSE(config->update.window.has_value());

    const auto missing = loadReleaseKey("/nonexistent/release.pub");
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().find("/nonexistent/release.pub"), std::string::npos);
    // A file that is no key at all is refused, the setting named; any Ed25519 public key file is read.
    const auto notAKey = loadReleaseKey(kSource / "assets/config/kiosk-demo.toml");
    ASSERT_FALSE(notAKey.has_value());
    EXPECT_NE(notAKey.error().find("release_key"), std::string::npos);
    const auto good = loadReleaseKey(kSource / "assets/samples/DEV001.pub");
    EXPECT_TRUE(good.has_value()) << good.error();
}

/// The window is Vietnam time and may run over midnight; its end is not in it.
TEST(KioskConfig, TheMaintenanceWindowIsReadInVietnamTimeAndMayRunOverMidnight) {
    auto config = parseKioskConfig("[update]\nmaintenance_window = \"22:30-04:00\"\n", "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    ASSERT_TRUE(config->update.window.has_value());
    const auto at = [](const char* local) { return *loyalty::parseIso8601(local); };
    const auto& night = *config->update.window;
    EXPECT_FALSE(night.contains(at("2026-12-03T22:29:59")));
    EXPECT_TRUE(night.contains(at("2026-12-03T22:30:00")));
    EXPECT_TRUE(night.contains(at("2026-12-04T00:10:00")));
    EXPECT_TRUE(night.contains(at("2026-12-03T20:59:00Z")));  // 03:59 in Vietnam
    EXPECT_FALSE(night.contains(at("2026-12-04T04:00:00")));
    EXPECT_FALSE(night.contains(at("2026-12-04T12:00:00")));
    const auto day = sync::MaintenanceWindow::parse("02:00-05:00");
    ASSERT_TRUE(day.has_value());
    EXPECT_TRUE(day->contains(at("2026-12-04T02:00:00")));
    EXPECT_FALSE(day->contains(at("2026-12-04T05:00:00")));
    EXPECT_FALSE(day->contains(at("2026-12-04T23:00:00")));
}

TEST(KioskConfig, CameraSettingsReachTheCamera) {
    auto config = parseKioskConfig(
        "[camera]\ndriver = \"virtual\"\nwidth = 1920\nheight = 1080\nfps = 30\nformat = \"yuyv\"\n"
        "exposure_ms = 8\nfocus = 40\n",
        "/tmp");
    ASSERT_TRUE(config.has_value()) << config.error();
    EXPECT_EQ(config->camera.width, 1920);
    EXPECT_EQ(config->camera.height, 1080);
    EXPECT_EQ(config->camera.fourcc, hal::CaptureFourcc::Yuyv);
    const hal::ManualClock clock;
    auto camera = hal::makeCamera(config->camera, clock);
    ASSERT_TRUE(camera.has_value()) << camera.error().message;
    ASSERT_TRUE((*camera)->open().has_value());
    const std::vector<std::pair<hal::CameraControl, double>> expected = {
        {hal::CameraControl::AutoExposure, 0.0},
        {hal::CameraControl::ExposureMs, 8.0},
        {hal::CameraControl::AutoFocus, 0.0},
        {hal::CameraControl::FocusPosition, 40.0}};
    EXPECT_EQ(dynamic_cast<hal::VirtualCamera&>(**camera).askedControls(), expected);

    // Left out: the camera's automatic modes, MJPG.
    auto defaults = parseKioskConfig("[camera]\ndriver = \"virtual\"\n", "/tmp");
    ASSERT_TRUE(defaults.has_value()) << defaults.error();
    EXPECT_FALSE(defaults->camera.exposureMs.has_value());
    EXPECT_FALSE(defaults->camera.focus.has_value());
    EXPECT_EQ(defaults->camera.fourcc, hal::CaptureFourcc::Mjpg);
}

}  // namespace
}  // namespace kiosk
