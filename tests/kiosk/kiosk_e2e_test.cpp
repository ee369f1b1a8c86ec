// End-to-end: the real `kiosk` binary under Xvfb (or SDL's dummy driver), driven through its
// automation socket, with the virtual camera shown receipts that `kioskctl` signs at test time (so the
// test never depends on today's date). Screenshots land in <build>/screenshots/.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "kiosk_process.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kSource = KIOSK_SOURCE_DIR;
const fs::path kBuild = KIOSK_BINARY_DIR;

struct KioskOptions {
    std::string language = "vi";
    bool landscape = false;
    std::string centralUrl;
    bool trustDevStore = true;
};

class KioskRun {
public:
    KioskRun(const TempDir& dir, const KioskOptions& options)
        : m_dir(dir.path()),
          m_display(dir.path(), options.landscape ? 1920 : 1080, options.landscape ? 1080 : 1920) {
        const fs::path config = m_dir / "kiosk.toml";
        std::ofstream out(config);
        out << "[kiosk]\nid = \"K-E2E-01\"\nassets_dir = \"" << (kSource / "assets").string() << "\"\n"
            << "data_dir = \"" << (m_dir / "data").string() << "\"\nlanguage = \"" << options.language << "\"\n"
            << "[screen]\norientation = \"" << (options.landscape ? "landscape" : "portrait") << "\"\n"
            << "[central]\nurl = \"" << options.centralUrl << "\"\nenrollment_code = \"DEV-ENROLL-0001\"\n"
            << "[camera]\ndriver = \"virtual\"\ndevice = \"\"\nfps = 15\n"
            << "[timeouts]\nidle_seconds = 45\ncountdown_seconds = 10\n"
            << "[receipts]\nmax_age_days = 30\n";
        if (options.trustDevStore) {
            out << "[[stores]]\nid = \"DEV001\"\npublic_key = \"" << (kSource / "assets/samples/DEV001.pub").string()
                << "\"\n";
        }
        out << "[[rewards]]\nid = \"COFFEE\"\ntitle_vi = \"Một ly cà phê sữa đá\"\ntitle_en = \"One iced coffee\"\n"
            << "points = 25\n";
        out.close();
        auto env = m_display.env();
        m_kiosk = std::make_unique<ChildProcess>(
            std::vector<std::string>{(kBuild / "bin/kiosk").string(), "--config", config.string(), "--automation",
                                     (m_dir / "kiosk.sock").string()},
            env, m_dir / "kiosk.log");
        m_client = std::make_unique<AutomationClient>(m_dir / "kiosk.sock", 20s);
    }

    AutomationClient& client() { return *m_client; }
    [[nodiscard]] std::string log() const {
        std::ifstream in(m_dir / "kiosk.log");
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

private:
    fs::path m_dir;
    VirtualDisplay m_display;
    std::unique_ptr<ChildProcess> m_kiosk;
    std::unique_ptr<AutomationClient> m_client;
};

/// Signs a receipt of the development store, issued now, and writes its QR PNG. Returns the PNG path.
fs::path signReceipt(const fs::path& dir, const std::string& number, const std::string& amount,
                     const std::string& keyFile = (kSource / "assets/samples/DEV001.key").string(),
                     const std::string& store = "DEV001") {
    const fs::path png = dir / (number + ".png");
    const std::string token = runCommand({(kBuild / "bin/kioskctl").string(), "receipt", "sign", "--key", keyFile,
                                          "--store", store, "--receipt", number, "--amount", amount, "--items", "2",
                                          "--qr", png.string()});
    return token.empty() ? fs::path() : png;
}

std::string uniqueNumber(const std::string& prefix) {
    return prefix + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000);
}

fs::path screenshotDir(const KioskOptions& options) {
    const fs::path dir =
        kBuild / "screenshots" / (options.language + (options.landscape ? "-landscape" : "-portrait"));
    fs::create_directories(dir);
    return dir;
}

void screenshot(AutomationClient& kiosk, const fs::path& file) {
    const json answer = kiosk.send({{"cmd", "screenshot"}, {"path", file.string()}});
    ASSERT_TRUE(answer.value("ok", false)) << answer.dump();
    ASSERT_TRUE(fs::exists(file));
}

