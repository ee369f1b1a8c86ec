// Staff mode of the journey: the hidden gesture, the PIN, the maintenance screen.
#include "journey_fixture.hpp"

namespace kiosk {
namespace {

using namespace kiosk::test;

class StaffTest : public JourneyTest {
  protected:
    void corner(int taps) {
        for (int i = 0; i < taps; ++i) {
            tap("staff");
            m_clock.advance(300ms);
        }
    }
    void toMaintenance() {
        corner(kStaffTaps);
        ASSERT_EQ(screen(), ui::ScreenId::StaffPin);
        type("2468");
        tap("ok");
        ASSERT_EQ(screen(), ui::ScreenId::Maintenance);
    }
    static StaffReport report() {
        StaffReport r;
        r.outboxDepth = 3;
        r.refusals.push_back({7, "HCM001/0042", "0901234567", 25, "already_claimed", 1'795'417'000});
        Voucher voucher;
        voucher.code = "V-ABC";
        voucher.qrPayload = "LV1.V-ABC.sig";
        voucher.title = {"Phiếu 50.000 ₫", "50,000 ₫ voucher"};
        voucher.valueDong = 50'000;
        voucher.issuedAt = 1'795'417'000;
        voucher.expiresAt = 1'798'009'000;
        voucher.terms = {"Dùng một lần.", "Single use."};
        r.vouchers.push_back({voucher, false});
        return r;
    }
};

TEST_F(StaffTest, FiveQuickTapsOnTheHiddenCornerThenThePinOpenMaintenance) {
    const ui::Control* corner = m_journey->view().control("staff");
    ASSERT_NE(corner, nullptr);
    EXPECT_EQ(corner->kind, ui::Control::Kind::Hidden);
    EXPECT_TRUE(corner->label.empty());
    this->corner(kStaffTaps - 1);
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    this->corner(1);
    ASSERT_EQ(screen(), ui::ScreenId::StaffPin);
    type("2468");
    EXPECT_EQ(m_journey->view().entry, "****");  // the PIN is never on screen
    tap("ok");
    ASSERT_EQ(screen(), ui::ScreenId::Maintenance);
    bool askedReport = false;
    bool askedPrinter = false;
    for (auto& c : m_journey->takeCommands()) {
        askedReport = askedReport || std::holds_alternative<LoadStaffReport>(c);
        askedPrinter = askedPrinter || std::holds_alternative<CheckPrinter>(c);
    }
    EXPECT_TRUE(askedReport);
    EXPECT_TRUE(askedPrinter);
    EXPECT_TRUE(shows("đang kiểm tra"));
}

TEST_F(StaffTest, SlowTapsOrNoConfiguredPinNeverOpenStaffMode) {
    for (int i = 0; i < 2 * kStaffTaps; ++i) {
        tap("staff");
        m_clock.advance(kStaffTapWindow / 2);
    }
    EXPECT_EQ(screen(), ui::ScreenId::Attract);

    JourneyConfig config;
    Journey noStaff(std::move(config), strings("vi"), strings("en"));
    EXPECT_EQ(noStaff.view().control("staff"), nullptr);
    for (int i = 0; i < kStaffTaps; ++i) {
        noStaff.onIntent({"staff"}, now());
    }
    EXPECT_EQ(noStaff.view().screen, ui::ScreenId::Attract);
}

TEST_F(StaffTest, AWrongPinIsRefusedAndThreeSendTheKioskBackToAttract) {
    corner(kStaffTaps);
    type("1357");
    tap("ok");
    EXPECT_EQ(screen(), ui::ScreenId::StaffPin);
    EXPECT_TRUE(shows("Mã PIN không đúng"));
    EXPECT_EQ(m_journey->view().entry, "");
    EXPECT_TRUE(commands<LoadStaffReport>().empty());
    type("24680");  // a longer number is not the PIN either
    tap("ok");
    EXPECT_EQ(screen(), ui::ScreenId::StaffPin);
    type("0000");
    tap("ok");
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    // The gesture is locked for a while: no guessing three PINs a minute.
    m_clock.advance(kStaffLockout - 10s);
    corner(kStaffTaps);
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    m_clock.advance(10s);
    // Then a new gesture starts over with three tries.
    toMaintenance();
}

TEST_F(StaffTest, ShowsHealthRefusalsAndVouchersAndAcknowledges) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    post(SyncChanged{true, 3});
    post(StaffReportLoaded{m_journey->session(), report()});
    post(PrinterChecked{m_journey->session(), "paper_out"});
    EXPECT_TRUE(shows("Camera: tốt"));
    EXPECT_TRUE(shows("Máy in: hết giấy"));
    EXPECT_TRUE(shows("3 hóa đơn chờ gửi"));
    EXPECT_TRUE(shows("HCM001/0042"));
    EXPECT_TRUE(shows("đã được tích điểm"));  // the refusal's reason, worded for the screen
    EXPECT_FALSE(shows("0901234567"));
    EXPECT_TRUE(shows("V-ABC"));
    EXPECT_TRUE(shows("CHƯA IN"));
    tap("ack:7");
    auto acks = commands<AcknowledgeRefusal>();
    ASSERT_EQ(acks.size(), 1U);
    EXPECT_EQ(acks[0].refusalId, 7);
    // The printer out of paper: a reprint is refused before any job starts.
    tap("reprint:V-ABC");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), "paper_out"});
    EXPECT_TRUE(commands<PrintVoucher>().empty());
    EXPECT_TRUE(shows("Không in lại được phiếu V-ABC: hết giấy"));
}

