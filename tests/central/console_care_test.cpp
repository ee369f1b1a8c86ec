// The console's customer care and catalogue (docs/console.md) against the real central binary, on
// SQLite and PostgreSQL: a receipt brought back, in full or in parts — its points reversed in
// proportion, the tier recomputed from the ledger, the write audited and idempotent, the balance never
// below zero; a reward made in the console reaching the configuration kiosks pull.

#include <gtest/gtest.h>

#include "console_fixture.hpp"

namespace central_test {
namespace {

constexpr const char* kPhone = "0901234567";

class ConsoleCare : public ConsoleFixture {
  protected:
    /// Claims a `dong` receipt for kPhone at the dev kiosk; the claim's answer.
    Json claim(std::int64_t dong) {
        if (m_kiosk.empty()) m_kiosk = enrollDevKiosk(central());
        auto r = central().post("/v1/claims", m_kiosk,
                                claimBody(signReceipt(uniqueNumber(), dong, now() - 60), kPhone));
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body;
    }
    Response giveBack(const Session& s, const Json& receipt, std::int64_t dong, const std::string& key,
                      const std::string& reason = "khách trả hàng") const {
        return call(s, "POST", "/v1/console/returns",
                    Json{{"receipt_id", receipt["receipt_id"]},
                         {"amount_dong", dong},
                         {"reason", reason},
                         {"idempotency_key", key}});
    }
    Json member(const Session& s) const {
        return call(s, "GET", std::string("/v1/console/members/") + kPhone).body;
    }

