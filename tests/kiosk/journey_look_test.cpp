// Issue 17, look and feel: the spinner and "still trying…" of a wait, the count-up when points land,
// the large-text and high-contrast switch, hold to clear. All driven by the manual clock, no sleeps;
// each test failed before its change.
#include "journey_fixture.hpp"

namespace kiosk {
namespace {

using namespace kiosk::test;

class JourneyLookTest : public JourneyTest {
  protected:
    void tick(std::chrono::milliseconds by) {
        m_clock.advance(by);
        m_journey->tick(now());
    }
    [[nodiscard]] std::chrono::milliseconds untilWake() const {
        const auto wake = m_journey->nextWake(now());
        return wake ? *wake - now().mono : std::chrono::milliseconds::max();
    }
    static ClaimSettled accepted(std::int64_t points) {
        ClaimOutcome outcome;
        outcome.status = ClaimOutcome::Status::Accepted;
        outcome.pointsEarned = points;
        outcome.balance = 800 + points;
        return {"key-1", outcome};
    }
};

TEST_F(JourneyLookTest, AWaitShowsATurningSpinnerAndSaysStillTryingAfterThreeSeconds) {
    toLookup();
    ASSERT_TRUE(m_journey->view().spinner.has_value());
    EXPECT_FLOAT_EQ(*m_journey->view().spinner, 0.0F);
    EXPECT_EQ(untilWake(), kSpinnerFrame);  // frames only while it turns
    tick(500ms);
    EXPECT_NEAR(*m_journey->view().spinner, 500.0F / 1200.0F, 1e-4);
    tick(2'499ms);
    EXPECT_FALSE(shows("Vẫn đang thử"));
    tick(1ms);
    EXPECT_TRUE(shows("Vẫn đang thử"));
    tap("lang");
    EXPECT_TRUE(shows("Still trying"));
    tap("lang");
    // Central answered: the claim is saved next, a wait of its own that starts its own count.
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    ASSERT_EQ(screen(), ui::ScreenId::Working);
    EXPECT_FALSE(shows("Vẫn đang thử"));
    tick(3s);
    EXPECT_TRUE(shows("Vẫn đang thử"));
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_FALSE(m_journey->view().spinner.has_value());
    EXPECT_GT(untilWake(), 1s);  // nothing turns: the kiosk sleeps until the idle countdown
}

TEST_F(JourneyLookTest, PointsThatLandCountUpWithACelebrationThenStop) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    post(accepted(1'275));
    EXPECT_EQ(m_journey->view().title, "Tích điểm thành công");
    EXPECT_TRUE(shows("+0 điểm"));
    ASSERT_TRUE(m_journey->view().celebration.has_value());
    EXPECT_LT(untilWake(), 20ms);  // animation frames while it runs
    tick(600ms);
    const auto& lines = m_journey->view().lines;
    const auto big = std::find_if(lines.begin(), lines.end(),
                                  [](const ui::TextLine& l) { return l.style == ui::TextLine::Style::Big; });
    ASSERT_NE(big, lines.end());
    EXPECT_NE(big->text, "+0 điểm");
    EXPECT_NE(big->text, "+1.275 điểm");  // on its way
    EXPECT_NEAR(*m_journey->view().celebration, 0.5F, 0.01F);
    tick(600ms);
    EXPECT_TRUE(shows("+1.275 điểm"));
    EXPECT_FALSE(m_journey->view().celebration.has_value());
    EXPECT_GT(untilWake(), 1s);  // still: no more frames
    // A pending or refused claim has nothing to celebrate.
    tap("done");
    toLookup("0901234567", "0002");
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-2"), 25});
    EXPECT_FALSE(m_journey->view().celebration.has_value());
}

TEST_F(JourneyLookTest, PointsThatLandAskForTheChimeOnceAndNothingElseDoes) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    EXPECT_TRUE(commands<PlayChime>().empty()) << "queued is not landed";
    post(accepted(1'275));
    EXPECT_EQ(commands<PlayChime>().size(), 1U);
    tick(1'500ms);
    EXPECT_TRUE(commands<PlayChime>().empty()) << "once per landing, not per frame";
    // A refused claim has nothing to celebrate.
    tap("done");
    toLookup("0901234567", "0002");
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-2"), 25});
    ClaimOutcome refused;
    refused.status = ClaimOutcome::Status::Refused;
    refused.code = "already_claimed";
    post(ClaimSettled{"key-2", refused});
    EXPECT_TRUE(commands<PlayChime>().empty());
}

/// The count-up's last frame drawn before its end is not left on screen: the journey says it is still
/// animating (a screenshot would catch it midway) and asks for one more frame, which shows the figure.
TEST_F(JourneyLookTest, TheSuccessMomentEndsOnItsWholeFigure) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    post(accepted(1'275));
    EXPECT_TRUE(m_journey->animating(now()));
    tick(1'190ms);  // the last frame before the end
    ASSERT_TRUE(m_journey->view().celebration.has_value());
    m_clock.advance(100ms);  // the end passes between two frames
    EXPECT_TRUE(m_journey->animating(now())) << "the view still shows a frame of the count-up";
    EXPECT_LT(untilWake(), 20ms) << "one more frame replaces it";
    m_journey->tick(now());
    EXPECT_TRUE(shows("+1.275 điểm"));
    EXPECT_FALSE(m_journey->animating(now()));
    EXPECT_GT(untilWake(), 1s);
}

TEST_F(JourneyLookTest, AttractSaysAndPointsWhereToHoldTheReceipt) {
    EXPECT_EQ(m_journey->view().cameraAt, "below");
    EXPECT_TRUE(shows("Giữ mã QR dưới màn hình"));
    tap("lang");
    EXPECT_TRUE(shows("Hold the QR code under the screen"));
    tap("start");
    EXPECT_EQ(m_journey->view().cameraAt, "");  // the Scan screen shows the camera picture itself
}

TEST_F(JourneyLookTest, LargeTextAndHighContrastIsOneTouchOnAttractAndLastsTheSession) {
    ASSERT_NE(m_journey->view().control("access"), nullptr);
    EXPECT_FALSE(m_journey->view().accessible);
    EXPECT_EQ(m_journey->view().control("access")->label, "Chữ to, tương phản cao");
    tap("access");
    EXPECT_TRUE(m_journey->view().accessible);
    EXPECT_EQ(m_journey->view().control("access")->label, "Chữ thường");
    tap("start");
    ASSERT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_TRUE(m_journey->view().accessible);
    EXPECT_EQ(m_journey->view().control("access"), nullptr);
    tap("access");  // not offered here: a stale touch changes nothing
    EXPECT_TRUE(m_journey->view().accessible);
    tap("back");  // the session ends: the next shopper gets the standard look
    ASSERT_EQ(screen(), ui::ScreenId::Attract);
    EXPECT_FALSE(m_journey->view().accessible);
}

TEST_F(JourneyLookTest, HoldingDeleteClearsTheWholeNumberAndTheHintSaysSo) {
    tap("start");
    post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
    EXPECT_TRUE(shows("Giữ phím Xóa để xóa hết"));
    type("0901234");
    const ui::Control* del = m_journey->view().control("key:del");
    ASSERT_NE(del, nullptr);
    EXPECT_EQ(del->hold, "key:clear");
    tap("key:del");
    EXPECT_EQ(m_journey->view().entry, "090 123");
    tap("key:clear");
    EXPECT_EQ(m_journey->view().entry, "");
    EXPECT_EQ(screen(), ui::ScreenId::Phone);
}

TEST_F(JourneyLookTest, CallStaffSaysAlertedOnlyWhenCentralHasTheAlert) {
    tap("start");
    ASSERT_NE(m_journey->view().control("call_staff"), nullptr);
    tap("call_staff");
    auto calls = commands<CallStaff>();
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_TRUE(shows("Đang gọi nhân viên"));
    EXPECT_FALSE(shows("Đã báo nhân viên"));
    EXPECT_FALSE(m_journey->view().control("call_staff")->enabled);  // on its way: once is enough
    post(StaffCalled{m_journey->session(), false});
    EXPECT_TRUE(shows("Chưa báo được nhân viên"));
    EXPECT_FALSE(shows("Đã báo nhân viên"));
    ASSERT_TRUE(m_journey->view().control("call_staff")->enabled);  // the shopper may try again
    tap("call_staff");
    ASSERT_EQ(commands<CallStaff>().size(), 1U);
    post(StaffCalled{m_journey->session(), true});
    EXPECT_TRUE(shows("Đã báo nhân viên"));
    // The Phone screen still says it; the next shopper's session does not.
    post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
    ASSERT_EQ(screen(), ui::ScreenId::Phone);
    EXPECT_TRUE(shows("Đã báo nhân viên"));
    tap("back");
    tap("back");
    ASSERT_EQ(screen(), ui::ScreenId::Attract);
    EXPECT_FALSE(shows("nhân viên"));
    // A late answer to the wiped session changes nothing.
    post(StaffCalled{calls[0].session, true});
    EXPECT_FALSE(shows("Đã báo nhân viên"));
}

}  // namespace
}  // namespace kiosk
