// Promo games against the real central over HTTP, on SQLite and PostgreSQL (docs/games.md): hostile
// configurations refused with nothing written, tickets earned in the claim's transaction, idempotent
// draws, a prize voucher consumed once, budgets that hold under 16 threads (and two processes on one
// PostgreSQL) with an audit that sums to what was credited, and odds that pass a chi-square test.
//
// The odds test draws KIOSK_GAME_DRAWS times (default 2000, ≤ 60 s in CI); the full run of docs/games.md:
//   KIOSK_GAME_DRAWS=100000 build/tests/games_test --gtest_filter='*OddsMatch*Sqlite'

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "central_harness.hpp"

namespace central_test {
namespace {

constexpr const char* kStore = "DEV001";

Json prize(const std::string& id, const std::string& kind, std::int64_t odds, Json extra = Json::object()) {
    Json p{{"id", id},
           {"kind", kind},
           {"name_vi", "Giải " + id},
           {"name_en", "Prize " + id},
           {"odds_ppm", odds}};
    p.update(extra);
    return p;
}

Json gameBody(Json prizes, std::int64_t dailyLimit = 5, std::int64_t threshold = 200'000) {
    return Json{{"type", "wheel"},
                {"name_vi", "Vòng quay may mắn"},
                {"name_en", "Lucky wheel"},
                {"starts_at", now() - 3600},
                {"ends_at", now() + 30 * 86'400},
                {"stores", {kStore}},
                {"registration_number", "1234/QĐ-BCT"},
                {"prize_structure_vi", "Giải nhất: 100 điểm"},
                {"prize_structure_en", "First prize: 100 points"},
                {"ticket_min_receipt_dong", threshold},
                {"daily_play_limit", dailyLimit},
                {"prizes", std::move(prizes)}};
}

class CentralGames : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", ""});
        m_kiosk = enrollDevKiosk(*m_central);
    }
    void configure(const std::string& id, const Json& body) const {
        auto r = m_central->put("/v1/admin/games/" + id, kAdmin, body);
        ASSERT_EQ(r.status, 200) << r.body.dump();
    }
    /// A member (joined with a receipt under the ticket threshold) holding `tickets` of `game`.
    void member(const std::string& phone, const std::string& game, int tickets) const {
        auto joined = m_central->post("/v1/claims", m_kiosk,
                                      claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), phone));
        ASSERT_EQ(joined.status, 200) << joined.body.dump();
        auto granted =
            m_central->post("/v1/admin/games/" + game + "/tickets", kAdmin,
                            Json{{"phone", phone}, {"idempotency_key", newKey()}, {"count", tickets}});
        ASSERT_EQ(granted.status, 200) << granted.body.dump();
        ASSERT_EQ(granted.body["added"], tickets);
    }
    Response draw(const std::string& game, const std::string& phone, const std::string& key) const {
        return m_central->post("/v1/games/" + game + "/draws", m_kiosk,
                               Json{{"phone", phone}, {"idempotency_key", key}});
    }
    std::int64_t balance(const std::string& phone) const {
        return m_central->get("/v1/members/" + phone, m_kiosk).body["balance"].get<std::int64_t>();
    }

    std::unique_ptr<CentralProcess> m_central;
    std::string m_kiosk;
};