    std::string m_kiosk;
};

TEST_P(ConsoleCare, AReturnReversesItsShareOfThePointsAndTheTierFollows) {
    const auto big = claim(11'000'000);  // 1,100 points and more (bonuses): Gold
    const auto points = big["points"].get<std::int64_t>();
    ASSERT_GE(points, 1000);
    ASSERT_LT(points, 2500);  // so that 40 % of it is below Gold's 1,000
    addUser("a.support", "support");
    const auto support = session("a.support");
    ASSERT_EQ(member(support)["tier"], "gold");
    const auto start = member(support)["balance"].get<std::int64_t>();

    // 60 % of the goods come back: 60 % of the points, rounded down.
    auto part = giveBack(support, big, 6'600'000, "ret-1", "<img src=x onerror=\"window.__xss=1\">");
    ASSERT_EQ(part.status, 200) << part.body.dump();
    const auto first = points * 6 / 10;
    EXPECT_EQ(part.body["points_reversed"], first);
    EXPECT_EQ(part.body["balance"], start - first);
    EXPECT_EQ(part.body["returned_dong"], 6'600'000);
    EXPECT_EQ(part.body["tier_before"], "gold");
    EXPECT_EQ(part.body["tier"], "silver");
    EXPECT_EQ(part.body["replayed"], false);
    EXPECT_EQ(member(support)["tier"], "silver");
    EXPECT_EQ(member(support)["balance"], start - first);

    // The same request again is the same answer and nothing more; the same key for another is refused.
    auto again = giveBack(support, big, 6'600'000, "ret-1", "<img src=x onerror=\"window.__xss=1\">");
    ASSERT_EQ(again.status, 200) << again.body.dump();
    EXPECT_EQ(again.body["replayed"], true);
    EXPECT_EQ(again.body["balance"], start - first);
    EXPECT_EQ(giveBack(support, big, 1'000'000, "ret-1").code(), "idempotency_conflict");

    // The rest comes back: the parts add up to exactly what the receipt earned, never more.
    auto rest = giveBack(support, big, 4'400'000, "ret-2");
    ASSERT_EQ(rest.status, 200) << rest.body.dump();
    EXPECT_EQ(rest.body["points_reversed"], points - first);
    EXPECT_EQ(rest.body["balance"], start - points);
    EXPECT_EQ(giveBack(support, big, 1, "ret-3").code(), "return_exceeds_receipt");
    EXPECT_EQ(call(support, "POST", "/v1/console/returns",
                   Json{{"receipt_id", "DEV001/NO-SUCH"},
                        {"amount_dong", 1},
                        {"reason", "x"},
                        {"idempotency_key", "r4"}})
                  .code(),
              "not_found");
    EXPECT_EQ(call(support, "POST", "/v1/console/returns",
                   Json{{"receipt_id", big["receipt_id"]},
                        {"amount_dong", 0},
                        {"reason", "x"},
                        {"idempotency_key", "r5"}})
                  .code(),
              "invalid_field");

    addUser("an.owner", "owner");
    std::vector<Json> returns;
    for (const auto& e : audit(session("an.owner")))
        if (e["action"] == "member.return") returns.push_back(e);
    ASSERT_EQ(returns.size(), 2u);         // the replay and the refusals wrote nothing
    const auto& audited = returns.back();  // newest first: the 60 % return is the last
    EXPECT_EQ(audited["actor"], "a.support");
    EXPECT_EQ(audited["target"], big["receipt_id"]);
    EXPECT_EQ(audited["reason"], "<img src=x onerror=\"window.__xss=1\">");
    EXPECT_EQ(audited["before"]["balance"], start);
    EXPECT_EQ(audited["before"]["tier"], "gold");
    EXPECT_EQ(audited["after"]["balance"], start - first);
    EXPECT_EQ(audited["after"]["tier"], "silver");
}

TEST_P(ConsoleCare, AReturnThatWouldTakeTheBalanceBelowZeroIsRefusedAndWritesNothing) {
    const auto receipt = claim(500'000);
    addUser("a.support", "support");
    const auto support = session("a.support");
    const auto balance = member(support)["balance"].get<std::int64_t>();
    ASSERT_EQ(
        call(support, "POST", std::string("/v1/console/members/") + kPhone + "/adjust",
             Json{{"points", -balance}, {"reason", "spent at the counter"}, {"idempotency_key", "spend-1"}})
            .status,
        200);
    EXPECT_EQ(giveBack(support, receipt, 500'000, "ret-1").code(), "insufficient_points");
    EXPECT_EQ(member(support)["balance"], 0);
    // Nothing was counted as returned: once there are points again, the whole receipt can come back.
    ASSERT_EQ(call(support, "POST", std::string("/v1/console/members/") + kPhone + "/adjust",
                   Json{{"points", balance}, {"reason", "goodwill"}, {"idempotency_key", "give-1"}})
                  .status,
              200);
    auto back = giveBack(support, receipt, 500'000, "ret-2");
    ASSERT_EQ(back.status, 200) << back.body.dump();
    EXPECT_EQ(back.body["points_reversed"], receipt["points"]);
    EXPECT_EQ(back.body["balance"], balance - receipt["points"].get<std::int64_t>());
}

TEST_P(ConsoleCare, AMembersDataLeavesAsOneJsonDownloadWithAnAuditedReason) {
    const auto receipt = claim(500'000);
    addUser("a.support", "support");
    const auto support = session("a.support");
    ASSERT_EQ(giveBack(support, receipt, 100'000, "ret-1").status, 200);
    const std::string path = std::string("/v1/console/members/") + kPhone + "/export";
    EXPECT_EQ(call(support, "GET", path).code(), "invalid_field");  // no reason, no data
    auto data = call(support, "GET", path + "?reason=PDPL%20request%2017");
    ASSERT_EQ(data.status, 200) << data.body.dump();
    EXPECT_NE(data.header("Content-Disposition").find("attachment"), std::string::npos);
    EXPECT_EQ(data.body["member"]["phone"], "+84901234567");
    EXPECT_EQ(data.body["member"]["consent"]["join"], true);
    ASSERT_EQ(data.body["claims"].size(), 1u);
    EXPECT_EQ(data.body["claims"][0]["receipt_id"], receipt["receipt_id"]);
    EXPECT_EQ(data.body["claims"][0]["amount_dong"], 500'000);
    ASSERT_EQ(data.body["returns"].size(), 1u);
    ASSERT_EQ(data.body["ledger"].size(), 2u);
    EXPECT_EQ(data.body["ledger"][1]["kind"], "return");
    EXPECT_EQ(data.body["ledger"][1]["reference"], receipt["receipt_id"]);
    EXPECT_EQ(data.body["ledger"][1]["reason"], "khách trả hàng");
    EXPECT_TRUE(data.body["vouchers"].empty());
    EXPECT_EQ(call(support, "GET", "/v1/console/members/0907654321/export?reason=x").code(), "not_found");

    addUser("an.owner", "owner");
    bool audited = false;
    for (const auto& e : audit(session("an.owner")))
        audited = audited || (e["action"] == "member.export" && e["target"] == "+84901234567" &&
                              e["reason"] == "PDPL request 17");
    EXPECT_TRUE(audited);
}

TEST_P(ConsoleCare, AnErasedMemberIsGoneButTheirReceiptsStayClaimed) {
    if (m_kiosk.empty()) m_kiosk = enrollDevKiosk(central());
    const auto token = signReceipt(uniqueNumber(), 500'000, now() - 60);
    ASSERT_EQ(central().post("/v1/claims", m_kiosk, claimBody(token, kPhone)).status, 200);
    addUser("an.owner", "owner");
    const auto owner = session("an.owner");
    const std::string erase = std::string("/v1/console/members/") + kPhone + "/erase";
    EXPECT_EQ(call(owner, "POST", erase, Json{{"reason", ""}}).code(), "invalid_field");
    auto erased = call(owner, "POST", erase, Json{{"reason", "PDPL request 18"}});
    ASSERT_EQ(erased.status, 200) << erased.body.dump();
    EXPECT_GT(erased.body["points_written_off"].get<std::int64_t>(), 0);

    EXPECT_EQ(call(owner, "GET", std::string("/v1/console/members/") + kPhone).code(), "not_found");
    EXPECT_EQ(call(owner, "GET", std::string("/v1/console/members/") + kPhone + "/export?reason=x").code(),
              "not_found");
    EXPECT_EQ(call(owner, "POST", erase, Json{{"reason", "again"}}).code(), "not_found");
    // The receipt stays claimed; the same phone later joins afresh, with nothing of the erased member.
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(token, kPhone)).code(), "already_claimed");
    auto rejoined = central().post("/v1/claims", m_kiosk,
                                   claimBody(signReceipt(uniqueNumber(), 300'000, now() - 60), kPhone));
    ASSERT_EQ(rejoined.status, 200) << rejoined.body.dump();
    EXPECT_EQ(rejoined.body["new_member"], true);
    EXPECT_EQ(rejoined.body["balance"], rejoined.body["points"]);

    bool audited = false;
    for (const auto& e : audit(owner))
        if (e["action"] == "member.erase") {
            audited = true;
            EXPECT_EQ(e["target"].get<std::string>().rfind("erased:", 0), 0u);
            EXPECT_EQ(e["reason"], "PDPL request 18");
        }
    EXPECT_TRUE(audited);
}

TEST_P(ConsoleCare, ARewardMadeInTheConsoleIsInTheConfigKiosksPull) {
    m_kiosk = enrollDevKiosk(central());
    addUser("a.marketer", "marketing");
    const auto marketing = session("a.marketer");
    const std::string hostile = "<img src=x onerror=\"window.__xss=1\">";
    const Json tote{{"name_vi", hostile}, {"name_en", "Tote bag"}, {"cost", 300},
                    {"value_dong", 0},    {"stock", 20},           {"voucher_validity_days", 30}};
    auto put = call(marketing, "PUT", "/v1/console/rewards/TOTE-1", tote);
    ASSERT_EQ(put.status, 200) << put.body.dump();

    auto config = central().get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    ASSERT_EQ(config.status, 200) << config.body.dump();
    Json offered;
    for (const auto& r : config.body["rewards"])
        if (r["id"] == "TOTE-1") offered = r;
    ASSERT_FALSE(offered.is_null()) << config.body["rewards"].dump();
    EXPECT_EQ(offered["name_vi"], hostile);
    EXPECT_EQ(offered["cost"], 300);

    addUser("an.owner", "owner");
    bool audited = false;
    for (const auto& e : audit(session("an.owner")))
        audited = audited || (e["action"] == "reward.put" && e["target"] == "TOTE-1" &&
                              e["actor"] == "a.marketer" && e["after"]["name_vi"] == hostile);
    EXPECT_TRUE(audited);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleCare, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
