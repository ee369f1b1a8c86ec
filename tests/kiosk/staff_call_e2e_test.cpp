// Issue 17, "call staff", end to end: the real kiosk's button → its heartbeat → the real central's
// record (its SQLite file, and the admin API the console's fleet page reads). The shopper is told staff
// were alerted only once central has the call, and told it was not sent when there is no central.
#include <gtest/gtest.h>

#include <thread>

#include "kiosk_harness.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

using KioskStaffCallOnline = KioskWithBackend;

TEST_F(KioskStaffCallOnline, CentralRecordsTheCallBeforeTheShopperIsToldStaffWereAlerted) {
    if (IsSkipped() || HasFatalFailure()) {
        return;
    }
    startConnectedKiosk();  // enrolled: heartbeats go out
    if (HasFatalFailure()) {
        return;
    }
    auto& kiosk = this->kiosk();
    const Backend& backend = *m_backend;
    auto before = backend.query("SELECT health FROM kiosks WHERE kiosk_id = 'K-DEV-01'");
    ASSERT_TRUE(before.has_value()) << before.error();
    ASSERT_EQ(before->size(), 1U);
    EXPECT_EQ((*before)[0][0].get<std::string>().find("staff_call"), std::string::npos);

    kiosk.send({{"cmd", "tap"}, {"id", "start"}});
    ASSERT_TRUE(kiosk.send({{"cmd", "tap"}, {"id", "call_staff"}}).value("ok", false));
    const json state = kiosk.waitForText("Đã báo nhân viên", 20s);
    ASSERT_TRUE(hasText(state, "Đã báo nhân viên")) << state.dump();
    // Said only after central answered the heartbeat that carried it: the row holds it already.
    auto after = backend.query("SELECT health FROM kiosks WHERE kiosk_id = 'K-DEV-01'");
    ASSERT_TRUE(after.has_value()) << after.error();
    const json health = json::parse((*after)[0][0].get<std::string>());
    ASSERT_TRUE(health.contains("staff_call")) << health.dump();
    EXPECT_GT(std::stoll(health["staff_call"].get<std::string>()), 1'700'000'000LL);
    for (const auto& control : state["controls"]) {
        if (control["id"] == "call_staff") {
            EXPECT_FALSE(control.value("enabled", true));  // once is enough
        }
    }
}

TEST(KioskStaffCall, AKioskWithoutCentralSaysTheCallWasNotSent) {
    TempDir dir;
    KioskRun run(dir, {});
    auto& kiosk = run.client();
    ASSERT_TRUE(kiosk.connected()) << run.log();
    ASSERT_TRUE(kiosk.send({{"cmd", "tap"}, {"id", "call_staff"}}).value("ok", false));
    const json state = kiosk.waitForText("Chưa báo được nhân viên", 20s);
    ASSERT_TRUE(hasText(state, "Chưa báo được nhân viên")) << state.dump();
    EXPECT_FALSE(hasText(state, "Đã báo nhân viên"));
}

}  // namespace
}  // namespace kiosk::test
