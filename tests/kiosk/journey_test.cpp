// The journey state machine on its own: a manual clock, real signed receipts, real strings files.
#include "journey_fixture.hpp"

namespace kiosk {
namespace {

using namespace kiosk::test;

TEST_F(JourneyTest, ReturningMemberGoesFromAttractToCreditedPointsInTwelveTouches) {
    int touches = 0;
    auto counted = [&](const std::string& id) {
        ++touches;
        tap(id);
    };
    counted("start");
    post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
    EXPECT_EQ(screen(), ui::ScreenId::Phone);
    for (char d : std::string("0901234567")) {
        counted(std::string("key:") + d);
    }
    EXPECT_EQ(m_journey->view().entry, "090 123 4567");
    counted("ok");
    EXPECT_EQ(touches, 12);
    auto lookups = commands<LookupMember>();
    ASSERT_EQ(lookups.size(), 1U);
    EXPECT_EQ(lookups[0].phone, "0901234567");
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(100))});
    auto queued = commands<QueueClaim>();
    ASSERT_EQ(queued.size(), 1U);
    EXPECT_EQ(queued[0].claim.receiptId, "HCM001/0001");
    EXPECT_FALSE(queued[0].claim.consentJoin);
    EXPECT_EQ(queued[0].claim.provisionalPoints, 25);
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows("đang chờ đồng bộ"));
    ClaimOutcome outcome;
    outcome.status = ClaimOutcome::Status::Accepted;
    outcome.pointsEarned = 25;
    outcome.balance = 125;
    PointsLine line;
    line.kind = "base";
    line.points = 25;
    outcome.breakdown = {line};
    post(ClaimSettled{"key-1", outcome});
    m_clock.advance(2s);  // the count-up (journey_look_test.cpp)
    m_journey->tick(now());
    EXPECT_TRUE(shows("+25 điểm"));
    EXPECT_TRUE(shows("Điểm cơ bản: 25 điểm"));
    EXPECT_TRUE(shows("090****567"));
    ASSERT_TRUE(m_journey->view().tier.has_value());
    EXPECT_EQ(m_journey->view().tier->name, "Bạc");
    EXPECT_FLOAT_EQ(m_journey->view().tier->progress, 0.3F);
}

TEST_F(JourneyTest, NewMemberConsentsToJoiningAndMarketingSeparately) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>()});
    ASSERT_EQ(screen(), ui::ScreenId::Consent);
    const auto* join = m_journey->view().control("consent:join");
    const auto* marketing = m_journey->view().control("consent:marketing");
    ASSERT_NE(join, nullptr);
    ASSERT_NE(marketing, nullptr);
    EXPECT_FALSE(join->checked);
    EXPECT_FALSE(marketing->checked);  // unticked by default
    EXPECT_FALSE(m_journey->view().control("ok")->enabled);
    tap("ok");
    EXPECT_TRUE(commands<QueueClaim>().empty());
    tap("consent:join");
    tap("ok");
    auto queued = commands<QueueClaim>();
    ASSERT_EQ(queued.size(), 1U);
    EXPECT_TRUE(queued[0].claim.consentJoin);
    EXPECT_FALSE(queued[0].claim.consentMarketing);
    EXPECT_FALSE(queued[0].claim.consentTextVersion.empty());
}

TEST_F(JourneyTest, OnlyAShopperWhoConsentedInThisSessionIsOfferedTheConsentReceipt) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(100))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_EQ(m_journey->view().control("print_consent"), nullptr);  // a returning member consented earlier
    tap("print_consent");
    EXPECT_TRUE(commands<CheckPrinter>().empty());
    tap("done");

    toLookup("0901234567", "0002");
    post(MemberLookedUp{m_journey->session(), std::optional<Member>()});
    tap("consent:join");
    tap("ok");
    post(ClaimQueued{m_journey->session(), std::string("key-2"), 25});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    const auto* print = m_journey->view().control("print_consent");
    ASSERT_NE(print, nullptr);
    EXPECT_TRUE(print->enabled);
    EXPECT_FALSE(print->label.empty());
}