/// Issue 17: central's refusal text is English and for logs; the maintenance screen words the code in
/// the kiosk's language, and generically when it has no words for it.
TEST_F(StaffTest, RefusalReasonsAreInTheScreensLanguage) {
    toMaintenance();
    StaffReport r = report();
    r.refusals = {{8, "HCM001/0043", "0901234567", 25, "receipt_too_old", 1'795'417'000},
                  {9, "HCM001/0044", "0901234567", 25, "brand_new_code", 1'795'417'000}};
    post(StaffReportLoaded{m_journey->session(), r});
    EXPECT_TRUE(shows("Hóa đơn đã quá hạn tích điểm."));
    EXPECT_TRUE(shows("Vui lòng hỏi nhân viên"));
    EXPECT_FALSE(shows("brand_new_code"));
    tap("lang");
    EXPECT_TRUE(shows("This receipt is too old to earn points."));
}

TEST_F(StaffTest, SyncHealthSaysWhenTheKioskIsNotEnrolled) {
    toMaintenance();
    post(SyncChanged{false, 2, Enrollment::Pending});
    EXPECT_TRUE(shows("Đồng bộ: chưa đăng ký với máy chủ (đang thử lại)"));
    post(SyncChanged{true, 2, Enrollment::Refused});
    EXPECT_TRUE(shows("mã đăng ký bị từ chối"));
    post(SyncChanged{true, 0, Enrollment::Enrolled});
    EXPECT_TRUE(shows("Đồng bộ: đã kết nối"));
}

TEST_F(StaffTest, ReprintChecksThePrinterThenPrintsTheSameVoucher) {
    toMaintenance();
    static_cast<void>(m_journey->takeCommands());
    post(StaffReportLoaded{m_journey->session(), report()});
    // Until the printer answered, no reprint can start.
    EXPECT_FALSE(m_journey->view().control("reprint:V-ABC")->enabled);
    post(PrinterChecked{m_journey->session(), ""});
    ASSERT_TRUE(m_journey->view().control("reprint:V-ABC")->enabled);
    tap("reprint:V-ABC");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    EXPECT_FALSE(m_journey->view().control("reprint:V-ABC")->enabled);
    post(PrinterChecked{m_journey->session(), ""});
    auto prints = commands<PrintVoucher>();
    ASSERT_EQ(prints.size(), 1U);
    const hal::VoucherTicket ticket = tickets().voucher(prints[0].slip);
    EXPECT_EQ(ticket.code, "V-ABC");
    EXPECT_EQ(ticket.qrPayload, "LV1.V-ABC.sig");
    EXPECT_EQ(ticket.title, "Phiếu 50.000 ₫");
    EXPECT_TRUE(ticket.memberLine.empty());  // the kiosk keeps nothing of the member
    post(Printed{m_journey->session(), ""});
    EXPECT_TRUE(shows("Đã in lại phiếu V-ABC"));
    EXPECT_EQ(commands<LoadStaffReport>().size(), 1U);  // the printed flag is read again
}

TEST_F(StaffTest, IdleTimeoutWipesMaintenanceAndIgnoresLateAnswers) {
    toMaintenance();
    post(StaffReportLoaded{m_journey->session(), report()});
    const auto session = m_journey->session();
    m_clock.advance(46s);
    m_journey->tick(now());
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    EXPECT_NE(m_journey->session(), session);
    EXPECT_FALSE(shows("HCM001/0042"));
    post(StaffReportLoaded{session, report()});
    post(PrinterChecked{session, ""});
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    // Leaving wipes too, and a fresh gesture needs the PIN again.
    toMaintenance();
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    corner(kStaffTaps);
    EXPECT_EQ(screen(), ui::ScreenId::StaffPin);
}

TEST_F(StaffTest, TheStaffPinScreenTimesOutLikeAnyOther) {
    corner(kStaffTaps);
    type("24");
    m_clock.advance(46s);
    m_journey->tick(now());
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    corner(kStaffTaps);
    EXPECT_EQ(m_journey->view().entry, "");
}

}  // namespace
}  // namespace kiosk
