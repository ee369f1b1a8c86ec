// The maintenance screen as the technician's tool (issue 13): staff PINs issued by central and checked
// off the journey, the staff member named in every action, the test print, the out-of-service toggle
// and head office's message on the attract screen, the paper-change walk-through with live status, the
// update agent's state with "install now" and "postpone".
#include "journey_fixture.hpp"

namespace kiosk {
namespace {

using namespace kiosk::test;

class MaintenanceTest : public JourneyTest {
  protected:
    void corner() {
        for (int i = 0; i < kStaffTaps; ++i) {
            tap("staff");
            m_clock.advance(300ms);
        }
    }
    void toMaintenance(const std::string& pin = "2468") {
        corner();
        ASSERT_EQ(screen(), ui::ScreenId::StaffPin);
        type(pin);
        tap("ok");
        ASSERT_EQ(screen(), ui::ScreenId::Maintenance);
    }
    /// The staff actions emitted since the last call (other commands are dropped).
    std::vector<RecordStaffAction> actions() { return commands<RecordStaffAction>(); }
    bool offers(const std::string& id) const { return m_journey->view().control(id) != nullptr; }
    bool enabled(const std::string& id) const {
        const ui::Control* c = m_journey->view().control(id);
        return c != nullptr && c->enabled;
    }
};

TEST_F(MaintenanceTest, APinCentralIssuedIsCheckedByTheAppAndNamesTheStaffMember) {
    m_journey->setStaffIssued(true);
    corner();
    type("482913");
    tap("ok");
    // Not the kiosk's own PIN: the app checks it against central's Argon2id strings, off the UI thread.
    auto checks = commands<CheckStaffPin>();
    ASSERT_EQ(checks.size(), 1U);
    EXPECT_EQ(checks[0].pin, "482913");
    EXPECT_EQ(screen(), ui::ScreenId::Working);
    post(StaffPinChecked{m_journey->session(), StaffMember{"T-01", "Lan"}});
    ASSERT_EQ(screen(), ui::ScreenId::Maintenance);
    EXPECT_TRUE(shows("Nhân viên: Lan (T-01)"));
    auto opened = actions();
    ASSERT_EQ(opened.size(), 1U);
    EXPECT_EQ(opened[0].staffId, "T-01");
    EXPECT_EQ(opened[0].action, "maintenance_opened");
}

TEST_F(MaintenanceTest, APinNoStaffMemberHasIsAWrongPinAndWithoutIssuedStaffNothingIsAsked) {
    m_journey->setStaffIssued(true);
    corner();
    type("111111");
    tap("ok");
    ASSERT_EQ(commands<CheckStaffPin>().size(), 1U);
    post(StaffPinChecked{m_journey->session(), std::nullopt});
    EXPECT_EQ(screen(), ui::ScreenId::StaffPin);
    EXPECT_TRUE(shows("Mã PIN không đúng"));
    EXPECT_TRUE(actions().empty());

    // Central revoked everyone (its config lists no staff): only the kiosk's own PIN is left.
    m_journey->wipe();
    m_journey->setStaffIssued(false);
    corner();
    type("111111");
    tap("ok");
    EXPECT_TRUE(commands<CheckStaffPin>().empty());
    EXPECT_TRUE(shows("Mã PIN không đúng"));
}

TEST_F(MaintenanceTest, TestPrintAsksThePrinterFirstAndIsAuditedWithItsOutcome) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    tap("staff:test_print");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    EXPECT_FALSE(enabled("staff:test_print"));  // one job at a time
    post(PrinterChecked{m_journey->session(), "paper_out"});
    auto refused = m_journey->takeCommands();
    ASSERT_EQ(refused.size(), 1U);  // no print job on a printer without paper, only the audit
    const auto& failed = std::get<RecordStaffAction>(refused[0]);
    EXPECT_EQ(failed.staffId, kKioskPinStaffId);
    EXPECT_EQ(failed.action, "test_print");
    EXPECT_EQ(failed.detail, "paper_out");
    EXPECT_TRUE(shows("Không in được trang thử: hết giấy"));

