// Promo games end to end (issue 15): the real `kiosk` under its virtual display, the real `central` and
// the virtual printer. A qualifying receipt earns a play of each game; the shopper spins the wheel (in
// Vietnamese) and scratches the card (in English) through the automation socket; the wheel's gift
// voucher comes out of the printer and central takes it once at the POS. Hardware-in-loop: kill -9 of
// the kiosk between central's draw and its display loses nothing — the prize shows the next time.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "kiosk_harness.hpp"

namespace kiosk::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

void screenshot(AutomationClient& kiosk, const fs::path& file) {
    const json answer = kiosk.send({{"cmd", "screenshot"}, {"path", file.string()}});
    ASSERT_TRUE(answer.value("ok", false)) << answer.dump();
}

std::string controlLabel(const json& state, const std::string& id) {
    const json* control = controlOf(state, id);
    return control != nullptr ? control->value("label", "") : "";
}

class KioskGames : public KioskWithBackend {
  protected:
    void SetUp() override {
        KioskWithBackend::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        const json bear{{"id", "BEAR"},
                        {"kind", "gift"},
                        {"name_vi", "Gấu bông"},
                        {"name_en", "Teddy bear"},
                        {"odds_ppm", 1'000'000},
                        {"value_dong", 0},
                        {"voucher_validity_days", 7}};
        const json points{{"id", "P50"},           {"kind", "points"},
                          {"name_vi", "50 điểm"},  {"name_en", "50 points"},
                          {"odds_ppm", 1'000'000}, {"points", 50}};
        // Central lists games by id: the wheel first.
        configureGame("LUCKY1",
                      promoGame("wheel", "Vòng quay may mắn", "Vòng quay may mắn (en)", 200'000, bear));
        configureGame("SCRATCH1", promoGame("scratch", "Thẻ cào", "Thẻ cào (en)", 200'000, points));
    }

    void startIn(const std::string& language, bool landscape) {
        KioskOptions options;
        options.language = language;
        options.landscape = landscape;
        startKiosk(options);
    }

    /// Central's draws of `phone` as the kiosk would read them.
    json draws(const std::string& phone) const {
        return m_backend->asKiosk(m_dir.path() / "data", "/v1/members/" + phone + "/games")
            .value("draws", json::array());
    }

    /// Waits until the Result screen offers the game (the member's games come after the lookup).
    json waitForPlay() {
        json state = m_kiosk->client().send({{"cmd", "state"}});
        for (int i = 0; i < 200 && controlLabel(state, "game:play").empty(); ++i) {
            std::this_thread::sleep_for(50ms);
            state = m_kiosk->client().send({{"cmd", "state"}});
        }
        return state;
    }
};

TEST_F(KioskGames, BothGamesInBothLanguagesAndTheWheelsVoucherIsConsumedOnce) {
    startKiosk();
    AutomationClient& kiosk = m_kiosk->client();
    const std::string phone = "0912345678";
    json state = earn(kiosk, signReceipt(m_dir.path(), uniqueNumber("GAME"), "256000"), phone);
    state = waitForPlay();
    ASSERT_EQ(controlLabel(state, "game:play"), "Chơi trò chơi may mắn") << state.dump();
    state = kiosk.send({{"cmd", "tap"}, {"id", "game:play"}});
    ASSERT_EQ(state.value("screen", ""), "game") << state.dump();
    EXPECT_TRUE(hasText(state, "1234/QĐ-BCT")) << state.dump();
    EXPECT_TRUE(hasText(state, "Gấu bông: 100 %")) << state.dump();
    state = kiosk.send({{"cmd", "flick"}, {"speed", 1800}});
    state = kiosk.waitForText("Bạn trúng: Gấu bông!", 20s);
    ASSERT_TRUE(hasText(state, "Bạn trúng: Gấu bông!")) << state.dump();
    state = kiosk.waitForText("máy in", 20s);
    EXPECT_TRUE(hasText(state, "Mời bạn nhận phiếu")) << state.dump();

    const json wheelDraws = draws(phone);
    ASSERT_EQ(wheelDraws.size(), 1U) << wheelDraws.dump();
    EXPECT_FALSE(wheelDraws[0]["displayed_at"].is_null());
    const std::string code = wheelDraws[0]["voucher"]["code"];
    const fs::path printed = m_backend->printedDir() / "job-0001.png";
    ASSERT_TRUE(fs::exists(printed));
    EXPECT_EQ(decodeQr(printed), wheelDraws[0]["voucher"]["qr_payload"].get<std::string>());
    EXPECT_EQ(m_backend->consumeVoucher(code), 200);
    EXPECT_EQ(m_backend->consumeVoucher(code), 409);

    // The scratch card, in English.
    state = kiosk.send({{"cmd", "tap"}, {"id", "back"}});
    state = kiosk.send({{"cmd", "tap"}, {"id", "lang"}});
    state = kiosk.send({{"cmd", "tap"}, {"id", "game:play"}});
    ASSERT_EQ(state.value("screen", ""), "game") << state.dump();
    EXPECT_TRUE(hasText(state, "Promotion registration no. 1234/QĐ-BCT")) << state.dump();
    json cells = json::array();
    for (int cell = 0; cell < 12; ++cell) {
        cells.push_back(cell);
    }
    state = kiosk.send({{"cmd", "scratch"}, {"cells", cells}});
    EXPECT_FALSE(hasText(state, "You won")) << state.dump();
    state = kiosk.send({{"cmd", "tap"}, {"id", "game:reveal"}});
    state = kiosk.waitForText("You won: 50 points!", 20s);
    EXPECT_TRUE(hasText(state, "You won: 50 points!")) << state.dump();
    EXPECT_EQ(draws(phone).size(), 2U);
}

TEST_F(KioskGames, KillNineBetweenDrawAndDisplayShowsThePrizeNextTime) {
    startKiosk();
    const std::string phone = "0912345679";
    json state = earn(m_kiosk->client(), signReceipt(m_dir.path(), uniqueNumber("KILL"), "256000"), phone);
    state = waitForPlay();
    state = m_kiosk->client().send({{"cmd", "tap"}, {"id", "game:play"}});
    ASSERT_EQ(state.value("screen", ""), "game") << state.dump();
    // The slowest flick: the wheel turns for 4 s once central answered; the kiosk dies meanwhile.
    state = m_kiosk->client().send({{"cmd", "flick"}, {"speed", 360}});
    json found = draws(phone);
    for (int i = 0; i < 100 && found.empty(); ++i) {
        std::this_thread::sleep_for(20ms);
        found = draws(phone);
    }
    m_kiosk->killAt(std::chrono::steady_clock::now());
    ASSERT_TRUE(m_kiosk->endedByKill());
    ASSERT_EQ(found.size(), 1U);
    ASSERT_TRUE(found[0]["displayed_at"].is_null()) << "the kiosk showed the prize before it died";

    startKiosk();
    state = earn(m_kiosk->client(), signReceipt(m_dir.path(), uniqueNumber("BACK"), "50000"), phone);
    state = waitForPlay();
    ASSERT_EQ(controlLabel(state, "game:play"), "Xem giải thưởng của bạn") << state.dump();
    state = m_kiosk->client().send({{"cmd", "tap"}, {"id", "game:play"}});
    EXPECT_TRUE(hasText(state, "lượt chơi trước")) << state.dump();
    EXPECT_TRUE(hasText(state, "Bạn trúng: Gấu bông!")) << state.dump();
    json after = draws(phone);
    for (int i = 0; i < 100 && (after.empty() || after[0]["displayed_at"].is_null()); ++i) {
        std::this_thread::sleep_for(50ms);
        after = draws(phone);
    }
    ASSERT_EQ(after.size(), 1U) << "no second draw: the prize was shown, not drawn again";
    EXPECT_FALSE(after[0]["displayed_at"].is_null());
}

/// The game frames of the screenshot sets (<build>/screenshots/<language>-<orientation>/3x-*.png): the
/// wheel at rest, mid-spin and stopped; the card untouched, half scratched and revealed.
class KioskGameScreenshots : public KioskGames,
                             public ::testing::WithParamInterface<std::tuple<std::string, bool>> {};

TEST_P(KioskGameScreenshots, WheelAndCardFrames) {
    const auto [language, landscape] = GetParam();
    startIn(language, landscape);
    KioskOptions options;
    options.language = language;
    options.landscape = landscape;
    const fs::path out = screenshotDir(options);
    AutomationClient& kiosk = m_kiosk->client();
    earn(kiosk, signReceipt(m_dir.path(), uniqueNumber("SHOTG"), "256000"), "0912345670");
    waitForPlay();
    kiosk.send({{"cmd", "tap"}, {"id", "game:play"}});
    screenshot(kiosk, out / "30-wheel-start.png");
    kiosk.send({{"cmd", "flick"}, {"speed", 900}});
    // The printer check and central's draw come first; then the wheel turns for about 3 s.
    std::this_thread::sleep_for(900ms);
    screenshot(kiosk, out / "31-wheel-mid-spin.png");
    json state = kiosk.waitForText(language == "en" ? "You won" : "Bạn trúng", 20s);
    screenshot(kiosk, out / "32-wheel-result.png");
    kiosk.send({{"cmd", "tap"}, {"id", "back"}});
    kiosk.send({{"cmd", "tap"}, {"id", "game:play"}});
    screenshot(kiosk, out / "33-scratch-start.png");
    json cells = json::array();
    for (int cell = 0; cell < 20; ++cell) {
        cells.push_back(cell);
    }
    kiosk.send({{"cmd", "scratch"}, {"cells", cells}});
    screenshot(kiosk, out / "34-scratch-half.png");
    kiosk.send({{"cmd", "tap"}, {"id", "game:reveal"}});
    state = kiosk.waitForText(language == "en" ? "You won" : "Bạn trúng", 20s);
    EXPECT_EQ(state.value("screen", ""), "game") << state.dump();
    screenshot(kiosk, out / "35-scratch-revealed.png");
}

INSTANTIATE_TEST_SUITE_P(LanguagesAndOrientations, KioskGameScreenshots,
                         ::testing::Combine(::testing::Values("vi", "en"), ::testing::Bool()),
                         [](const auto& test) {
                             return std::get<0>(test.param) +
                                    (std::get<1>(test.param) ? "_landscape" : "_portrait");
                         });

}  // namespace
}  // namespace kiosk::test
