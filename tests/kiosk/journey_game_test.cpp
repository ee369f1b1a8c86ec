// The promo game step (kiosk/src/journey/game.cpp) on the journey, with a manual clock: Play appears
// for a member with a ticket, the game screen shows the Decree 81 fields, the wheel spins only once
// central answered and decelerates onto central's sector, the scratch card reveals central's prize at
// ~60 % or on "reveal all" and prints its voucher, offline or refused says so without moving, and a
// draw never displayed is shown the next time.
#include <cmath>

#include "journey_fixture.hpp"

namespace kiosk::test {
namespace {

GameInfo wheelGame() {
    GameInfo g;
    g.id = "WHEEL1";
    g.wheel = true;
    g.name = {"Vòng quay may mắn", "Lucky wheel"};
    g.registrationNumber = "1234/QĐ-BCT";
    g.prizeStructure = {"Giải nhất: 100 điểm", "First prize: 100 points"};
    g.prizes = {{"P10", "points", {"10 điểm", "10 points"}, 300'000},
                {"P100", "points", {"100 điểm", "100 points"}, 125'000}};
    g.nothingOddsPpm = 575'000;
    return g;
}

GameInfo scratchGame() {
    GameInfo g = wheelGame();
    g.id = "CARD1";
    g.wheel = false;
    g.name = {"Thẻ cào", "Scratch card"};
    g.prizes = {{"BEAR", "gift", {"Gấu bông", "Teddy bear"}, 1'000'000}};
    g.nothingOddsPpm = 0;
    return g;
}

GameDrawInfo drawOf(const std::string& game, const std::string& prize, std::int64_t balance) {
    GameDrawInfo d;
    d.key = "draw-key-1";
    d.gameId = game;
    d.prizeId = prize;
    d.kind = prize.empty() ? "nothing" : "points";
    d.prizeName = {"100 điểm", "100 points"};
    d.points = prize.empty() ? 0 : 100;
    d.balance = balance;
    return d;
}

class GameJourney : public JourneyTest {
  protected:
    /// A member at Result whose games central listed (`offer`), online.
    void toResult(const GameOffer& offer) {
        toLookup();
        post(MemberLookedUp{m_journey->session(), std::optional<Member>(member(800))});
        auto load = commands<LoadGames>();
        ASSERT_EQ(load.size(), 1U);
        EXPECT_EQ(load[0].phone, "0901234567");
        post(ClaimQueued{m_journey->session(), std::string("key-1"), 25});
        post(SyncChanged{true, 0});
        post(GamesLoaded{m_journey->session(), offer});
        ASSERT_EQ(screen(), ui::ScreenId::Result);
    }
    GameOffer offerOf(const GameInfo& game, std::int64_t tickets) {
        GameOffer offer;
        offer.games = {game};
        offer.tickets = {{game.id, tickets}};
        return offer;
    }
    void advance(std::chrono::milliseconds step) {
        m_clock.advance(step);
        m_journey->tick(now());
    }
    float angle() const { return m_journey->view().game->angle; }
};

/// The sector under the pointer (at the top) for a wheel of sectors `widths` (degrees) turned by `angle`.
std::size_t sectorUnderPointer(float angle, const std::vector<float>& widths) {
    double at = std::fmod(std::fmod(-static_cast<double>(angle), 360.0) + 360.0, 360.0);
    for (std::size_t i = 0; i < widths.size(); ++i) {
        const auto width = static_cast<double>(widths[i]);
        if (at < width) {
            return i;
        }
        at -= width;
    }
    return widths.size();
}

TEST_F(GameJourney, TheWheelSpinsOnlyOnCentralsAnswerAndDeceleratesOntoItsSector) {
    toResult(offerOf(wheelGame(), 2));
    ASSERT_NE(m_journey->view().control("game:play"), nullptr);
    tap("game:play");
    ASSERT_EQ(screen(), ui::ScreenId::Game);
    EXPECT_TRUE(shows("1234/QĐ-BCT"));
    EXPECT_TRUE(shows("Giải nhất: 100 điểm"));
    EXPECT_TRUE(shows("10 điểm: 30 %"));
    EXPECT_TRUE(shows("100 điểm: 12,5 %"));
    EXPECT_TRUE(shows("Chúc may mắn lần sau: 57,5 %"));
    ASSERT_TRUE(m_journey->view().game.has_value());
    EXPECT_EQ(m_journey->view().game->sectors.size(), 3U);
    // Sectors by the odds (30 %, 12.5 %, 57.5 % of the turn), a 0 % "nothing" only at its minimum.
    const auto& widths = m_journey->view().game->sectorDegrees;
    ASSERT_EQ(widths.size(), 3U);
    EXPECT_NEAR(widths[0], 108.0F, 0.01F);
    EXPECT_NEAR(widths[1], 45.0F, 0.01F);
    EXPECT_NEAR(widths[2], 207.0F, 0.01F);

    tap("flick:1500");
    auto draws = commands<DrawGame>();
    ASSERT_EQ(draws.size(), 1U);
    EXPECT_EQ(draws[0].gameId, "WHEEL1");
    // Waiting for central: the wheel does not move, nothing is guessed.
    advance(500ms);
    EXPECT_EQ(angle(), 0.0F);
    // Only the wait's spinner turns (issue 17: any network wait), at its own slower rate.
    ASSERT_TRUE(m_journey->view().spinner.has_value());
    EXPECT_EQ(*m_journey->nextWake(now()) - now().mono, kSpinnerFrame);

    post(GameDrawn{m_journey->session(), drawOf("WHEEL1", "P100", 900)});
    EXPECT_FALSE(shows("100 điểm!"));  // not before the wheel stopped
    std::vector<double> travelled;
    double previous = 0;
    for (int frame = 0; frame < 20; ++frame) {
        ASSERT_EQ(*m_journey->nextWake(now()) - now().mono, 16ms) << "frame " << frame;
        advance(100ms);
        const auto a = static_cast<double>(angle());
        travelled.push_back(std::fmod(a - previous + 720.0, 360.0));
        previous = a;
    }
    // Believable: each 100 ms turns less than the one before (constant deceleration), never backwards.
    for (std::size_t i = 1; i < 10; ++i) {
        EXPECT_LT(travelled[i], travelled[i - 1] + 0.01) << i;
    }
    EXPECT_NEAR(travelled[0], 1500 * 0.1, 15.0);
    for (int i = 0; i < 100 && m_journey->view().screen == ui::ScreenId::Game && !shows("100 điểm!"); ++i) {
        advance(100ms);
    }
    EXPECT_TRUE(shows("Bạn trúng: 100 điểm!"));
    EXPECT_EQ(sectorUnderPointer(angle(), m_journey->view().game->sectorDegrees), 1U);  // P100's sector
    EXPECT_TRUE(m_journey->view().game->celebrate);
    EXPECT_TRUE(shows("900"));
    auto shown = commands<MarkDrawShown>();
    ASSERT_EQ(shown.size(), 1U);
    EXPECT_EQ(shown[0].key, "draw-key-1");
    EXPECT_FALSE(m_journey->nextWake(now()).has_value() && *m_journey->nextWake(now()) - now().mono <= 16ms);
    // One ticket left: play again; leaving is always possible.
    ASSERT_NE(m_journey->view().control("game:play"), nullptr);
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Result);
    EXPECT_TRUE(shows("900"));
}

TEST_F(GameJourney, CentralUnreachableOrRefusingSaysSoAndNothingSpins) {
    toResult(offerOf(wheelGame(), 1));
    tap("game:play");
    tap("flick:720");
    ASSERT_EQ(commands<DrawGame>().size(), 1U);
    post(GameDrawn{m_journey->session(), std::unexpected(CentralError{"", false, "timeout"})});
    EXPECT_TRUE(shows("không khả dụng"));
    EXPECT_EQ(angle(), 0.0F);
    EXPECT_FALSE(m_journey->view().control("flick:720")->enabled);
    EXPECT_TRUE(commands<MarkDrawShown>().empty());
    tap("lang");
    EXPECT_TRUE(shows("unavailable"));
    tap("back");
    EXPECT_EQ(screen(), ui::ScreenId::Result);

    // Refused: central's code worded.
    tap("game:play");
    tap("flick:720");
    post(GameDrawn{m_journey->session(), std::unexpected(CentralError{"game_daily_limit", true, "limit"})});
    EXPECT_TRUE(shows("Come back tomorrow"));

    // Offline: Play is there but cannot be touched.
    tap("back");
    post(SyncChanged{false, 0});
    ASSERT_NE(m_journey->view().control("game:play"), nullptr);
    EXPECT_FALSE(m_journey->view().control("game:play")->enabled);
}

TEST_F(GameJourney, TheScratchCardRevealsCentralsPrizeAtSixtyPercentAndPrintsItsVoucher) {
    toResult(offerOf(scratchGame(), 1));
    tap("game:play");
    ASSERT_EQ(screen(), ui::ScreenId::Game);
    EXPECT_EQ(m_journey->view().game->hidden, "?");
    tap("scratch:0");
    // A game that can give a voucher asks the printer before a ticket is spent.
    ASSERT_EQ(commands<CheckPrinter>().size(), 1U);
    EXPECT_TRUE(commands<DrawGame>().empty());
    tap("scratch:1");  // the finger goes on while the printer answers
    post(PrinterChecked{m_journey->session(), ""});
    ASSERT_EQ(commands<DrawGame>().size(), 1U);
    GameDrawInfo drawn = drawOf("CARD1", "BEAR", 800);
    drawn.kind = "gift";
    drawn.prizeName = {"Gấu bông", "Teddy bear"};
    drawn.voucher = Voucher{"G-BEAR-1", "payload", {"Gấu bông", "Teddy bear"}, 0, 0, 0, {}};
    post(GameDrawn{m_journey->session(), drawn});
    EXPECT_EQ(m_journey->view().game->hidden, "Gấu bông");
    for (int cell = 2; cell < 23; ++cell) {
        tap("scratch:" + std::to_string(cell));
    }
    EXPECT_FALSE(shows("Bạn trúng"));
    EXPECT_TRUE(commands<PrintVoucher>().empty());
    tap("scratch:23");  // 24 of 40 cells
    EXPECT_TRUE(shows("Bạn trúng: Gấu bông!"));
    std::vector<PrintVoucher> print;
    std::vector<MarkDrawShown> shown;
    for (auto& c : m_journey->takeCommands()) {
        if (auto* p = std::get_if<PrintVoucher>(&c)) {
            print.push_back(*p);
        } else if (auto* m = std::get_if<MarkDrawShown>(&c)) {
            shown.push_back(*m);
        }
    }
    ASSERT_EQ(print.size(), 1U);
    EXPECT_EQ(print[0].slip.voucher.code, "G-BEAR-1");
    EXPECT_EQ(print[0].slip.memberPhone, "090****567");
    ASSERT_EQ(shown.size(), 1U);
    EXPECT_EQ(shown[0].key, "draw-key-1");
    post(Printed{m_journey->session(), ""});
    EXPECT_TRUE(shows("máy in"));
}

TEST_F(GameJourney, RevealAllAndAPrinterProblemBeforeAnyTicketIsSpent) {
    toResult(offerOf(scratchGame(), 1));
    tap("game:play");
    tap("game:reveal");
    post(PrinterChecked{m_journey->session(), "paper_out"});
    EXPECT_TRUE(commands<DrawGame>().empty());
    tap("game:reveal");
    post(PrinterChecked{m_journey->session(), ""});
    ASSERT_EQ(commands<DrawGame>().size(), 1U);
    post(GameDrawn{m_journey->session(), drawOf("CARD1", "", 800)});
    EXPECT_TRUE(shows("Lần này chưa trúng giải"));
    EXPECT_FALSE(m_journey->view().game->celebrate);
    EXPECT_EQ(commands<MarkDrawShown>().size(), 1U);
}

TEST_F(GameJourney, ADrawNeverDisplayedIsShownTheNextTime) {
    GameOffer offer = offerOf(wheelGame(), 0);
    offer.undisplayed = {drawOf("WHEEL1", "P100", 900)};
    toResult(offer);
    ASSERT_NE(m_journey->view().control("game:play"), nullptr);
    EXPECT_EQ(m_journey->view().control("game:play")->label, "Xem giải thưởng của bạn");
    tap("game:play");
    EXPECT_TRUE(shows("lượt chơi trước"));
    EXPECT_TRUE(shows("Bạn trúng: 100 điểm!"));
    EXPECT_EQ(sectorUnderPointer(angle(), m_journey->view().game->sectorDegrees), 1U);
    const auto sent = m_journey->takeCommands();
    EXPECT_EQ(std::count_if(sent.begin(), sent.end(),
                            [](const Command& c) { return std::holds_alternative<DrawGame>(c); }),
              0);
    EXPECT_EQ(std::count_if(sent.begin(), sent.end(),
                            [](const Command& c) { return std::holds_alternative<MarkDrawShown>(c); }),
              1);
}

}  // namespace
}  // namespace kiosk::test
