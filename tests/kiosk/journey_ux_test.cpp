// Issue 17: the journey never tells a shopper something false and never strands them. Each test here
// failed before its fix.
#include "journey_fixture.hpp"
#include "read_file.hpp"

namespace kiosk {
namespace {

using namespace kiosk::test;

using test_support::readSourceFile;

class JourneyUxTest : public JourneyTest {
  protected:
    /// A returning member whose claim is queued as "key-1"; the Result screen waits for central.
    void toQueuedClaim(const Member& m) {
        toLookup();
        post(MemberLookedUp{m_journey->session(), std::optional<Member>(m)});
        post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
        ASSERT_EQ(screen(), ui::ScreenId::Result);
    }
    bool offers(const std::string& id) const { return m_journey->view().control(id) != nullptr; }
    bool enabled(const std::string& id) const {
        const ui::Control* c = m_journey->view().control(id);
        return c != nullptr && c->enabled;
    }
};

TEST_F(JourneyUxTest, TheTierCardSaysWhatCentralsCampaignAndTierRulesSayAndNothingElse) {
    Member gold = member(1500);
    gold.tier = "gold";
    gold.nextTier = "diamond";
    toQueuedClaim(gold);
    // Before central's config: the tier and its progress, no promise at all.
    ASSERT_TRUE(m_journey->view().tier.has_value());
    EXPECT_EQ(m_journey->view().tier->name, "Vàng");
    EXPECT_TRUE(m_journey->view().tier->benefits.empty());
    EXPECT_FALSE(m_journey->view().tier->colour.has_value());
    EXPECT_NE(m_journey->view().tier->progressText.find("Kim Cương"), std::string::npos);

    auto campaign = loyalty::Campaign::fromToml(readSourceFile("assets/config/campaign.toml"));
    ASSERT_TRUE(campaign.has_value()) << campaign.error().message;
    campaign->tierMultiplierPercent = {100, 125, 150};
    m_journey->setCampaign(*campaign, now());
    auto rules = loyalty::TierRules::fromToml(R"([tiers]
window_days = 365
[tiers.silver]
benefits_vi = "Đổi điểm lấy quà"
benefits_en = "Points buy gifts"
[tiers.gold]
threshold = 1000
benefits_vi = "Gửi xe miễn phí"
benefits_en = "Free parking"
colour = 0x7A5C00
[tiers.diamond]
threshold = 5000
benefits_vi = "Quầy riêng"
benefits_en = "Own counter"
)");
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    m_journey->setTierRules(*rules);
    const std::vector<std::string> expected{"Thêm 25% điểm cho mỗi hóa đơn", "Gửi xe miễn phí"};
    EXPECT_EQ(m_journey->view().tier->benefits, expected);
    EXPECT_EQ(m_journey->view().tier->colour, 0x7A5C00U);
    tap("lang");
    const std::vector<std::string> english{"25% extra points on every receipt", "Free parking"};
    EXPECT_EQ(m_journey->view().tier->benefits, english);
    EXPECT_EQ(m_journey->view().tier->name, "Gold");
}

TEST_F(JourneyUxTest, ATierWithoutBonusOrBenefitsShowsNone) {
    toQueuedClaim(member(100));
    auto campaign = loyalty::Campaign::fromToml(readSourceFile("assets/config/campaign.toml"));
    ASSERT_TRUE(campaign.has_value());
    campaign->tierMultiplierPercent = {100, 125, 150};
    m_journey->setCampaign(*campaign, now());
    ASSERT_TRUE(m_journey->view().tier.has_value());
    EXPECT_EQ(m_journey->view().tier->name, "Bạc");
    EXPECT_TRUE(m_journey->view().tier->benefits.empty());
}

TEST_F(JourneyUxTest, CentralsRefusalIsOurWordsUnderARefusalTitleNeverASuccessOne) {
    toQueuedClaim(member(100));
    EXPECT_EQ(m_journey->view().title, "Đã nhận hóa đơn");
    ClaimOutcome refused;
    refused.status = ClaimOutcome::Status::Refused;
    refused.code = "token_expired";
    post(ClaimSettled{"key-1", refused});
    EXPECT_EQ(m_journey->view().title, "Không tích được điểm");
    EXPECT_TRUE(shows("Hóa đơn đã quá hạn tích điểm."));
    EXPECT_FALSE(shows("token_expired"));
    EXPECT_FALSE(shows("đang chờ đồng bộ"));
}

TEST_F(JourneyUxTest, ARefusalCodeWeHaveNoWordsForIsSaidGenerically) {
    toQueuedClaim(member(100));
    ClaimOutcome refused;
    refused.status = ClaimOutcome::Status::Refused;
    refused.code = "something_new";
    post(ClaimSettled{"key-1", refused});
    EXPECT_TRUE(shows("Vui lòng hỏi nhân viên"));
    EXPECT_FALSE(shows("something_new"));
}

TEST_F(JourneyUxTest, HistoryNamesCentralsKindsAndShowsNoReferences) {
    Member m = member(100);
    m.history = {{m_clock.now(), "adjustment", 150},
                 {m_clock.now(), "game_prize", 20},
                 {m_clock.now(), "expiry", -30}};
    toQueuedClaim(m);
    tap("history");
    ASSERT_EQ(screen(), ui::ScreenId::History);
    EXPECT_TRUE(shows("Điều chỉnh  +150"));
    EXPECT_TRUE(shows("Trúng thưởng  +20"));
    EXPECT_TRUE(shows("Hết hạn  -30"));
    EXPECT_FALSE(shows("Khác"));
}

TEST_F(JourneyUxTest, ConsentSaysOfflineOnlyWhenTheSyncStateSaysSo) {
    post(SyncChanged{true, 0});
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::optional<Member>{}});  // central: a new member
    ASSERT_EQ(screen(), ui::ScreenId::Consent);
    EXPECT_FALSE(shows("ngoại tuyến"));
    EXPECT_FALSE(offers("consent:already_member"));  // central said: not a member
}

