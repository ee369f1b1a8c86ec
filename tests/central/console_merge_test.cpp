// A member's phone changed and two members merged from the console (docs/console.md "Phone change and
// merge") against the real central binary, on SQLite and PostgreSQL: each needs the one-time code sent
// to the phone the member keeps, is audited before and after, and keeps every point and history line.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "console_fixture.hpp"

namespace central_test {
namespace {

class ConsoleMerge : public ConsoleFixture {
  protected:
    void SetUp() override {
        ConsoleFixture::SetUp();
        if (IsSkipped()) return;
        m_kiosk = enrollDevKiosk(central());
        addUser("a.support", "support");
        addUser("an.owner", "owner");
    }
    /// A new member of `phone` with one `dong` receipt: the claim's answer.
    Json join(const std::string& phone, std::int64_t dong) const {
        auto r = central().post("/v1/claims", m_kiosk,
                                claimBody(signReceipt(uniqueNumber(), dong, now() - 60), phone));
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body;
    }
    Json auditOf(const std::string& action) const {
        const auto entries = audit(session("an.owner"));
        const auto it = std::find_if(entries.begin(), entries.end(),
                                     [&](const Json& e) { return e["action"].get<std::string>() == action; });
        return it == entries.end() ? Json() : *it;
    }
    std::string m_kiosk;
};

TEST_P(ConsoleMerge, APhoneChangeNeedsTheCodeSentToTheNewPhoneAndKeepsThePoints) {
    const auto balance = join("0901234567", 250'000)["balance"].get<std::int64_t>();
    join("0907654321", 100'000);
    const auto support = session("a.support");
    const std::string path = "/v1/console/members/0901234567/phone";
    EXPECT_EQ(call(support, "POST", path + "/code", Json{{"new_phone", "0907654321"}}).code(), "phone_taken");
    EXPECT_EQ(call(support, "POST", path + "/code", Json{{"new_phone", "12"}}).code(), "invalid_field");
    const auto sent = call(support, "POST", path + "/code", Json{{"new_phone", "0912345678"}});
    ASSERT_EQ(sent.status, 200) << sent.body.dump();
    EXPECT_EQ(sent.body["sent_to"].get<std::string>().find("5678"), std::string::npos);
    const auto code = central().lastOtp("+84912345678");
    ASSERT_EQ(code.size(), 6u);

    const auto wrong = code == "000000" ? "111111" : "000000";
    const Json confirm{{"new_phone", "0912345678"}, {"otp", wrong}, {"reason", "khách đổi số"}};
    EXPECT_EQ(call(support, "POST", path, confirm).code(), "otp_invalid");
    EXPECT_EQ(central().get("/v1/members/0901234567", m_kiosk).status, 200);

    auto good = confirm;
    good["otp"] = code;
    const auto changed = call(support, "POST", path, good);
    ASSERT_EQ(changed.status, 200) << changed.body.dump();
    EXPECT_EQ(changed.body["member"]["phone"], "+84912345678");
    EXPECT_EQ(changed.body["member"]["balance"], balance);
    EXPECT_EQ(central().get("/v1/members/0901234567", m_kiosk).code(), "not_found");
    EXPECT_EQ(central().get("/v1/members/0912345678", m_kiosk).body["balance"], balance);
    EXPECT_EQ(call(support, "POST", "/v1/console/members/0912345678/phone",
                   Json{{"new_phone", "0901234567"}, {"otp", code}, {"reason", "again"}})
                  .code(),
              "otp_invalid");

    const auto entry = auditOf("member.phone_change");
    ASSERT_TRUE(entry.is_object());
    EXPECT_EQ(entry["actor"], "a.support");
    EXPECT_EQ(entry["reason"], "khách đổi số");
    EXPECT_EQ(entry["before"]["member"]["phone"], "+84901234567");
    EXPECT_EQ(entry["after"]["phone"], "+84912345678");
}

TEST_P(ConsoleMerge, AMergeKeepsBothHistoriesAndPointsAndRecomputesTheTier) {
    const auto a = join("0901234567", 6'000'000)["balance"].get<std::int64_t>();
    const auto b = join("0907654321", 6'000'000)["balance"].get<std::int64_t>();
    ASSERT_LT(a, 1000);
    ASSERT_LT(b, 1000);
    ASSERT_GE(a + b, 1000);  // Gold together (assets/config/tiers.toml)
    const auto support = session("a.support");
    const std::string path = "/v1/console/members/0901234567/merge";
    EXPECT_EQ(call(support, "POST", path + "/code", Json{{"into", "0909999999"}}).code(), "not_found");
    EXPECT_EQ(call(support, "POST", path + "/code", Json{{"into", "0901234567"}}).code(), "invalid_field");
    EXPECT_EQ(call(support, "POST", path + "/code", Json{{"into", "0907654321"}}, "").code(), "csrf_failed");
    ASSERT_EQ(call(support, "POST", path + "/code", Json{{"into", "0907654321"}}).status, 200);
    const auto code = central().lastOtp("+84907654321");
    Json confirm{
        {"into", "0907654321"}, {"otp", code == "000000" ? "111111" : "000000"}, {"reason", "hai tài khoản"}};
    EXPECT_EQ(call(support, "POST", path, confirm).code(), "otp_invalid");
    EXPECT_EQ(central().get("/v1/members/0901234567", m_kiosk).body["balance"], a);

    confirm["otp"] = code;
    const auto merged = call(support, "POST", path, confirm);
    ASSERT_EQ(merged.status, 200) << merged.body.dump();
    EXPECT_EQ(merged.body["member"]["balance"], a + b);
    EXPECT_EQ(merged.body["member"]["tier"], "gold");
    EXPECT_EQ(central().get("/v1/members/0901234567", m_kiosk).code(), "not_found");
    const auto kept = call(session("an.owner"), "GET", "/v1/console/members/0907654321?reason=merge-check");
    ASSERT_EQ(kept.status, 200) << kept.body.dump();
    EXPECT_EQ(std::count_if(kept.body["history"].begin(), kept.body["history"].end(),
                            [](const Json& h) { return h["kind"] == "earn"; }),
              2);

    const auto entry = auditOf("member.merge");
    ASSERT_TRUE(entry.is_object());
    EXPECT_EQ(entry["before"]["member"]["tier"], "silver");
    EXPECT_EQ(entry["before"]["into"]["balance"], b);
    EXPECT_EQ(entry["after"]["tier"], "gold");
    EXPECT_EQ(entry["reason"], "hai tài khoản");

    // The number merged away can join again, as a new member with nothing of the old one.
    const auto again = join("0901234567", 100'000);
    EXPECT_EQ(again["new_member"], true);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleMerge, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