TEST(KioskE2E, OfflineScanPhoneConsentKeepsTheClaimPendingAndIdleWipesIt) {
    TempDir dir;
    KioskRun run(dir, {});
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    const fs::path receipt = signReceipt(dir.path(), uniqueNumber("OFF"), "256000");
    ASSERT_FALSE(receipt.empty());

    EXPECT_EQ(kiosk.send({{"cmd", "state"}}).value("screen", ""), "attract");
    EXPECT_EQ(kiosk.send({{"cmd", "tap"}, {"id", "start"}}).value("screen", ""), "scan");
    ASSERT_TRUE(kiosk.send({{"cmd", "camera"}, {"image", receipt.string()}}).value("ok", false));
    json state = kiosk.waitForScreen("phone", 10s);
    ASSERT_EQ(state.value("screen", ""), "phone") << state.dump();
    EXPECT_TRUE(hasText(state, "256.000"));
    state = kiosk.send({{"cmd", "type"}, {"text", "0901234567"}});
    EXPECT_EQ(state.value("entry", ""), "090 123 4567");
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    state = kiosk.waitForScreen("consent", 10s);
    ASSERT_EQ(state.value("screen", ""), "consent") << state.dump();
    EXPECT_TRUE(hasText(state, "090****567"));
    // Marketing is a separate choice, unticked; joining must be ticked before continuing.
    for (const auto& control : state["controls"]) {
        if (control["id"] == "consent:marketing" || control["id"] == "consent:join") {
            EXPECT_FALSE(control.value("checked", true));
        }
        if (control["id"] == "ok") {
            EXPECT_FALSE(control.value("enabled", true));
        }
    }
    EXPECT_FALSE(kiosk.send({{"cmd", "tap"}, {"id", "ok"}}).value("ok", true));
    kiosk.send({{"cmd", "tap"}, {"id", "consent:join"}});
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    state = kiosk.waitForScreen("result", 10s);
    ASSERT_EQ(state.value("screen", ""), "result") << state.dump();
    EXPECT_TRUE(hasText(state, "đang chờ đồng bộ")) << state.dump();
    for (const auto& text : state["texts"]) {
        EXPECT_EQ(text.get<std::string>().find("0901234567"), std::string::npos);
    }

    // Idle: the countdown shows near the end, then everything about the shopper is gone.
    kiosk.send({{"cmd", "idle"}, {"advance_ms", 37'000}});
    state = kiosk.send({{"cmd", "state"}});
    EXPECT_TRUE(state.contains("countdown")) << state.dump();
    kiosk.send({{"cmd", "idle"}, {"advance_ms", 9'000}});
    state = kiosk.send({{"cmd", "state"}});
    EXPECT_EQ(state.value("screen", ""), "attract");
    EXPECT_FALSE(state.dump().find("567") != std::string::npos) << state.dump();
}

TEST(KioskE2E, RefusedReceiptsShowTheirReason) {
    TempDir dir;
    KioskRun run(dir, {});
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    kiosk.send({{"cmd", "tap"}, {"id", "start"}});

    // Another chain's receipt: a store this kiosk has no key for.
    static_cast<void>(runCommand({(kBuild / "bin/kioskctl").string(), "keygen", "--store", "OTHER1", "--out",
                                  dir.path().string()}));
    ASSERT_TRUE(fs::exists(dir.path() / "OTHER1.key"));
    const fs::path foreign =
        signReceipt(dir.path(), uniqueNumber("FOREIGN"), "90000", (dir.path() / "OTHER1.key").string(), "OTHER1");
    ASSERT_FALSE(foreign.empty());
    kiosk.send({{"cmd", "camera"}, {"image", foreign.string()}});
    json state = kiosk.waitForText("không phải của chuỗi", 10s);
    EXPECT_EQ(state.value("screen", ""), "scan");
    EXPECT_TRUE(hasText(state, "không phải của chuỗi cửa hàng này")) << state.dump();
    screenshot(kiosk, screenshotDir({}) / "03-scan-refused.png");

    // Some other QR code entirely.
    const fs::path url = dir.path() / "url.png";
    ASSERT_EQ(std::system(("qrencode -s 8 -o " + url.string() + " https://example.com/khuyen-mai").c_str()), 0);
    kiosk.send({{"cmd", "camera"}, {"image", url.string()}});
    state = kiosk.waitForText("không phải mã QR tích điểm", 10s);
    EXPECT_TRUE(hasText(state, "không phải mã QR tích điểm")) << state.dump();
}

TEST(KioskE2E, AutomationRefusesNonsenseWithoutCrashing) {
    TempDir dir;
    KioskRun run(dir, {});
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    EXPECT_FALSE(kiosk.send({{"cmd", "tap"}, {"id", "no-such-control"}}).value("ok", true));
    EXPECT_FALSE(kiosk.send({{"cmd", "type"}, {"text", "12ab"}}).value("ok", true));
    EXPECT_FALSE(kiosk.send({{"cmd", "idle"}, {"advance_ms", -5}}).value("ok", true));
    EXPECT_FALSE(kiosk.send({{"cmd", "camera"}, {"image", "/nonexistent.png"}}).value("ok", true));
    EXPECT_FALSE(kiosk.send({{"cmd", "screenshot"}, {"path", "/nonexistent/dir/x.png"}}).value("ok", true));
    EXPECT_FALSE(kiosk.send({{"cmd", "launch-missiles"}}).value("ok", true));
    EXPECT_FALSE(kiosk.send(json::array({1, 2})).value("ok", true));
    EXPECT_TRUE(kiosk.send({{"cmd", "state"}}).value("ok", false));
}

/// Every screen reachable without central, in both languages and both orientations.
class KioskScreenshots : public ::testing::TestWithParam<std::tuple<std::string, bool>> {};

TEST_P(KioskScreenshots, EveryOfflineScreen) {
    KioskOptions options;
    options.language = std::get<0>(GetParam());
    options.landscape = std::get<1>(GetParam());
    TempDir dir;
    KioskRun run(dir, options);
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    const fs::path out = screenshotDir(options);
    const fs::path receipt = signReceipt(dir.path(), uniqueNumber("SHOT"), "1250000");
    ASSERT_FALSE(receipt.empty());

    screenshot(kiosk, out / "01-attract.png");
    kiosk.send({{"cmd", "tap"}, {"id", "start"}});
    screenshot(kiosk, out / "02-scan.png");
    kiosk.send({{"cmd", "camera"}, {"image", receipt.string()}});
    ASSERT_EQ(kiosk.waitForScreen("phone", 10s).value("screen", ""), "phone");
    kiosk.send({{"cmd", "type"}, {"text", "028123"}});
    screenshot(kiosk, out / "04-phone-typing.png");
    kiosk.send({{"cmd", "type"}, {"text", "4567"}});
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    screenshot(kiosk, out / "05-phone-landline.png");
    for (int i = 0; i < 10; ++i) {
        kiosk.send({{"cmd", "tap"}, {"id", "key:del"}});
    }
    kiosk.send({{"cmd", "type"}, {"text", "0987654321"}});
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    ASSERT_EQ(kiosk.waitForScreen("consent", 10s).value("screen", ""), "consent");
    kiosk.send({{"cmd", "tap"}, {"id", "consent:join"}});
    screenshot(kiosk, out / "06-consent.png");
    kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
    ASSERT_EQ(kiosk.waitForScreen("result", 10s).value("screen", ""), "result");
    screenshot(kiosk, out / "07-result-pending.png");
    kiosk.send({{"cmd", "idle"}, {"advance_ms", 40'000}});
    screenshot(kiosk, out / "08-countdown.png");
}

INSTANTIATE_TEST_SUITE_P(LanguagesAndOrientations, KioskScreenshots,
                         ::testing::Combine(::testing::Values("vi", "en"), ::testing::Bool()),
                         [](const auto& test) {
                             return std::get<0>(test.param) + (std::get<1>(test.param) ? "_landscape" : "_portrait");
                         });

}  // namespace
}  // namespace kiosk::test
