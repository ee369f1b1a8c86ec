// The journey state machine on its own: a manual clock, real signed receipts, real strings files.
#include "kiosk/journey.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "app/tickets.hpp"
#include "hal/clock.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/signing.hpp"

namespace kiosk {
namespace {

using namespace std::chrono_literals;

const ui::Strings& strings(const char* lang) {
    static const ui::Strings vi = *ui::Strings::load(std::string(KIOSK_SOURCE_DIR) + "/assets/i18n/vi.toml");
    static const ui::Strings en = *ui::Strings::load(std::string(KIOSK_SOURCE_DIR) + "/assets/i18n/en.toml");
    return std::string_view(lang) == "en" ? en : vi;
}

class JourneyTest : public ::testing::Test {
  protected:
    JourneyTest() : m_keys(loyalty::SigningKeyPair::fromSeed(loyalty::KeySeed{7})), m_clock(1'795'417'500) {
        JourneyConfig config;
        config.kioskId = "K1";
        config.keyring.add("HCM001", m_keys.publicKey());
        config.rewards = {{"R1", "Phiếu 50.000 ₫", "50,000 ₫ voucher", 500},
                          {"R2", "Phiếu 200.000 ₫", "200,000 ₫ voucher", 2000}};
        config.estimatePoints = [](const loyalty::Receipt& r) {
            return std::optional<std::int64_t>(r.amount.value / 10'000);
        };
        config.staffPin = "2468";
        m_journey = std::make_unique<Journey>(std::move(config), strings("vi"), strings("en"));
    }

    Now now() const { return {std::chrono::milliseconds{m_clock.monotonicMs()}, m_clock.now()}; }
    void tap(const std::string& id) { m_journey->onIntent({id}, now()); }
    void type(const std::string& digits) {
        for (char d : digits) {
            tap(std::string("key:") + d);
        }
    }
    void post(const Event& e) { m_journey->onEvent(e, now()); }
    std::string token(const std::string& number, std::int64_t amount, loyalty::UnixSeconds issued) const {
        loyalty::Receipt r{"HCM001", number, loyalty::Dong{amount}, issued, 3};
        return *loyalty::encodeReceiptToken(r, m_keys);
    }
    /// The app's wording of the slips the journey asks for (kiosk id "K1", as configured above).
    static const TicketWriter& tickets() {
        static const TicketWriter writer(strings("vi"), strings("en"), "K1");
        return writer;
    }
    ui::ScreenId screen() const { return m_journey->view().screen; }
    bool shows(const std::string& needle) const {
        const auto& v = m_journey->view();
        return std::any_of(v.lines.begin(), v.lines.end(),
                           [&](const ui::TextLine& l) { return l.text.find(needle) != std::string::npos; });
    }
    template <class T>
    std::vector<T> commands() {
        std::vector<T> out;
        for (auto& c : m_journey->takeCommands()) {
            if (auto* t = std::get_if<T>(&c)) {
                out.push_back(*t);
            }
        }
        return out;
    }
    /// Attract -> scan a fresh receipt -> type the phone -> OK; leaves the lookup command unanswered.
    void toLookup(const std::string& phone = "0901234567") {
        tap("start");
        post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
        ASSERT_EQ(screen(), ui::ScreenId::Phone);
        type(phone);
        tap("ok");
        ASSERT_EQ(screen(), ui::ScreenId::Working);
    }
    /// A member with 800 points redeems R1 with the right code; central issues voucher V-ABC123, and the
    /// print command is taken, unanswered.
    void redeemR1();
    Member member(std::int64_t balance) const {
        Member m;
        m.phone = "0901234567";
        m.balance = balance;
        m.tier = "silver";
        m.nextTier = "gold";
        m.progressPermille = 300;
        m.pointsToNextTier = 700;
        return m;
    }

    loyalty::SigningKeyPair m_keys;
    hal::ManualClock m_clock;
    std::unique_ptr<Journey> m_journey;
};

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

    toLookup();
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
    toLookup();
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
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Result);
}

void JourneyTest::redeemR1() {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    post(SyncChanged{true, 0});
    tap("rewards");
    tap("reward:R1");
    post(PrinterChecked{m_journey->session(), ""});
    ASSERT_EQ(commands<RequestOtp>().size(), 1U);
    post(OtpRequested{m_journey->session(), OtpSent{}});
    ASSERT_EQ(screen(), ui::ScreenId::Otp);
    type("123456");
    tap("ok");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), ""});
    auto redeem = commands<Redeem>();
    ASSERT_EQ(redeem.size(), 1U);
    EXPECT_EQ(redeem[0].request.otp, "123456");
    EXPECT_EQ(redeem[0].request.rewardId, "R1");
    Redemption voucher;
    voucher.voucher.code = "V-ABC123";
    voucher.balance = 300;
    post(Redeemed{m_journey->session(), voucher});
    auto print = commands<PrintVoucher>();
    ASSERT_EQ(print.size(), 1U);
    const hal::VoucherTicket ticket = tickets().voucher(print[0].slip);
    EXPECT_EQ(ticket.memberLine, "Khách hàng: 090****567");
    EXPECT_EQ(ticket.code, "V-ABC123");
    EXPECT_EQ(ticket.title, "Phiếu 50.000 ₫");
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

// ---- staff mode ------------------------------------------------------------------------------------

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
        r.refusals.push_back(
            {7, "HCM001/0042", "0901234567", 25, "already_claimed", "claimed at K2", 1'795'417'000});
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