TEST_F(JourneyTest, TheConsentReceiptChecksThePrinterThenPrintsWhatTheShopperAgreedTo) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>()});
    tap("consent:join");
    tap("consent:marketing");
    tap("ok");
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    static_cast<void>(m_journey->takeCommands());
    tap("print_consent");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    EXPECT_FALSE(m_journey->view().control("print_consent")->enabled);  // one job at a time
    EXPECT_FALSE(m_journey->view().control("rewards")->enabled);
    post(PrinterChecked{m_journey->session(), "cover_open"});
    EXPECT_TRUE(commands<PrintConsent>().empty());
    EXPECT_TRUE(shows("nắp đang mở"));
    EXPECT_EQ(m_journey->view().lines.back().tone, ui::Tone::Error);

    tap("print_consent");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    EXPECT_FALSE(shows("nắp đang mở"));
    post(PrinterChecked{m_journey->session(), ""});
    auto printed = commands<PrintConsent>();
    ASSERT_EQ(printed.size(), 1U);
    const hal::ConsentTicket t = tickets().consent(printed[0].slip);
    EXPECT_EQ(t.consentText, strings("vi").text("consent.text"));  // word for word what the screen said
    EXPECT_EQ(t.title, strings("vi").text("consent_ticket.title"));
    EXPECT_NE(t.versionLine.find("consent-2026-11"), std::string::npos);
    EXPECT_EQ(t.joinLine, "Tham gia chương trình thành viên: Có");
    EXPECT_EQ(t.marketingLine, "Nhận tin khuyến mãi qua SMS/Zalo: Có");
    EXPECT_EQ(t.memberLine, "Khách hàng: 090****567");
    EXPECT_NE(t.storeLine.find("K1"), std::string::npos);
    EXPECT_NE(t.storeLine.find("/20"), std::string::npos);  // the local date
    EXPECT_TRUE(commands<Redeem>().empty());                // nothing else happens: no points, no central
    post(Printed{m_journey->session(), ""});
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows(strings("vi").text("result.consent_printed")));
    EXPECT_TRUE(m_journey->view().control("print_consent")->enabled);
}

TEST_F(JourneyTest, TheConsentReceiptIsWordedInTheShoppersLanguageAndForgottenOnWipe) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>()});
    tap("consent:join");
    tap("ok");
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    tap("lang");
    static_cast<void>(m_journey->takeCommands());
    tap("print_consent");
    post(PrinterChecked{m_journey->session(), ""});
    auto printed = commands<PrintConsent>();
    ASSERT_EQ(printed.size(), 1U);
    const hal::ConsentTicket ticket = tickets().consent(printed[0].slip);
    EXPECT_EQ(ticket.consentText, strings("en").text("consent.text"));
    EXPECT_EQ(ticket.marketingLine, "Promotions by SMS/Zalo: No");
    post(Printed{m_journey->session(), "paper_out"});
    EXPECT_TRUE(shows("out of paper"));
    const auto oldSession = m_journey->session();
    m_clock.advance(46s);
    m_journey->tick(now());
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    post(Printed{oldSession, ""});  // a late answer of the wiped session
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    // The next shopper, a returning member, is not offered the previous shopper's consent.
    toLookup("0901234567", "0002");
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(100))});
    post(ClaimQueued{m_journey->session(), std::string("key-2"), 25});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_EQ(m_journey->view().control("print_consent"), nullptr);
    EXPECT_FALSE(shows("out of paper"));
}

