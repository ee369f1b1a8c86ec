// Issue 17, "theme from the chain's config", end to end: head office sets brand colours and a logo in the
// real central (PUT /v1/admin/theme); the real kiosk applies them at its next config pull — the header in
// the brand colour, the logo on Attract — and a theme it cannot use (illegible colours) is refused in its
// log while the last good look stays on screen. Central itself refuses a malformed colour or picture.
// The chain's fonts: a family the kiosk has is drawn; one it lacks, or one without the Vietnamese
// letters, is refused in its log, automation state and heartbeat while the colours of the same theme
// still apply. Head office clearing the theme ({}) brings the kiosk's own look back without a restart.
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
    const auto& bgr = image.at<cv::Vec3b>(y, x);
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

/// The real central and virtual printer, and a kiosk online with them.
class KioskTheme : public KioskWithBackend {
  protected:
    void SetUp() override {
        KioskWithBackend::SetUp();
        if (!IsSkipped() && !HasFatalFailure()) {
            startConnectedKiosk();
        }
    }
};

TEST_F(KioskTheme, HeadOfficesColoursAndLogoReachTheKioskAndABadThemeKeepsTheLastGoodOne) {
    auto& kiosk = this->kiosk();
    Backend& backend = *m_backend;
    const fs::path shot = m_dir.path() / "theme.png";
    EXPECT_EQ(pixelAt(kiosk, shot, 4, 4), 0x0B7A4BU) << "the standard header before";

    // Central refuses what is not a colour or not a small PNG, saying which field.
    json refused = backend.admin("/v1/admin/theme", {{"primary", "#12"}}, "PUT");
    EXPECT_EQ(refused["error"].value("code", ""), "invalid_field") << refused.dump();
    refused = backend.admin("/v1/admin/theme", {{"logo_png", "R0lGODlhAQABAAAAACw="}}, "PUT");
    EXPECT_EQ(refused["error"].value("code", ""), "invalid_field") << refused.dump();

    const json set = backend.admin(
        "/v1/admin/theme", {{"primary", "#8B1A1A"}, {"logo_png", pngBase64(400, 120, 0xDC0000)}}, "PUT");
    ASSERT_EQ(set["theme"].value("primary", ""), "#8B1A1A") << set.dump();
    ASSERT_EQ(waitForHeader(kiosk, shot, 0x8B1A1AU), 0x8B1A1AU) << m_kiosk->log();
    // The logo heads Attract: its red block at the middle of the band under the header.
    const std::uint32_t logo = pixelAt(kiosk, shot, 540, 150 + 36 + 90);
    EXPECT_EQ(logo, 0xDC0000U) << std::hex << logo;
    kiosk.send(
        {{"cmd", "screenshot"}, {"path", (screenshotDir({}) / "24-attract-chain-theme.png").string()}});

    // White text on yellow cannot be read: central stores it (its form is right), the kiosk refuses it.
    backend.admin("/v1/admin/theme", {{"primary", "#FFFF00"}}, "PUT");
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (m_kiosk->log().find("central's theme refused") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        kiosk.send({{"cmd", "advance"}, {"ms", 301'000}});
        std::this_thread::sleep_for(250ms);
    }
    ASSERT_NE(m_kiosk->log().find("central's theme refused"), std::string::npos) << m_kiosk->log();
    EXPECT_NE(m_kiosk->log().find("legible"), std::string::npos) << "the log says why";
    EXPECT_EQ(pixelAt(kiosk, shot, 4, 4), 0x8B1A1AU) << "the last good look stays";
    EXPECT_EQ(pixelAt(kiosk, shot, 540, 150 + 36 + 90), 0xDC0000U) << "and its logo";
}

/// Moves the kiosk's clock past the config pull interval until its state's fonts and refusal are these.
json waitForFonts(AutomationClient& kiosk, const std::string& body, const std::string& refused) {
    json state = kiosk.send({{"cmd", "state"}});
    for (int i = 0; i < 40; ++i) {
        if (state["fonts"].value("body", "") == body &&
            state.value("look_refused", "").find(refused) != std::string::npos) {
            break;
        }
        kiosk.send({{"cmd", "advance"}, {"ms", 301'000}});
        std::this_thread::sleep_for(250ms);
        state = kiosk.send({{"cmd", "state"}});
    }
    return state;
}

TEST_F(KioskTheme, TheChainsFontsAreDrawnAndAFontTheKioskCannotDrawWithIsRefusedSayingWhy) {
    auto& kiosk = this->kiosk();
    Backend& backend = *m_backend;
    EXPECT_EQ(kiosk.send({{"cmd", "state"}})["fonts"].value("body", ""), "Noto Sans");

    const json wrong = backend.admin("/v1/admin/theme", {{"body_font", "../../tmp/font"}}, "PUT");
    EXPECT_EQ(wrong["error"].value("code", ""), "invalid_field") << wrong.dump();
    const json set = backend.admin(
        "/v1/admin/theme", {{"body_font", "Noto Serif"}, {"heading_font", "Noto Sans Display"}}, "PUT");
    ASSERT_EQ(set["theme"].value("body_font", ""), "Noto Serif") << set.dump();
    json state = waitForFonts(kiosk, "Noto Serif", "");
    EXPECT_EQ(state["fonts"].value("body", ""), "Noto Serif") << m_kiosk->log();
    EXPECT_EQ(state["fonts"].value("heading", ""), "Noto Sans Display");
    EXPECT_FALSE(state.contains("look_refused")) << state.dump();
    kiosk.send(
        {{"cmd", "screenshot"}, {"path", (screenshotDir({}) / "25-attract-chain-fonts.png").string()}});

    // Central stores any well-formed family name; the kiosk checks it has the font and every character.
    const std::pair<std::string, std::string> refused[] = {
        {"Noto Sans Armenian", "lacks"},
        {"Comic Sans", "does not exist on this kiosk"},
    };
    for (const auto& [family, why] : refused) {
        backend.admin("/v1/admin/theme", {{"primary", "#1A3C8B"}, {"body_font", family}}, "PUT");
        state = waitForFonts(kiosk, "Noto Serif", why);
        EXPECT_NE(state.value("look_refused", "").find("body_font \"" + family + "\""), std::string::npos)
            << state.dump() << m_kiosk->log();
        EXPECT_NE(state.value("look_refused", "").find(why), std::string::npos) << state.dump();
        EXPECT_EQ(state["fonts"].value("body", ""), "Noto Serif") << "the last good fonts stay";
    }
    EXPECT_NE(m_kiosk->log().find("central's fonts refused"), std::string::npos) << m_kiosk->log();
    EXPECT_EQ(pixelAt(kiosk, m_dir.path() / "fonts.png", 4, 4), 0x1A3C8BU) << "the colours still apply";

    // Where a technician looks: the heartbeat carries the refusal to central (GET /v1/admin/kiosks).
    std::string health;
    for (int i = 0; i < 40 && health.find("refused: body_font") == std::string::npos; ++i) {
        kiosk.send({{"cmd", "advance"}, {"ms", 61'000}});
        std::this_thread::sleep_for(250ms);
        if (auto row = backend.query("SELECT health FROM kiosks WHERE kiosk_id = 'K-DEV-01'");
            row && !row->empty()) {
            health = (*row)[0][0].get<std::string>();
        }
    }
    EXPECT_NE(health.find("\"theme\":\"refused: body_font"), std::string::npos) << health;
}

TEST_F(KioskTheme, AnEmptyThemeFromCentralBringsTheKiosksOwnLookBackWithoutARestart) {
    const fs::path shot = m_dir.path() / "reset.png";
    const json set = m_backend->admin("/v1/admin/theme",
                                      {{"primary", "#8B1A1A"},
                                       {"logo_png", pngBase64(400, 120, 0xDC0000)},
                                       {"body_font", "Noto Serif"},
                                       {"heading_font", "Noto Sans Display"}},
                                      "PUT");
    ASSERT_EQ(set["theme"].value("primary", ""), "#8B1A1A") << set.dump();
    ASSERT_EQ(waitForHeader(kiosk(), shot, 0x8B1A1AU), 0x8B1A1AU) << m_kiosk->log();
    ASSERT_EQ(waitForFonts(kiosk(), "Noto Serif", "")["fonts"].value("body", ""), "Noto Serif");
    ASSERT_EQ(pixelAt(kiosk(), shot, 540, 150 + 36 + 90), 0xDC0000U) << "the chain's logo is drawn";

    // Head office clears the look: the kiosk's own colours, no logo and Noto Sans, with no restart.
    const json cleared = m_backend->admin("/v1/admin/theme", json::object(), "PUT");
    ASSERT_TRUE(cleared["theme"].empty()) << cleared.dump();
    EXPECT_EQ(waitForHeader(kiosk(), shot, 0x0B7A4BU), 0x0B7A4BU) << m_kiosk->log();
    EXPECT_NE(pixelAt(kiosk(), shot, 540, 150 + 36 + 90), 0xDC0000U) << "the logo is gone";
    const json state = waitForFonts(kiosk(), "Noto Sans", "");
    EXPECT_EQ(state["fonts"].value("body", ""), "Noto Sans") << state.dump();
    EXPECT_EQ(state["fonts"].value("heading", ""), "Noto Sans") << state.dump();
    EXPECT_FALSE(state.contains("look_refused")) << state.dump();
}

}  // namespace
}  // namespace kiosk::test
