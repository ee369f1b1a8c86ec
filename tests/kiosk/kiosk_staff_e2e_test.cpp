// End-to-end, issue 13: a staff member head office issued a PIN to opens the real kiosk's maintenance
// screen (the PIN checked against central's Argon2id string), prints a test page on the virtual printer,
// takes the kiosk out of service (the attract screen says so and starts nothing) and back; each action
// reaches central's audit with the staff member's id. Screenshots land in <build>/screenshots/.
#include <gtest/gtest.h>

#include <thread>

#include "kiosk_harness.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kCentralPin = "482913";

void screenshot(AutomationClient& kiosk, const fs::path& file) {
    const json answer = kiosk.send({{"cmd", "screenshot"}, {"path", file.string()}});
    ASSERT_TRUE(answer.value("ok", false)) << answer.dump();
}

bool offers(const json& state, const std::string& id) {
    for (const auto& control : state.value("controls", json::array())) {
        if (control.value("id", "") == id) return true;
    }
    return false;
}

class StaffWithCentral : public KioskWithBackend {
  protected:
    void SetUp() override {
        KioskWithBackend::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        const json issued = m_backend->admin("/v1/admin/staff",
                                             {{"staff_id", "T-07"}, {"name", "Lan"}, {"pin", kCentralPin}});
        ASSERT_EQ(issued.value("staff", json::object()).value("staff_id", ""), "T-07") << issued.dump();
        startKiosk();
        if (HasFatalFailure()) {
            return;
        }
        // The heartbeat runs after the config pull in the same turn: once central saw one, the kiosk has
        // central's staff list.
        ASSERT_TRUE(waitFor("SELECT 1 FROM kiosks WHERE kiosk_id = 'K-DEV-01' AND last_seen IS NOT NULL", 1))
            << m_kiosk->log();
    }

    /// Polls central's database until `sql` returns at least `rows` rows (20 s at most).
    bool waitFor(const std::string& sql, std::size_t rows) const {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (auto found = m_backend->query(sql); found && found->size() >= rows) return true;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }
};

TEST_F(StaffWithCentral, StaffActionsAppearInCentralsAuditWithTheStaffId) {
    json state = enterStaffMode(kiosk(), kCentralPin);
    state = kiosk().waitForScreen("maintenance", 20s);
    ASSERT_EQ(state.value("screen", ""), "maintenance") << state.dump() << m_kiosk->log();
    EXPECT_TRUE(hasText(state, "Nhân viên: Lan (T-07)")) << state.dump();

    kiosk().send({{"cmd", "tap"}, {"id", "staff:test_print"}});
    state = kiosk().waitForText("Đã in trang thử", 20s);
    ASSERT_TRUE(hasText(state, "Đã in trang thử")) << state.dump();
    EXPECT_TRUE(fs::exists(m_backend->printedDir() / "job-0001.png"));
    screenshot(kiosk(), screenshotDir({}) / "21-maintenance-test-print.png");

    kiosk().send({{"cmd", "tap"}, {"id", "staff:paper"}});
    state = kiosk().waitForText("Máy in: tốt", 20s);
    EXPECT_TRUE(hasText(state, "Mở nắp máy in")) << state.dump();
    screenshot(kiosk(), screenshotDir({}) / "22-maintenance-paper.png");
    state = kiosk().send({{"cmd", "tap"}, {"id", "staff:paper_done"}});
    EXPECT_TRUE(offers(state, "staff:test_print")) << state.dump();  // back on the maintenance screen

    kiosk().send({{"cmd", "tap"}, {"id", "staff:service"}});
    state = kiosk().waitForText("TẠM NGƯNG PHỤC VỤ", 20s);
    ASSERT_TRUE(hasText(state, "TẠM NGƯNG PHỤC VỤ (do T-07)")) << state.dump();
    screenshot(kiosk(), screenshotDir({}) / "23-maintenance-out-of-service.png");
    state = kiosk().send({{"cmd", "tap"}, {"id", "back"}});
    ASSERT_EQ(state.value("screen", ""), "attract") << state.dump();
    EXPECT_TRUE(hasText(state, "Kiosk tạm ngưng phục vụ")) << state.dump();
    EXPECT_FALSE(offers(state, "start")) << state.dump();
    screenshot(kiosk(), screenshotDir({}) / "24-attract-out-of-service.png");

    // Each action is in central's audit, under the staff member who did it, from this kiosk.
    const std::string audit =
        "SELECT action FROM console_audit WHERE actor = 'staff:T-07' AND address = 'K-DEV-01' AND action IN "
        "('staff.maintenance_opened', 'staff.test_print', 'staff.paper_changed', 'staff.out_of_service_on')";
    EXPECT_TRUE(waitFor(audit, 4)) << m_backend->query(audit).value_or(json()).dump() << m_kiosk->log();

    // Back in service: shoppers can start again.
    state = enterStaffMode(kiosk(), kCentralPin);
    ASSERT_EQ(kiosk().waitForScreen("maintenance", 20s).value("screen", ""), "maintenance");
    kiosk().send({{"cmd", "tap"}, {"id", "staff:service"}});
    kiosk().waitForText("Đang phục vụ", 20s);
    state = kiosk().send({{"cmd", "tap"}, {"id", "back"}});
    EXPECT_TRUE(offers(state, "start")) << state.dump();
    EXPECT_TRUE(waitFor(
        "SELECT 1 FROM console_audit WHERE actor = 'staff:T-07' AND action = 'staff.out_of_service_off'", 1));
}

}  // namespace
}  // namespace kiosk::test