TEST_F(JourneyTest, RefusedReceiptsShowTheirReason) {
    tap("start");
    post(CodeScanned{token("0002", 50'000, m_clock.now() - 40 * 86'400)});
    EXPECT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_TRUE(shows("quá hạn"));
    std::string forged = token("0003", 50'000, m_clock.now());
    forged[40] = forged[40] == 'A' ? 'B' : 'A';
    post(CodeScanned{forged});
    EXPECT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_FALSE(m_journey->view().lines.back().text.empty());
    EXPECT_EQ(m_journey->view().lines.back().tone, ui::Tone::Error);
    post(CodeScanned{"https://example.com"});
    EXPECT_TRUE(shows("không phải mã QR tích điểm"));
}

TEST_F(JourneyTest, AReceiptNotReadForAWhileGetsATip) {
    tap("start");
    EXPECT_FALSE(shows("vuốt phẳng"));
    ASSERT_TRUE(m_journey->nextWake(now()).has_value());
    EXPECT_EQ(*m_journey->nextWake(now()), now().mono + 8s);
    m_clock.advance(8s);
    m_journey->tick(now());
    EXPECT_TRUE(shows("vuốt phẳng"));
    tap("lang");
    m_journey->tick(now());
    EXPECT_FALSE(shows("Flatten"));
}

TEST_F(JourneyTest, TheScannersAdviceIsShownOnTheScanScreenOnlyInTheShoppersLanguage) {
    post(ScanTipChanged{ScanTip::HoldCloser});
    EXPECT_FALSE(shows("quá nhỏ"));
    tap("start");
    EXPECT_TRUE(shows("quá nhỏ"));
    tap("lang");
    EXPECT_TRUE(shows("hold the receipt closer"));
    post(ScanTipChanged{ScanTip::TiltAwayFromLight});
    EXPECT_FALSE(shows("closer"));
    EXPECT_TRUE(shows("tilt the receipt away"));
    post(ScanTipChanged{ScanTip::None});
    EXPECT_FALSE(shows("tilt"));
    post(ScanTipChanged{ScanTip::FlattenReceipt});
    post(CodeScanned{token("0006", 90'000, m_clock.now())});
    EXPECT_EQ(screen(), ui::ScreenId::Phone);
    EXPECT_FALSE(shows("flatten the receipt"));
}

TEST_F(JourneyTest, OtherCodesOnTheAttractScreenAreIgnored) {
    post(CodeScanned{"https://example.com"});
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    post(CodeScanned{token("0004", 90'000, m_clock.now())});
    EXPECT_EQ(screen(), ui::ScreenId::Phone);
}

TEST_F(JourneyTest, InvalidPhoneNumbersAreExplained) {
    tap("start");
    post(CodeScanned{token("0005", 90'000, m_clock.now())});
    type("0281234567");
    tap("ok");
    EXPECT_EQ(screen(), ui::ScreenId::Phone);
    EXPECT_TRUE(shows("máy bàn"));
    tap("key:del");
    EXPECT_EQ(m_journey->view().entry, "028 123 456");
    EXPECT_FALSE(m_journey->view().control("ok")->enabled);
}

TEST_F(JourneyTest, IdleTimeoutCountsDownThenWipesEverything) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(100))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    const auto oldSession = m_journey->session();
    m_clock.advance(34s);
    m_journey->tick(now());
    EXPECT_FALSE(m_journey->view().countdown.has_value());
    m_clock.advance(2s);
    m_journey->tick(now());
    ASSERT_TRUE(m_journey->view().countdown.has_value());
    EXPECT_NE(m_journey->view().countdown->find("9"), std::string::npos);
    m_clock.advance(9s);
    m_journey->tick(now());
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    EXPECT_NE(m_journey->session(), oldSession);
    for (const auto& line : m_journey->view().lines) {
        EXPECT_EQ(line.text.find("567"), std::string::npos);
    }
    // A late answer for the wiped session changes nothing.
    post(MemberLookedUp{oldSession, std::optional<Member>(member(100))});
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
}

TEST_F(JourneyTest, TouchResetsTheIdleClock) {
    tap("start");
    m_clock.advance(40s);
    tap("lang");
    m_clock.advance(40s);
    m_journey->tick(now());
    EXPECT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_EQ(m_journey->view().language, "en");
    m_clock.advance(6s);
    m_journey->tick(now());
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
    EXPECT_EQ(m_journey->view().language, "vi");  // the next shopper starts in Vietnamese
}

TEST_F(JourneyTest, RedeemChecksThePrinterBeforeAnyCodeOrSpending) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    post(SyncChanged{true, 0});
    tap("rewards");
    ASSERT_EQ(screen(), ui::ScreenId::Rewards);
    EXPECT_TRUE(m_journey->view().control("reward:R1")->enabled);
    EXPECT_FALSE(m_journey->view().control("reward:R2")->enabled);  // cannot afford
    static_cast<void>(m_journey->takeCommands());
    tap("reward:R2");
    EXPECT_TRUE(m_journey->takeCommands().empty());
    tap("reward:R1");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), "paper_out"});
    EXPECT_EQ(screen(), ui::ScreenId::Rewards);
    EXPECT_TRUE(shows("hết giấy"));
    EXPECT_FALSE(m_journey->view().control("reward:R1")->enabled);
    EXPECT_TRUE(commands<RequestOtp>().empty());
}

TEST_F(JourneyTest, RedeemWithCodePrintsAndSaysSoOrSaysTheVoucherIsSafe) {
    redeemR1();
    post(Printed{m_journey->session(), "paper_out"});
    ASSERT_EQ(screen(), ui::ScreenId::Voucher);
    EXPECT_TRUE(shows("V-ABC123"));
    EXPECT_TRUE(shows("in lại"));
    // The screen has just said rewards cannot print: it offers no more of them, only Done.
    EXPECT_EQ(m_journey->view().control("back"), nullptr);
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Voucher);
    ASSERT_NE(m_journey->view().control("done"), nullptr);
    tap("done");
    EXPECT_EQ(screen(), ui::ScreenId::Attract);
}

TEST_F(JourneyTest, AWholeVoucherOffersMoreRewards) {
    redeemR1();
    post(Printed{m_journey->session(), ""});
    ASSERT_EQ(screen(), ui::ScreenId::Voucher);
    EXPECT_TRUE(shows("đã được in"));
    ASSERT_NE(m_journey->view().control("back"), nullptr);
    // "More rewards" lands on the list itself, with the balance after this voucher.
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Rewards);
    EXPECT_TRUE(shows("Số dư: 300 điểm"));
}

TEST_F(JourneyTest, WrongCodeStaysOnTheCodeScreen) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    post(SyncChanged{true, 0});
    tap("rewards");
    tap("reward:R1");
    post(PrinterChecked{m_journey->session(), ""});
    post(OtpRequested{m_journey->session(), OtpSent{}});
    type("000000");
    tap("ok");
    post(PrinterChecked{m_journey->session(), ""});
    CentralError error;
    error.definitive = true;
    error.code = "otp_invalid";
    post(Redeemed{m_journey->session(), std::unexpected(error)});
    EXPECT_EQ(screen(), ui::ScreenId::Otp);
    EXPECT_TRUE(shows("không đúng"));
}

TEST_F(JourneyTest, OfflineClaimShowsPendingAndDuplicateIsRefused) {
    toLookup();
    const CentralError offline;
    post(MemberLookedUp{m_journey->session(), std::unexpected(offline)});
    ASSERT_EQ(screen(), ui::ScreenId::Consent);
    tap("consent:join");
    tap("ok");
    post(ClaimQueued{m_journey->session(), std::unexpected(QueueFailure::Duplicate), 0});
    EXPECT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_TRUE(shows("đã được tích điểm"));
}

/// The sync thread may push a claim (and post central's answer) before the store thread has posted
/// that the claim is queued: the answer must still reach the screen, never "waiting to sync" for a
/// receipt central already refused.
TEST_F(JourneyTest, AClaimAnswerArrivingBeforeItsQueueConfirmationIsShown) {
    toLookup();
    const CentralError offline;
    post(MemberLookedUp{m_journey->session(), std::unexpected(offline)});
    ASSERT_EQ(screen(), ui::ScreenId::Consent);
    tap("consent:join");
    tap("ok");
    ASSERT_EQ(commands<QueueClaim>().size(), 1U);
    ClaimOutcome other;
    other.status = ClaimOutcome::Status::Accepted;
    post(ClaimSettled{"key-of-an-older-claim", other});
    ClaimOutcome refused;
    refused.status = ClaimOutcome::Status::Refused;
    refused.code = "already_claimed";
    post(ClaimSettled{"key-7", refused});
    post(ClaimQueued{m_journey->session(), std::string("key-7"), 25});
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows("đã được tích điểm trước đó"));
    EXPECT_FALSE(shows("đang chờ đồng bộ"));
}

TEST_F(JourneyTest, AttractAdvertisesTheCampaignCentralSent) {
    std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/assets/config/campaign.toml");
    const std::string toml{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto campaign = loyalty::Campaign::fromToml(toml);
    ASSERT_TRUE(campaign.has_value()) << campaign.error().message;
    m_journey->setCampaign(*campaign, now());
    EXPECT_TRUE(shows(campaign->name.vi));
    for (const auto& promotion : campaign->promotions) {
        if (promotion.kind == loyalty::Promotion::Kind::Weekend) {
            EXPECT_TRUE(shows(promotion.label.vi));
        }
    }
}

TEST_F(JourneyTest, EnglishIsOneTapAway) {
    EXPECT_EQ(m_journey->view().title, "Tích điểm thành viên");
    tap("lang");
    EXPECT_EQ(m_journey->view().title, "Member points");
    EXPECT_EQ(m_journey->view().control("lang")->label, "Tiếng Việt");
}
}  // namespace
}  // namespace kiosk