TEST_F(JourneyUxTest, CentralUnreachableAReturningMemberIsNotAskedToConsentAsIfNew) {
    toLookup();
    post(MemberLookedUp{m_journey->session(), std::unexpected(CentralError{})});
    ASSERT_EQ(screen(), ui::ScreenId::Consent);
    EXPECT_TRUE(shows("ngoại tuyến"));
    static_cast<void>(m_journey->takeCommands());
    tap("consent:already_member");
    auto queued = commands<QueueClaim>();
    ASSERT_EQ(queued.size(), 1U);
    EXPECT_FALSE(queued[0].claim.consentJoin);
    EXPECT_FALSE(queued[0].claim.consentMarketing);
    post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_EQ(m_journey->view().control("print_consent"), nullptr);
    // Online but the lookup failed (a timeout): not called "offline".
    m_journey->wipe();
    post(SyncChanged{true, 0});
    tap("start");
    post(CodeScanned{token("0009", 256'000, m_clock.now() - 60)});
    type("0901234567");
    tap("ok");
    post(MemberLookedUp{m_journey->session(), std::unexpected(CentralError{})});
    ASSERT_EQ(screen(), ui::ScreenId::Consent);
    EXPECT_FALSE(shows("ngoại tuyến"));
    EXPECT_TRUE(shows("chưa kiểm tra được"));
}

TEST_F(JourneyUxTest, AReceiptOlderThanCentralsWindowIsRefusedBeforeThePhoneIsAsked) {
    // The kiosk's own configuration allows ten years; central's campaign says 30 days.
    m_journey = std::make_unique<Journey>(
        [this] {
            JourneyConfig c;
            c.keyring.add("HCM001", m_keys.publicKey());
            c.verifyPolicy.maxAge = std::chrono::days{3650};
            return c;
        }(),
        strings("vi"), strings("en"));
    auto campaign = loyalty::Campaign::fromToml(readSourceFile("assets/config/campaign.toml"));
    ASSERT_TRUE(campaign.has_value());
    campaign->receiptWindowDays = 30;
    m_journey->setCampaign(*campaign, now());
    tap("start");
    post(CodeScanned{token("0002", 50'000, m_clock.now() - 40 * 86'400)});
    EXPECT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_TRUE(shows("quá hạn"));
}

TEST_F(JourneyUxTest, TheSameReceiptTwiceOnOneKioskIsRefusedBeforeThePhoneIsAsked) {
    toQueuedClaim(member(100));
    const std::string again = token("0001", 256'000, m_clock.now() - 3600);  // toLookup's receipt
    tap("done");
    tap("start");
    post(CodeScanned{again});
    EXPECT_EQ(screen(), ui::ScreenId::Scan);
    EXPECT_TRUE(shows("đã được tích điểm"));
    post(CodeScanned{token("0002", 256'000, m_clock.now() - 3600)});
    EXPECT_EQ(screen(), ui::ScreenId::Phone);
}

TEST_F(JourneyUxTest, ARewardNotYetAvailableSendsNoCode) {
    std::vector<Reward> rewards{{"R1", {"Phiếu 50.000 ₫", "50,000 ₫ voucher"}, 500, {}, {}},
                                {"TET", {"Quà Tết", "Tet gift"}, 500, {}, {}}};
    rewards[1].availableFrom = loyalty::addDays(loyalty::localDate(m_clock.now()), 10);
    m_journey->setRewards(rewards);
    toQueuedClaim(member(800));
    post(SyncChanged{true, 0});
    tap("rewards");
    ASSERT_EQ(screen(), ui::ScreenId::Rewards);
    EXPECT_TRUE(enabled("reward:R1"));
    EXPECT_FALSE(enabled("reward:TET"));
    EXPECT_NE(m_journey->view().control("reward:TET")->detail.find("Đổi được từ ngày"), std::string::npos);
    static_cast<void>(m_journey->takeCommands());
    tap("reward:TET");
    EXPECT_TRUE(m_journey->takeCommands().empty());
}

TEST_F(JourneyUxTest, RewardsComeBackOnceStaffRefilledThePaper) {
    toQueuedClaim(member(800));
    post(SyncChanged{true, 0});
    tap("rewards");
    tap("reward:R1");
    post(PrinterChecked{m_journey->session(), "paper_out"});
    ASSERT_EQ(screen(), ui::ScreenId::Rewards);
    EXPECT_FALSE(enabled("reward:R1"));
    static_cast<void>(m_journey->takeCommands());
    tap("printer:check");
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), ""});
    EXPECT_EQ(screen(), ui::ScreenId::Rewards);
    EXPECT_TRUE(enabled("reward:R1"));
    EXPECT_FALSE(shows("hết giấy"));
    EXPECT_FALSE(offers("printer:check"));
}

TEST_F(JourneyUxTest, RewardsComeBackByThemselvesWhenThePaperIsRefilled) {
    toQueuedClaim(member(800));
    post(SyncChanged{true, 0});
    tap("rewards");
    tap("reward:R1");
    post(PrinterChecked{m_journey->session(), "paper_out"});
    ASSERT_EQ(screen(), ui::ScreenId::Rewards);
    ASSERT_FALSE(enabled("reward:R1"));
    static_cast<void>(m_journey->takeCommands());
    // Nobody touches the screen: the journey wakes the loop to ask the printer again.
    const auto wake = m_journey->nextWake(now());
    ASSERT_TRUE(wake.has_value());
    EXPECT_LE(*wake - now().mono, 3s);
    m_clock.advance(3s);
    m_journey->tick(now());
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    EXPECT_EQ(screen(), ui::ScreenId::Rewards);  // asked quietly, no Working screen
    post(PrinterChecked{m_journey->session(), "paper_out"});
    EXPECT_FALSE(enabled("reward:R1"));
    m_clock.advance(3s);
    m_journey->tick(now());
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    post(PrinterChecked{m_journey->session(), ""});
    EXPECT_TRUE(enabled("reward:R1"));
    EXPECT_FALSE(shows("hết giấy"));
    // A working printer is not asked again.
    m_clock.advance(10s);
    m_journey->tick(now());
    EXPECT_TRUE(commands<CheckPrinter>().empty());
}

TEST_F(JourneyUxTest, ANumberWithThe84CountryCodeIsAccepted) {
    tap("start");
    post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
    type("8490123456");
    EXPECT_FALSE(enabled("ok"));  // 84 and 8 digits: one missing
    EXPECT_TRUE(shows("Còn thiếu 1 chữ số"));
    type("7");
    EXPECT_EQ(m_journey->view().entry, "84 901 234 567");
    ASSERT_TRUE(enabled("ok"));
    tap("ok");
    auto lookups = commands<LookupMember>();
    ASSERT_EQ(lookups.size(), 1U);
    EXPECT_EQ(lookups[0].phone, "0901234567");
}

TEST_F(JourneyUxTest, ATooShortNumberSaysWhyOkIsDisabled) {
    tap("start");
    post(CodeScanned{token("0001", 256'000, m_clock.now() - 3600)});
    type("0901");
    EXPECT_FALSE(enabled("ok"));
    EXPECT_TRUE(shows("Còn thiếu 6 chữ số"));
    type("234567");
    EXPECT_FALSE(shows("Còn thiếu"));
}

}  // namespace
}  // namespace kiosk