    tap("staff:test_print");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), ""});
    auto pages = commands<PrintTestPage>();
    ASSERT_EQ(pages.size(), 1U);
    EXPECT_EQ(pages[0].staffName, "PIN của kiosk");
    post(Printed{m_journey->session(), ""});
    EXPECT_TRUE(shows("Đã in trang thử."));
    auto printed = actions();
    ASSERT_EQ(printed.size(), 1U);
    EXPECT_EQ(printed[0].detail, "ok");
    EXPECT_TRUE(enabled("staff:test_print"));
}

TEST_F(MaintenanceTest, OutOfServiceStopsShoppersWithAMessageUntilStaffPutItBack) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    tap("staff:service");
    auto set = commands<SetService>();
    ASSERT_EQ(set.size(), 1U);
    EXPECT_TRUE(set[0].notice.outOfService);
    EXPECT_EQ(set[0].notice.by, kKioskPinStaffId);
    post(ServiceChanged{set[0].notice});  // the app saved it
    EXPECT_TRUE(shows("TẠM NGƯNG PHỤC VỤ"));
    tap("back");

    ASSERT_EQ(screen(), ui::ScreenId::Attract);
    EXPECT_TRUE(shows("Kiosk tạm ngưng phục vụ"));
    EXPECT_FALSE(offers("start"));
    EXPECT_FALSE(m_journey->wantsCamera());
    post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
    EXPECT_EQ(screen(), ui::ScreenId::Attract);  // a receipt held up anyway starts nothing
    EXPECT_TRUE(offers("staff"));                // staff can still get in

    // Head office's message, in the shopper's language.
    post(ServiceChanged{ServiceNotice{true, {"Đang bảo trì máy in", "Printer maintenance"}, "central"}});
    EXPECT_TRUE(shows("Đang bảo trì máy in"));
    tap("lang");
    EXPECT_TRUE(shows("Printer maintenance"));
    tap("lang");

    toMaintenance();
    EXPECT_TRUE(shows("do central"));
    static_cast<void>(m_journey->takeCommands());
    tap("staff:service");
    set = commands<SetService>();
    ASSERT_EQ(set.size(), 1U);
    EXPECT_FALSE(set[0].notice.outOfService);
    post(ServiceChanged{set[0].notice});
    tap("back");
    EXPECT_TRUE(offers("start"));
    EXPECT_TRUE(m_journey->wantsCamera());
}

TEST_F(MaintenanceTest, ServiceChangesAreAuditedAndRestartIsAskedAfterItsAudit) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    tap("staff:service");
    tap("staff:restart");
    std::vector<std::string> seen;
    for (auto& c : m_journey->takeCommands()) {
        if (const auto* a = std::get_if<RecordStaffAction>(&c)) seen.push_back(a->action);
        if (std::holds_alternative<RestartApp>(c)) seen.emplace_back("<restart>");
    }
    // The app carries the restart out on the store worker after the audit row it was given first.
    EXPECT_EQ(seen, (std::vector<std::string>{"out_of_service_on", "restart_app", "<restart>"}));
}

/// The staff actions and update decisions among the commands emitted since the last call, in order.
std::vector<std::string> updateSteps(std::vector<Command> commands) {
    std::vector<std::string> seen;
    for (auto& c : commands) {
        if (const auto* a = std::get_if<RecordStaffAction>(&c)) seen.push_back(a->action + " " + a->detail);
        if (std::holds_alternative<InstallUpdateNow>(c)) seen.emplace_back("<install now>");
        if (std::holds_alternative<PostponeUpdate>(c)) seen.emplace_back("<postpone>");
        if (std::holds_alternative<LoadStaffReport>(c)) seen.emplace_back("<report>");
    }
    return seen;
}