TEST_P(CentralGames, HostileConfigurationsAreRefusedAndNothingIsWritten) {
    const Json good = gameBody(Json::array({prize("P10", "points", 100'000, {{"points", 10}})}));
    std::vector<std::pair<std::string, Json>> bad;
    const auto with = [&](const std::string& what, const std::function<void(Json&)>& change) {
        Json b = good;
        change(b);
        bad.emplace_back(what, std::move(b));
    };
    with("unknown type", [](Json& b) { b["type"] = "slot"; });
    with("window backwards", [](Json& b) { b["ends_at"] = b["starts_at"].get<std::int64_t>() - 1; });
    with("no stores", [](Json& b) { b["stores"] = Json::array(); });
    with("store not a string", [](Json& b) { b["stores"] = {42}; });
    with("no registration", [](Json& b) { b.erase("registration_number"); });
    with("unknown field", [](Json& b) { b["odds_override"] = true; });
    with("odds over 100 %", [](Json& b) {
        b["prizes"] = {prize("A", "points", 600'000, {{"points", 1}}),
                       prize("B", "points", 500'000, {{"points", 1}})};
    });
    with("zero odds", [](Json& b) { b["prizes"][0]["odds_ppm"] = 0; });
    with("negative points", [](Json& b) { b["prizes"][0]["points"] = -5; });
    with("points on a gift", [](Json& b) {
        b["prizes"] = {
            prize("G", "gift", 1, {{"value_dong", 0}, {"voucher_validity_days", 7}, {"points", 5}})};
    });
    with("negative budget", [](Json& b) { b["prizes"][0]["budget"] = {{"total", -1}}; });
    with("duplicate prize", [](Json& b) { b["prizes"].push_back(b["prizes"][0]); });
    with("lower-case id", [](Json& b) { b["prizes"][0]["id"] = "p10"; });
    with("no prizes", [](Json& b) { b["prizes"] = Json::array(); });
    with("daily limit 0", [](Json& b) { b["daily_play_limit"] = 0; });
    with("string threshold", [](Json& b) { b["ticket_min_receipt_dong"] = "200000"; });
    for (const auto& [what, body] : bad) {
        auto r = m_central->put("/v1/admin/games/WHEEL1", kAdmin, body);
        EXPECT_EQ(r.status, 400) << what << ": " << r.body.dump();
    }
    Json unknownStore = good;
    unknownStore["stores"] = {"NOPE01"};
    EXPECT_EQ(m_central->put("/v1/admin/games/WHEEL1", kAdmin, unknownStore).code(), "store_unknown");
    Json unknownReward = good;
    unknownReward["prizes"] = Json::array({prize("R", "reward", 10, {{"reward_id", "NO-SUCH"}})});
    EXPECT_EQ(m_central->put("/v1/admin/games/WHEEL1", kAdmin, unknownReward).code(), "reward_unknown");
    EXPECT_EQ(m_central->put("/v1/admin/games/wheel-1", kAdmin, good).status, 400);
    EXPECT_EQ(m_central->put("/v1/admin/games/WHEEL1", m_kiosk, good).status, 403);
    EXPECT_EQ(m_central->get("/v1/admin/games", kAdmin).body["games"].size(), 0u);
    EXPECT_EQ(m_central->get("/v1/games", m_kiosk).body["games"].size(), 0u);

    configure("WHEEL1", good);
    auto listed = m_central->get("/v1/games", m_kiosk);
    ASSERT_EQ(listed.body["games"].size(), 1u);
    EXPECT_EQ(listed.body["games"][0]["registration_number"], "1234/QĐ-BCT");
    EXPECT_EQ(listed.body["games"][0]["nothing_odds_ppm"], 900'000);
}

TEST_P(CentralGames, AQualifyingReceiptEarnsAPlayAndAResentDrawNeverDrawsTwice) {
    configure("WHEEL1", gameBody(Json::array({prize("P100", "points", 1'000'000, {{"points", 100}})})));
    const std::string phone = "0903111222";
    auto small = m_central->post("/v1/claims", m_kiosk,
                                 claimBody(signReceipt(uniqueNumber(), 199'000, now() - 60), phone));
    ASSERT_EQ(small.status, 200) << small.body.dump();
    EXPECT_EQ(small.body["game_tickets"], 0);
    const auto receipt = claimBody(signReceipt(uniqueNumber(), 200'000, now() - 60), phone);
    auto big = m_central->post("/v1/claims", m_kiosk, receipt);
    EXPECT_EQ(big.body["game_tickets"], 1);
    EXPECT_EQ(m_central->post("/v1/claims", m_kiosk, receipt).body["game_tickets"], 1);  // the replay
    auto games = m_central->get("/v1/members/" + phone + "/games", m_kiosk);
    ASSERT_EQ(games.status, 200);
    ASSERT_EQ(games.body["tickets"].size(), 1u);
    EXPECT_EQ(games.body["tickets"][0]["count"], 1);  // the resent claim earned nothing more

    const auto before = balance(phone);
    const auto key = newKey();
    auto first = draw("WHEEL1", phone, key);
    ASSERT_EQ(first.status, 200) << first.body.dump();
    EXPECT_EQ(first.body["prize_id"], "P100");
    EXPECT_EQ(first.body["replayed"], false);
    EXPECT_EQ(first.body["balance"], before + 100);
    auto again = draw("WHEEL1", phone, key);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.body["replayed"], true);
    EXPECT_EQ(again.body["draw_id"], first.body["draw_id"]);
    EXPECT_EQ(again.body["random_value"], first.body["random_value"]);
    EXPECT_EQ(balance(phone), before + 100);
    EXPECT_EQ(draw("WHEEL1", phone, newKey()).code(), "game_no_ticket");
    EXPECT_EQ(draw("WHEEL1", "0903999888", key).status, 404);  // no such member

    // Not displayed yet: the kiosk shows it the next time the member identifies.
    auto pending = m_central->get("/v1/members/" + phone + "/games", m_kiosk);
    ASSERT_EQ(pending.body["draws"].size(), 1u);
    EXPECT_TRUE(pending.body["draws"][0]["displayed_at"].is_null());
    EXPECT_EQ(
        m_central->post("/v1/games/draws/" + key + "/displayed", m_kiosk, Json{{"phone", phone}}).status,
        200);
    auto shown = m_central->get("/v1/members/" + phone + "/games", kAdmin);  // staff, to reprint
    ASSERT_EQ(shown.body["draws"].size(), 1u);
    EXPECT_FALSE(shown.body["draws"][0]["displayed_at"].is_null());
}

TEST_P(CentralGames, APrizeVoucherIsConsumedOnceAndTheDailyLimitHolds) {
    configure("SCRATCH1", gameBody(Json::array({prize("BEAR", "gift", 1'000'000,
                                                      {{"value_dong", 0}, {"voucher_validity_days", 7}})}),
                                   1));
    const std::string phone = "0903222333";
    member(phone, "SCRATCH1", 2);
    auto won = draw("SCRATCH1", phone, newKey());
    ASSERT_EQ(won.status, 200) << won.body.dump();
    ASSERT_TRUE(won.body.contains("voucher")) << won.body.dump();
    const auto code = won.body["voucher"]["code"].get<std::string>();
    EXPECT_FALSE(won.body["voucher"]["qr_payload"].get<std::string>().empty());
    EXPECT_EQ(m_central->post("/v1/vouchers/" + code + "/consume", m_kiosk, Json::object()).status, 200);
    EXPECT_EQ(m_central->post("/v1/vouchers/" + code + "/consume", m_kiosk, Json::object()).code(),
              "voucher_already_consumed");
    EXPECT_EQ(draw("SCRATCH1", phone, newKey()).code(), "game_daily_limit");  // one play a day

    configure("WHEEL2",
              gameBody(Json::array({prize("CAFE", "reward", 1'000'000, {{"reward_id", "CAFE-20K"}})})));
    member("0903222444", "WHEEL2", 1);
    auto coffee = draw("WHEEL2", "0903222444", newKey());
    ASSERT_EQ(coffee.status, 200) << coffee.body.dump();
    EXPECT_EQ(coffee.body["kind"], "reward");
    EXPECT_EQ(m_central
                  ->post("/v1/vouchers/" + coffee.body["voucher"]["code"].get<std::string>() + "/consume",
                         m_kiosk, Json::object())
                  .status,
              200);
}

TEST_P(CentralGames, APlayBoughtWithPointsIsOneTransactionWithItsDebitOncePerKeyUnderTheDailyLimit) {
    const Json prizes = Json::array({prize("P10", "points", 1'000'000, {{"points", 10}})});
    Json sold = gameBody(prizes, 2, 0);
    sold["ticket_price_points"] = 60;
    for (const Json& bad : {Json(0), Json(-5), Json("60"), Json(10'000'001)}) {
        Json body = sold;
        body["ticket_price_points"] = bad;
        EXPECT_EQ(m_central->put("/v1/admin/games/BUY1", kAdmin, body).status, 400) << bad.dump();
    }
    configure("BUY1", sold);
    EXPECT_EQ(m_central->get("/v1/games", m_kiosk).body["games"][0]["ticket_price_points"], 60);
    configure("FREE1", gameBody(prizes, 2, 0));
    Json dear = sold;
    dear["ticket_price_points"] = 1000;
    configure("DEAR1", dear);

    const std::string phone = "0906111222";
    ASSERT_EQ(m_central
                  ->post("/v1/claims", m_kiosk,
                         claimBody(signReceipt(uniqueNumber(), 1'000'000, now() - 60), phone))
                  .status,
              200);
    const auto start = balance(phone);
    ASSERT_GE(start, 120);
    const auto otp = [&] {
        EXPECT_EQ(m_central->post("/v1/otp", m_kiosk, Json{{"phone", phone}}).status, 200);
        return m_central->lastOtp("+84" + phone.substr(1));
    };
    const auto buy = [&](const std::string& game, const std::string& key, const std::string& code) {
        return m_central->post("/v1/games/" + game + "/tickets", m_kiosk,
                               Json{{"phone", phone}, {"idempotency_key", key}, {"otp", code}});
    };
    const auto tickets = [&](const std::string& game) {
        const auto held = m_central->get("/v1/members/" + phone + "/games", m_kiosk);
        for (const auto& t : held.body["tickets"])
            if (t["game_id"] == game) return t["count"].get<std::int64_t>();
        return std::int64_t{0};
    };
    // No proof of the phone, a wrong code, a game that sells no plays, too few points: nothing spent.
    // (Three codes per phone and kiosk per 15 minutes: a refusal rolled back leaves the code usable.)
    EXPECT_EQ(buy("BUY1", newKey(), "123456").code(), "otp_invalid");
    const auto code = otp();
    EXPECT_EQ(buy("BUY1", newKey(), code == "000000" ? "111111" : "000000").code(), "otp_invalid");
    EXPECT_EQ(buy("FREE1", newKey(), code).code(), "game_ticket_not_for_sale");
    auto short_ = buy("DEAR1", newKey(), code);
    EXPECT_EQ(short_.code(), "game_insufficient_points");
    EXPECT_EQ(short_.body["error"]["details"]["cost"], 1000);
    EXPECT_EQ(balance(phone), start);
    EXPECT_EQ(tickets("BUY1") + tickets("DEAR1"), 0);

    const auto key = newKey();
    auto bought = buy("BUY1", key, code);
    ASSERT_EQ(bought.status, 200) << bought.body.dump();
    EXPECT_EQ(bought.body["points_spent"], 60);
    EXPECT_EQ(bought.body["balance"], start - 60);
    EXPECT_EQ(bought.body["tickets"], 1);
    EXPECT_EQ(bought.body["replayed"], false);
    EXPECT_EQ(buy("BUY1", newKey(), code).code(), "otp_invalid");  // the code is used up
    auto again = buy("BUY1", key, "000000");  // a resend: the first answer, no second debit
    ASSERT_EQ(again.status, 200) << again.body.dump();
    EXPECT_EQ(again.body["replayed"], true);
    EXPECT_EQ(balance(phone), start - 60);
    EXPECT_EQ(buy("DEAR1", key, "000000").code(), "idempotency_conflict");
    auto second = buy("BUY1", newKey(), otp());
    ASSERT_EQ(second.status, 200) << second.body.dump();
    EXPECT_EQ(tickets("BUY1"), 2);
    // Two plays a day: two held tickets reach it, and so does one played and one held.
    EXPECT_EQ(buy("BUY1", newKey(), "000000").code(), "game_daily_limit");
    auto played = draw("BUY1", phone, newKey());
    ASSERT_EQ(played.status, 200) << played.body.dump();
    EXPECT_EQ(played.body["balance"], start - 120 + 10);
    EXPECT_EQ(buy("BUY1", newKey(), "000000").code(), "game_daily_limit");
    EXPECT_EQ(balance(phone), start - 120 + 10);
    // The debit is in the ledger, keyed by the purchase.
    auto member = m_central->get("/v1/members/" + phone, m_kiosk);
    int debits = 0;
    for (const auto& e : member.body["history"])
        if (e["points"] == -60) ++debits;
    EXPECT_EQ(debits, 2) << member.body.dump();
}

/// Three kiosks of the store: `first` (enrolled already) and two more enrolled on `central`.
std::vector<std::string> threeKiosks(const CentralProcess& central, const std::string& first) {
    return {first, enrollKiosk(central, "GAME-K2"), enrollKiosk(central, "GAME-K3")};
}

/// 16 threads draw against small budgets through `servers` and `kiosks` in turn; no budget is exceeded
/// by one prize and the audit sums to what was credited.
void budgetsHold(const std::vector<const CentralProcess*>& servers, const std::vector<std::string>& kiosks) {
    const auto& kiosk = kiosks.front();
    const auto& admin = *servers.front();
    const Json prizes = Json::array(
        {prize("PTS", "points", 400'000, {{"points", 7}, {"budget", {{"total", 9}, {"per_day", 12}}}}),
         prize("GIFT", "gift", 300'000,
               {{"value_dong", 50'000}, {"voucher_validity_days", 7}, {"budget", {{"per_store", 5}}}}),
         prize("CAFE", "reward", 200'000, {{"reward_id", "CAFE-20K"}, {"budget", {{"per_day", 3}}}})});
    ASSERT_EQ(admin.put("/v1/admin/games/BUDGET", kAdmin, gameBody(prizes, 100)).status, 200);
    constexpr int kThreads = 16;
    constexpr int kDraws = 6;
    std::vector<std::string> phones;
    std::map<std::string, std::int64_t> before;
    for (std::size_t i = 0; i < kThreads; ++i) {
        phones.push_back("0904" + std::to_string(100'000 + i));
        ASSERT_EQ(admin
                      .post("/v1/claims", kiosk,
                            claimBody(signReceipt(uniqueNumber(), 50'000, now() - 60), phones[i]))
                      .status,
                  200);
        ASSERT_EQ(admin
                      .post("/v1/admin/games/BUDGET/tickets", kAdmin,
                            Json{{"phone", phones[i]}, {"idempotency_key", newKey()}, {"count", kDraws}})
                      .status,
                  200);
        before[phones[i]] = admin.get("/v1/members/" + phones[i], kiosk).body["balance"].get<std::int64_t>();
    }
    std::atomic<int> answered{0};
    std::mutex mutex;
    std::string unexpected;
    race(kThreads, [&](int t) {
        for (int d = 0; d < kDraws; ++d) {
            const auto& via = *servers[static_cast<std::size_t>(t + d) % servers.size()];
            const auto& at = kiosks[static_cast<std::size_t>(t) % kiosks.size()];
            auto r =
                via.post("/v1/games/BUDGET/draws", at,
                         Json{{"phone", phones[static_cast<std::size_t>(t)]}, {"idempotency_key", newKey()}});
            if (r.status == 200) {
                ++answered;
            } else {
                std::lock_guard lock(mutex);
                unexpected += std::to_string(r.status) + " " + r.code() + "; ";
            }
        }
    });
    EXPECT_EQ(answered.load(), kThreads * kDraws) << unexpected;
    std::map<std::string, int> won;
    std::int64_t auditPoints = 0;
    Json draws = Json::array();
    for (std::int64_t after = 0;;) {
        auto page = admin.get("/v1/admin/games/BUDGET/draws?after=" + std::to_string(after), kAdmin);
        if (page.body["draws"].empty()) break;
        for (auto& d : page.body["draws"]) draws.push_back(d);
        after = draws.back()["draw_id"].get<std::int64_t>();
    }
    ASSERT_EQ(draws.size(), static_cast<std::size_t>(kThreads * kDraws));
    std::set<std::string> drawnAt;
    for (const auto& d : draws) {
        ++won[d["prize_id"].get<std::string>()];
        drawnAt.insert(d["kiosk_id"].get<std::string>());
        auditPoints += d["points"].get<std::int64_t>();
        if (d["kind"] == "gift" || d["kind"] == "reward") {
            EXPECT_TRUE(d.contains("voucher"));
        }
    }
    // 96 draws at these odds reach every budget (expected 38, 29 and 19 hits) — and never pass one.
    EXPECT_EQ(won["PTS"], 9);
    EXPECT_EQ(won["GIFT"], 5);
    EXPECT_EQ(won["CAFE"], 3);
    EXPECT_EQ(drawnAt.size(), kiosks.size());
    std::int64_t credited = 0;
    for (const auto& phone : phones)
        credited +=
            admin.get("/v1/members/" + phone, kiosk).body["balance"].get<std::int64_t>() - before[phone];
    EXPECT_EQ(auditPoints, 9 * 7);
    EXPECT_EQ(credited, auditPoints);
}

TEST_P(CentralGames, SmallBudgetsHoldUnder16ThreadsFrom3KiosksAndTheAuditSumsToWhatWasCredited) {
    budgetsHold({m_central.get()}, threeKiosks(*m_central, m_kiosk));
}

TEST_P(CentralGames, OddsMatchTheConfigurationByChiSquare) {
    const std::vector<std::int64_t> odds{100'000, 200'000, 300'000, 50'000};  // nothing: 350 000
    Json prizes = Json::array();
    for (std::size_t i = 0; i < odds.size(); ++i)
        prizes.push_back(prize("P" + std::to_string(i), "points", odds[i], {{"points", 1}}));
    const char* env = std::getenv("KIOSK_GAME_DRAWS");
    const int total = env ? std::atoi(env) : 2000;
    configure("ODDS", gameBody(prizes, total));
    constexpr int kMembers = 16;  // concurrent clients, one member each
    for (int m = 0; m < kMembers; ++m) member("0905" + std::to_string(100'000 + m), "ODDS", total / kMembers);
    std::map<std::string, int> seen;
    std::mutex mutex;
    std::atomic<int> failed{0};
    const auto started = std::chrono::steady_clock::now();
    race(kMembers, [&](int m) {
        // The test's own randomness (its keys) is seeded; the draw itself is central's CSPRNG.
        std::mt19937_64 keys(15u + static_cast<unsigned>(m));
        for (int i = 0; i < total / kMembers; ++i) {
            auto r = draw("ODDS", "0905" + std::to_string(100'000 + m), "odds-" + std::to_string(keys()));
            if (r.status != 200) {
                ++failed;
                continue;
            }
            std::lock_guard lock(mutex);
            ++seen[r.body["prize_id"].get<std::string>()];
        }
    });
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ASSERT_EQ(failed.load(), 0);
    const int n = total / kMembers * kMembers;
    double chi2 = 0;
    std::int64_t rest = 1'000'000;
    for (std::size_t i = 0; i < odds.size() + 1; ++i) {
        const auto p = i < odds.size() ? odds[i] : rest;
        if (i < odds.size()) rest -= odds[i];
        const double expected = n * static_cast<double>(p) / 1e6;
        const double observed = seen[i < odds.size() ? "P" + std::to_string(i) : ""];
        chi2 += (observed - expected) * (observed - expected) / expected;
    }
    // 5 outcomes, 4 degrees of freedom: the 0.1 % critical value is 18.467.
    EXPECT_LT(chi2, 18.467);
    std::printf("odds: %d draws in %.1f s (%.0f draws/s), chi-square %.2f (critical 18.467)\n", n, seconds,
                n / seconds, chi2);
}

INSTANTIATE_TEST_SUITE_P(Backends, CentralGames, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

TEST(CentralGamesTwoProcesses, SmallBudgetsHoldWith3KiosksAndTwoCentralsOnOnePostgres) {
    if (!PgDatabase::baseUrl()) GTEST_SKIP() << "KIOSK_TEST_PG_URL is not set (scripts/test provides it)";
    PgDatabase db;
    CentralProcess a(CentralProcess::Options{db.url(), "", ""});
    CentralProcess b(CentralProcess::Options{db.url(), "", ""});
    budgetsHold({&a, &b}, threeKiosks(a, enrollDevKiosk(a)));
}

}  // namespace
}  // namespace central_test
