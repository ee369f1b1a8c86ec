// The member's own controls at the kiosk (issues 15 and 18): buying a play of a promo game with points
// through the same one-time code a redemption uses, and stopping promotional messages from the History
// screen. The journey on a manual clock, central answered by hand: nothing is shown before central said it.
#include "journey_fixture.hpp"

namespace kiosk::test {
namespace {

GameInfo pricedWheel(std::optional<std::int64_t> price) {
    GameInfo g;
    g.id = "WHEEL1";
    g.name = {"Vòng quay may mắn", "Lucky wheel"};
    g.registrationNumber = "1234/QĐ-BCT";
    g.prizes = {{"P100", "points", {"100 điểm", "100 points"}, 500'000}};
    g.nothingOddsPpm = 500'000;
    g.ticketPricePoints = price;
    return g;
}

class MemberJourney : public JourneyTest {
  protected:
    /// A member with `balance` points at Result, online, whose games central listed (`offer`).
    void toResult(std::int64_t balance, const GameOffer& offer, bool marketing = false) {
        toLookup();
        Member m = member(balance);
        m.marketingConsent = marketing;
        post(MemberLookedUp{m_journey->session(), std::optional<Member>(m)});
        post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
        post(SyncChanged{true, 0});
        post(GamesLoaded{m_journey->session(), offer});
        static_cast<void>(m_journey->takeCommands());
        ASSERT_EQ(screen(), ui::ScreenId::Result);
    }
    static GameOffer offerOf(const GameInfo& game, std::int64_t tickets) {
        GameOffer offer;
        offer.games = {game};
        offer.tickets = {{game.id, tickets}};
        return offer;
    }
    const ui::Control* control(const std::string& id) const { return m_journey->view().control(id); }
    /// Result → "Buy a play" → central sends a code → the code typed; the purchase command, unanswered.
    BuyGameTicket buyWithCode(const std::string& code) {
        tap("game:buy");
        auto otp = commands<RequestOtp>();
        EXPECT_EQ(otp.size(), 1U);
        EXPECT_TRUE(otp.empty() || otp[0].rewardId.empty());  // unbound: the purchase names the game
        EXPECT_EQ(screen(), ui::ScreenId::Working);
        post(OtpRequested{m_journey->session(), OtpSent{}});
        EXPECT_EQ(screen(), ui::ScreenId::Otp);
        type(code);
        tap("ok");
        auto buy = commands<BuyGameTicket>();
        EXPECT_EQ(buy.size(), 1U);
        EXPECT_EQ(screen(), ui::ScreenId::Working);
        return buy.empty() ? BuyGameTicket{} : buy[0];
    }
};

TEST_F(MemberJourney, APlayIsBoughtThroughTheOneTimeCodeAndThenPlayed) {
    toResult(800, offerOf(pricedWheel(300), 0));
    ASSERT_NE(control("game:buy"), nullptr);
    EXPECT_EQ(control("game:buy")->label, "Mua lượt chơi — 300 điểm");
    EXPECT_EQ(control("game:play"), nullptr);

    const BuyGameTicket buy = buyWithCode("123456");
    EXPECT_EQ(buy.gameId, "WHEEL1");
    EXPECT_EQ(buy.phone, "0901234567");
    EXPECT_EQ(buy.otp, "123456");
    // The balance shown is central's answer, and the play starts on the game bought.
    post(GameTicketBought{m_journey->session(), TicketPurchase{"WHEEL1", 300, 500, 1}});
    ASSERT_EQ(screen(), ui::ScreenId::Game);
    EXPECT_TRUE(shows("Lượt chơi còn lại: 1"));
    ASSERT_NE(control("flick:720"), nullptr);
    EXPECT_TRUE(control("flick:720")->enabled);
    tap("flick:720");
    ASSERT_EQ(commands<DrawGame>().size(), 1U);
    tap("back");
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows("500"));
}

TEST_F(MemberJourney, ARefusedPurchaseIsWordedFromCentralsCodeAndSpendsNothingShown) {
    toResult(800, offerOf(pricedWheel(300), 0));
    buyWithCode("111111");
    post(GameTicketBought{m_journey->session(),
                          std::unexpected(CentralError{"game_insufficient_points", true, "short"})});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows("không đủ điểm"));
    EXPECT_TRUE(shows("800"));
    // A wrong code goes back to the code, as for a reward; Back there returns to Result, not Rewards.
    buyWithCode("222222");
    post(GameTicketBought{m_journey->session(), std::unexpected(CentralError{"otp_invalid", true, "wrong"})});
    ASSERT_EQ(screen(), ui::ScreenId::Otp);
    EXPECT_TRUE(shows("Mã xác nhận không đúng"));
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    // Central unreachable: said plainly, in English too.
    buyWithCode("333333");
    post(GameTicketBought{m_journey->session(), std::unexpected(CentralError{"", false, "timeout"})});
    ASSERT_EQ(screen(), ui::ScreenId::Result);
    tap("lang");
    EXPECT_TRUE(shows("cannot reach the service. No points were spent."));
    // The code could not be sent: back on Result, nothing asked of central.
    tap("game:buy");
    post(OtpRequested{m_journey->session(), std::unexpected(CentralError{"notifier_unavailable", true, ""})});
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows("The code could not be sent"));
    EXPECT_TRUE(commands<BuyGameTicket>().empty());
}

TEST_F(MemberJourney, APlayIsOfferedForSaleOnlyWhenItCanBeBought) {
    // A ticket held: Play, not Buy.
    toResult(800, offerOf(pricedWheel(300), 1));
    EXPECT_NE(control("game:play"), nullptr);
    EXPECT_EQ(control("game:buy"), nullptr);
    tap("done");
    // Too few points, or a game that sells no plays: no Buy either.
    toLookup("0901234567", "0002");
    Member poor = member(200);
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(poor)});
    post(ClaimQueued{m_journey->session(), std::string("key-2"), 25});
    post(SyncChanged{true, 0});
    post(GamesLoaded{m_journey->session(), offerOf(pricedWheel(300), 0)});
    EXPECT_EQ(control("game:buy"), nullptr);
    post(GamesLoaded{m_journey->session(), offerOf(pricedWheel(std::nullopt), 0)});
    EXPECT_EQ(control("game:buy"), nullptr);
    // Offline: not offered (a purchase needs central), and a stray touch asks nothing.
    post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
    post(GamesLoaded{m_journey->session(), offerOf(pricedWheel(300), 0)});
    ASSERT_NE(control("game:buy"), nullptr);
    post(SyncChanged{false, 0});
    EXPECT_EQ(control("game:buy"), nullptr);
    tap("game:buy");
    EXPECT_TRUE(commands<RequestOtp>().empty());
}

