// CentralClient's promo-game calls against the REAL central (build/bin/central on 127.0.0.1, SQLite):
// the kiosk's store's games with their legal fields, a member's tickets, a draw that a resend never
// repeats, an undisplayed draw listed first until it is marked displayed, refusals with central's
// codes, and central unreachable as a transient error.

#include <gtest/gtest.h>

#include "central_harness.hpp"
#include "network/games.hpp"
#include "network/idempotency_key.hpp"

namespace {

using central_test::CentralProcess;
using central_test::Json;
using central_test::kAdmin;
using central_test::now;
using namespace std::chrono_literals;

constexpr const char* kPhone = "0903555111";

Json prize(const std::string& id, const std::string& kind, std::int64_t odds, Json extra) {
    Json p{{"id", id},
           {"kind", kind},
           {"name_vi", "Giải " + id},
           {"name_en", "Prize " + id},
           {"odds_ppm", odds}};
    p.update(extra);
    return p;
}

Json game(const std::string& type, Json prizes) {
    return Json{{"type", type},
                {"name_vi", "Vòng quay may mắn"},
                {"name_en", "Lucky wheel"},
                {"starts_at", now() - 3600},
                {"ends_at", now() + 86'400},
                {"stores", {"DEV001"}},
                {"registration_number", "1234/QĐ-BCT"},
                {"prize_structure_vi", "Giải nhất: 100 điểm"},
                {"prize_structure_en", "First prize: 100 points"},
                {"ticket_min_receipt_dong", 200'000},
                {"daily_play_limit", 3},
                {"prizes", std::move(prizes)}};
}

class GamesClient : public ::testing::Test {
  protected:
    void SetUp() override {
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{"", "", ""});
        const auto credential = central_test::enrollDevKiosk(*m_central);
        net::ClientConfig config;
        config.baseUrl = "http://127.0.0.1:" + std::to_string(m_central->port());
        config.kioskId = "K-DEV-01";
        config.credential = credential;
        auto client = net::CentralClient::create(config);
        ASSERT_TRUE(client) << client.error().message;
        m_client = std::make_unique<net::CentralClient>(std::move(*client));
        auto joined = m_central->post(
            "/v1/claims", credential,
            central_test::claimBody(
                central_test::signReceipt(central_test::uniqueNumber(), 100'000, now() - 60), kPhone));
        ASSERT_EQ(joined.status, 200) << joined.body.dump();
    }
    void configure(const std::string& id, const Json& body) const {
        auto r = m_central->put("/v1/admin/games/" + id, kAdmin, body);
        ASSERT_EQ(r.status, 200) << r.body.dump();
    }
    void grant(const std::string& id, int count) const {
        auto r = m_central->post(
            "/v1/admin/games/" + id + "/tickets", kAdmin,
            Json{{"phone", kPhone}, {"idempotency_key", central_test::newKey()}, {"count", count}});
        ASSERT_EQ(r.status, 200) << r.body.dump();
    }

    std::unique_ptr<CentralProcess> m_central;
    std::unique_ptr<net::CentralClient> m_client;
};

TEST_F(GamesClient, ListsTheStoresGamesWithTheirLegalFields) {
    auto none = m_client->games();
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_TRUE(none->games.empty());
    configure("WHEEL1",
              game("wheel", Json::array({prize("P100", "points", 250'000, {{"points", 100}}),
                                         prize("BEAR", "gift", 50'000,
                                               {{"value_dong", 50'000}, {"voucher_validity_days", 7}})})));
    auto listed = m_client->games();
    ASSERT_TRUE(listed) << listed.error().message;
    ASSERT_EQ(listed->games.size(), 1u);
    const auto& g = listed->games.front();
    EXPECT_EQ(g.type, "wheel");
    EXPECT_EQ(g.registrationNumber, "1234/QĐ-BCT");
    EXPECT_EQ(g.prizeStructure.en, "First prize: 100 points");
    EXPECT_EQ(g.nothingOddsPpm, 700'000);
    ASSERT_EQ(g.prizes.size(), 2u);
    EXPECT_EQ(g.prizes[0].points, 100);
    EXPECT_EQ(g.prizes[1].kind, "gift");
    EXPECT_EQ(g.prizes[1].valueDong, 50'000);
    EXPECT_TRUE(listed->serverTime.has_value());
}

TEST_F(GamesClient, ADrawIsNeverRepeatedAndStaysUndisplayedUntilMarked) {
    configure("WHEEL1", game("wheel", Json::array({prize("P100", "points", 1'000'000, {{"points", 100}})})));
    grant("WHEEL1", 2);
    auto before = m_client->memberGames(kPhone);
    ASSERT_TRUE(before) << before.error().message;
    ASSERT_EQ(before->tickets.size(), 1u);
    EXPECT_EQ(before->tickets[0].count, 2);
    EXPECT_TRUE(before->draws.empty());

    const auto key = net::newIdempotencyKey();
    auto first = m_client->draw("WHEEL1", kPhone, key);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->draw.prizeId, "P100");
    EXPECT_EQ(first->draw.points, 100);
    EXPECT_FALSE(first->draw.replayed);
    auto again = m_client->draw("WHEEL1", kPhone, key);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->draw.replayed);
    EXPECT_EQ(again->draw.balance, first->draw.balance);

    auto pending = m_client->memberGames(kPhone);
    ASSERT_TRUE(pending) << pending.error().message;
    ASSERT_EQ(pending->tickets.size(), 1u);
    EXPECT_EQ(pending->tickets[0].count, 1);  // the resend spent no second ticket
    ASSERT_EQ(pending->draws.size(), 1u);
    EXPECT_EQ(pending->draws[0].idempotencyKey, key);
    EXPECT_FALSE(pending->draws[0].displayed);

    ASSERT_TRUE(m_client->markDisplayed(key, kPhone));
    auto shown = m_client->memberGames(kPhone);
    ASSERT_TRUE(shown);
    ASSERT_EQ(shown->draws.size(), 1u);
    EXPECT_TRUE(shown->draws[0].displayed);
}

TEST_F(GamesClient, AGiftDrawCarriesItsSignedVoucher) {
    configure("SCRATCH1",
              game("scratch", Json::array({prize("BEAR", "gift", 1'000'000,
                                                 {{"value_dong", 50'000}, {"voucher_validity_days", 7}})})));
    grant("SCRATCH1", 1);
    auto drawn = m_client->draw("SCRATCH1", kPhone, net::newIdempotencyKey());
    ASSERT_TRUE(drawn) << drawn.error().message;
    EXPECT_EQ(drawn->draw.kind, "gift");
    ASSERT_TRUE(drawn->draw.voucher.has_value());
    EXPECT_FALSE(drawn->draw.voucher->code.empty());
    EXPECT_FALSE(drawn->draw.voucher->qrPayload.empty());
    EXPECT_GT(drawn->draw.voucher->expiresAt, now());
}

TEST_F(GamesClient, RefusalsCarryCentralsCodeAndNothingIsDrawn) {
    configure("WHEEL1", game("wheel", Json::array({prize("P100", "points", 1'000'000, {{"points", 100}})})));
    auto noTicket = m_client->draw("WHEEL1", kPhone, net::newIdempotencyKey());
    ASSERT_FALSE(noTicket);
    EXPECT_EQ(noTicket.error().kind, net::ErrorKind::Refused);
    EXPECT_EQ(noTicket.error().code, "game_no_ticket");
    EXPECT_TRUE(noTicket.error().definitive());

    auto unknown = m_client->draw("NOGAME", kPhone, net::newIdempotencyKey());
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "game_not_available");

    auto badPhone = m_client->draw("WHEEL1", "09/../x", net::newIdempotencyKey());
    ASSERT_FALSE(badPhone);
    EXPECT_EQ(badPhone.error().kind, net::ErrorKind::InvalidRequest);
    auto history = m_client->memberGames(kPhone);
    ASSERT_TRUE(history);
    EXPECT_TRUE(history->draws.empty());

    m_central->stop();
    auto offline = m_client->games();
    ASSERT_FALSE(offline);
    EXPECT_FALSE(offline.error().definitive());
}

}  // namespace