TEST_F(MaintenanceTest, AnInstalledUpdateIsInstalledNowOrPostponedByStaffAndBothAreAudited) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    StaffReport report;
    report.update = UpdateInfo{"installed", "1.5.0", "", 0};
    post(StaffReportLoaded{m_journey->session(), report});
    EXPECT_TRUE(shows("Cập nhật: phiên bản 1.5.0 đã sẵn sàng, sẽ cài lúc vắng khách"));
    ASSERT_TRUE(enabled("staff:update_now"));
    ASSERT_TRUE(enabled("staff:update_later"));

    // Postpone: audited with the version, then the report read again says until when.
    tap("staff:update_later");
    EXPECT_EQ(updateSteps(m_journey->takeCommands()),
              (std::vector<std::string>{"update_postponed 1.5.0", "<postpone>", "<report>"}));
    EXPECT_TRUE(shows("Đã hoãn cập nhật."));
    report.update->postponedUntil = m_clock.now() + 24 * 3600;
    post(StaffReportLoaded{m_journey->session(), report});
    EXPECT_TRUE(shows("Cập nhật: phiên bản 1.5.0 đã sẵn sàng, hoãn đến"));
    EXPECT_FALSE(enabled("staff:update_later"));
    tap("staff:update_later");
    EXPECT_TRUE(m_journey->takeCommands().empty());  // postponed already

    // Install now: the audit first (the app switches after it is stored), then nothing more to decide.
    tap("staff:update_now");
    EXPECT_EQ(updateSteps(m_journey->takeCommands()),
              (std::vector<std::string>{"update_install_now 1.5.0", "<install now>"}));
    EXPECT_TRUE(shows("Đang chuyển sang phiên bản 1.5.0: kiosk sẽ khởi động lại."));
    EXPECT_FALSE(enabled("staff:update_now"));
    tap("staff:update_now");
    EXPECT_TRUE(m_journey->takeCommands().empty());
}

TEST_F(MaintenanceTest, TheUpdateLineSaysWhatTheAgentDoesAndOffersAChoiceOnlyForAnInstalledRelease) {
    toMaintenance();
    post(StaffReportLoaded{m_journey->session(), StaffReport{}});
    EXPECT_FALSE(shows("Cập nhật"));  // no update agent on this kiosk
    const std::pair<UpdateInfo, std::string> cases[] = {
        {{"", "1.4.0", "", 0}, "Cập nhật: chưa có phiên bản mới"},
        {{"downloading", "1.5.0", "bundle: central unreachable", 0}, "Cập nhật: đang tải phiên bản 1.5.0"},
        {{"refused", "1.5.0", "not_newer: 1.5.0 is not newer than 1.5.0", 0},
         "Cập nhật phiên bản 1.5.0 bị từ chối: not_newer: 1.5.0 is not newer than 1.5.0"},
        {{"failed", "1.4.0", "health gate: no first frame within 300 s", 0},
         "Cập nhật thất bại, đã quay lại phiên bản trước: health gate: no first frame within 300 s"},
        {{"healthy", "1.5.0", "", 0}, "Cập nhật: phiên bản 1.5.0 chạy tốt"},
    };
    for (const auto& [info, text] : cases) {
        StaffReport report;
        report.update = info;
        post(StaffReportLoaded{m_journey->session(), report});
        EXPECT_TRUE(shows(text)) << text;
        EXPECT_FALSE(offers("staff:update_now")) << text;
        EXPECT_FALSE(offers("staff:update_later")) << text;
    }
    StaffReport downloading;
    downloading.update = UpdateInfo{"downloading", "1.5.0", "bundle: central unreachable", 0};
    post(StaffReportLoaded{m_journey->session(), downloading});
    EXPECT_TRUE(shows("bundle: central unreachable"));  // a transient error, as the heartbeat says it
    static_cast<void>(m_journey->takeCommands());
    tap("staff:update_now");
    tap("staff:update_later");
    EXPECT_TRUE(m_journey->takeCommands().empty());
}

TEST_F(MaintenanceTest, PaperChangeShowsThePrinterLiveAndIsDoneOnlyWhenItIsReady) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    tap("staff:paper");
    ASSERT_EQ(screen(), ui::ScreenId::Maintenance);
    EXPECT_TRUE(shows("Mở nắp máy in"));
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), "cover_open"});
    EXPECT_TRUE(shows("Máy in: nắp đang mở"));
    EXPECT_FALSE(enabled("staff:paper_done"));
    // Asked again a second later, without a touch.
    m_clock.advance(kPaperPoll);
    m_journey->tick(now());
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), ""});
    EXPECT_TRUE(shows("Máy in: tốt"));
    ASSERT_TRUE(enabled("staff:paper_done"));
    tap("staff:paper_done");
    auto done = actions();
    ASSERT_EQ(done.size(), 1U);
    EXPECT_EQ(done[0].action, "paper_changed");
    EXPECT_TRUE(offers("staff:test_print"));
}

}  // namespace
}  // namespace kiosk
