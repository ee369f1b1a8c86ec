// The member's own controls end to end (issues 15 and 18): the real `kiosk` under its virtual display and
// the real `central`. A member buys a play of the wheel with points through the one-time code central
// sent, and draws; a member who accepted promotions stops them at the kiosk and central records it.
// Screenshots of the new screens land in <build>/screenshots/<language>-<orientation>/4x-*.png.
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

class KioskMember : public KioskWithBackend {
  protected:
    void SetUp() override {
        KioskWithBackend::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        // No receipt earns a play of it (its minimum is out of reach): a play is only bought.
        json wheel = promoGame("wheel", "Vòng quay may mắn", "Lucky wheel", 900'000'000,
                               json{{"id", "P50"},
                                    {"kind", "points"},
                                    {"name_vi", "50 điểm"},
                                    {"name_en", "50 points"},
                                    {"odds_ppm", 1'000'000},
                                    {"points", 50}});
        wheel["ticket_price_points"] = 10;
        configureGame("BUY1", wheel);
    }

    void startKiosk(const std::string& language, bool landscape) {
        m_options.language = language;
        m_options.landscape = landscape;
        KioskWithBackend::startKiosk(m_options);
    }

    void screenshot(const std::string& name) {
        const fs::path file = screenshotDir(m_options) / name;
        const json answer = m_kiosk->client().send({{"cmd", "screenshot"}, {"path", file.string()}});
        EXPECT_TRUE(answer.value("ok", false)) << answer.dump();
    }

    /// A new member joins with marketing consent ticked; the Result once central credited the receipt.
    json joinWithPromotions(const std::string& phone) {
        AutomationClient& kiosk = m_kiosk->client();
        kiosk.send({{"cmd", "tap"}, {"id", "start"}});
        kiosk.send({{"cmd", "camera"},
                    {"image", signReceipt(m_dir.path(), uniqueNumber("MBR"), "500000").string()}});
        kiosk.waitForScreen("phone", 20s);
        kiosk.send({{"cmd", "type"}, {"text", phone}});
        kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
        kiosk.waitForScreen("consent", 20s);
        kiosk.send({{"cmd", "tap"}, {"id", "consent:join"}});
        kiosk.send({{"cmd", "tap"}, {"id", "consent:marketing"}});
        kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
        json state;
        for (int i = 0; i < 600; ++i) {
            state = kiosk.send({{"cmd", "state"}});
            if (state.value("screen", "") == "result" && state.contains("tier") &&
                controlOf(state, "game:buy") != nullptr) {
                break;
            }
            std::this_thread::sleep_for(50ms);
        }
        return state;
    }

    KioskOptions m_options;
};

TEST_F(KioskMember, APlayBoughtWithPointsIsDrawnAndPromotionsAreStopped) {
    int run = 0;
    for (const auto& [language, landscape] :
         {std::pair{"vi", false}, std::pair{"vi", true}, std::pair{"en", false}, std::pair{"en", true}}) {
        SCOPED_TRACE(std::string(language) + (landscape ? " landscape" : " portrait"));
        startKiosk(language, landscape);
        AutomationClient& kiosk = m_kiosk->client();
        const std::string phone = "091234560" + std::to_string(++run);
        const std::string e164 = "+84" + phone.substr(1);
        json state = joinWithPromotions(phone);
        const json* buy = controlOf(state, "game:buy");
        ASSERT_NE(buy, nullptr) << state.dump();
        EXPECT_EQ(buy->value("label", ""),
                  language == std::string("vi") ? "Mua lượt chơi — 10 điểm" : "Buy a play — 10 points");
        const std::int64_t before = m_backend->balance(m_dir.path() / "data", phone);
        ASSERT_GE(before, 10);
        EXPECT_FALSE(kiosk.waitForStill(10s).value("animating", true));  // the count-up has ended
        screenshot("40-result-buy-play.png");

        kiosk.send({{"cmd", "tap"}, {"id", "game:buy"}});
        state = kiosk.waitForScreen("otp", 20s);
        ASSERT_EQ(state.value("screen", ""), "otp") << state.dump();
        const std::string code = m_backend->lastOtp(e164);
        ASSERT_EQ(code.size(), 6U);
        kiosk.send({{"cmd", "type"}, {"text", code}});
        kiosk.send({{"cmd", "tap"}, {"id", "ok"}});
        state = kiosk.waitForScreen("game", 20s);
        ASSERT_EQ(state.value("screen", ""), "game") << state.dump();
        EXPECT_EQ(m_backend->balance(m_dir.path() / "data", phone), before - 10);
        kiosk.send({{"cmd", "flick"}, {"speed", 2000}});
        state = kiosk.waitForText(
            language == std::string("vi") ? "Bạn trúng: 50 điểm!" : "You won: 50 points!", 20s);
        EXPECT_TRUE(hasText(state, std::to_string(before - 10 + 50))) << state.dump();
        EXPECT_EQ(m_backend->balance(m_dir.path() / "data", phone), before - 10 + 50);

        // Stop promotions: History → confirmation → central's answer.
        kiosk.send({{"cmd", "tap"}, {"id", "back"}});
        state = kiosk.send({{"cmd", "tap"}, {"id", "history"}});
        ASSERT_NE(controlOf(state, "promotions:stop"), nullptr) << state.dump();
        state = kiosk.send({{"cmd", "tap"}, {"id", "promotions:stop"}});
        ASSERT_EQ(state.value("screen", ""), "opt_out") << state.dump();
        screenshot("41-opt-out-confirm.png");
        EXPECT_TRUE(
            m_backend->asKiosk(m_dir.path() / "data", "/v1/members/" + phone)["consent"]["marketing"]);
        kiosk.send({{"cmd", "tap"}, {"id", "promotions:stop_confirm"}});
        state = kiosk.waitForText(language == std::string("vi") ? "Đã xong" : "Done:", 20s);
        ASSERT_EQ(state.value("screen", ""), "opt_out") << state.dump();
        screenshot("42-opt-out-done.png");
        const json consent = m_backend->asKiosk(m_dir.path() / "data", "/v1/members/" + phone)["consent"];
        EXPECT_FALSE(consent.value("marketing", true)) << consent.dump();
        EXPECT_EQ(consent.value("source", ""), "kiosk:K-DEV-01") << consent.dump();
        kiosk.send({{"cmd", "tap"}, {"id", "done"}});
    }
}

}  // namespace
}  // namespace kiosk::test