TEST_F(MemberJourney, StoppingPromotionsIsConfirmedAndShownOnlyOnceCentralAnswered) {
    toResult(800, offerOf(pricedWheel(300), 0), true);
    tap("history");
    ASSERT_NE(control("promotions:stop"), nullptr);
    EXPECT_EQ(control("promotions:stop")->label, "Ngừng nhận khuyến mãi");
    tap("promotions:stop");
    ASSERT_EQ(screen(), ui::ScreenId::OptOut);
    EXPECT_TRUE(shows("không nhận tin nhắn khuyến mãi"));  // what stops
    EXPECT_TRUE(shows("vẫn nhận tin nhắn về giao dịch"));  // what stays
    EXPECT_TRUE(commands<WithdrawConsent>().empty());      // nothing before the shopper confirms
    tap("promotions:stop_confirm");
    auto withdraw = commands<WithdrawConsent>();
    ASSERT_EQ(withdraw.size(), 1U);
    EXPECT_EQ(withdraw[0].phone, "0901234567");
    EXPECT_EQ(screen(), ui::ScreenId::Working);
    EXPECT_FALSE(shows("Đã xong"));
    post(ConsentWithdrawn{m_journey->session(), {}});
    ASSERT_EQ(screen(), ui::ScreenId::OptOut);
    EXPECT_TRUE(shows("Đã xong"));
    EXPECT_EQ(control("promotions:stop_confirm"), nullptr);
    tap("back");
    ASSERT_EQ(screen(), ui::ScreenId::History);
    EXPECT_EQ(control("promotions:stop"), nullptr);
}

TEST_F(MemberJourney, AFailedOptOutSaysNothingChangedAndNeverPretends) {
    toResult(800, offerOf(pricedWheel(300), 0), true);
    tap("history");
    tap("promotions:stop");
    tap("lang");
    tap("promotions:stop_confirm");
    post(ConsentWithdrawn{m_journey->session(), std::unexpected(CentralError{"", false, "timeout"})});
    ASSERT_EQ(screen(), ui::ScreenId::OptOut);
    EXPECT_TRUE(shows("It could not be done now"));
    EXPECT_FALSE(shows("Done:"));
    ASSERT_NE(control("promotions:stop_confirm"), nullptr);
    EXPECT_EQ(control("promotions:stop_confirm")->label, "Try again");
    tap("back");
    ASSERT_NE(control("promotions:stop"), nullptr);  // still consenting: central did not say otherwise
    // Offline: the control is there but cannot be touched, and says why.
    post(SyncChanged{false, 0});
    EXPECT_FALSE(control("promotions:stop")->enabled);
    EXPECT_FALSE(control("promotions:stop")->detail.empty());
    tap("promotions:stop");
    EXPECT_EQ(screen(), ui::ScreenId::History);
}

TEST_F(MemberJourney, AMemberWithoutMarketingConsentIsNotOfferedTheOptOut) {
    toResult(800, offerOf(pricedWheel(300), 0), false);
    tap("history");
    EXPECT_EQ(control("promotions:stop"), nullptr);
    tap("promotions:stop");
    EXPECT_EQ(screen(), ui::ScreenId::History);
}

}  // namespace
}  // namespace kiosk::test
