// The kiosk configuration file: the demo file parses, every wrong value is refused with its key named.
#include "app/config.hpp"

#include <gtest/gtest.h>

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
}

TEST(KioskConfig, RefusesWrongValuesNamingTheKey) {
    const std::pair<const char*, const char*> cases[] = {
        {"[kiosk]\nlanguage = \"fr\"\n", "language"},
        {"[screen]\norientation = \"sideways\"\n", "orientation"},
        {"[timeouts]\nidle_seconds = 2\n", "idle_seconds"},
        {"[timeouts]\nidle_seconds = \"45\"\n", "idle_seconds"},
        {"[timeouts]\nidle_seconds = 30\ncountdown_seconds = 30\n", "countdown_seconds"},
        {"[camera]\nfps = 0\n", "fps"},
        {"[receipts]\nmax_age_days = 0\n", "max_age_days"},
        {"[staff]\npin = \"12a4\"\n", "pin"},
        {"[staff]\npin = \"123\"\n", "pin"},
        {"[[stores]]\nid = \"bad id\"\npublic_key = \"x.pub\"\n", "stores"},
        {"[[rewards]]\nid = \"R\"\ntitle_vi = \"a\"\ntitle_en = \"b\"\npoints = -1\n", "rewards"},
        {"[kiosk\n", "line"},
    };
    for (const auto& [text, key] : cases) {
        auto config = parseKioskConfig(text, "/tmp");
        ASSERT_FALSE(config.has_value()) << text;
        EXPECT_NE(config.error().find(key), std::string::npos) << config.error();
    }
}

TEST(KioskConfig, AMissingKeyFileIsNamed) {
    auto keys = loadStoreKeys({{"DEV001", "/nonexistent/DEV001.pub"}});
    ASSERT_FALSE(keys.has_value());
    EXPECT_NE(keys.error().find("/nonexistent/DEV001.pub"), std::string::npos);
}

}  // namespace
}  // namespace kiosk
