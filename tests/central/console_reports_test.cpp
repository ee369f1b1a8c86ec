// The console's reports (docs/console.md "Reports") against the real central binary, on SQLite and
// PostgreSQL: today's figures computed live from the ledger; a generated history (bench_report
// generate, the benchmark's own generator, run short) rolled up into report_days and adding up to
// what was written, by day and by month; a store manager's view; input refused.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "console_fixture.hpp"
#include "loyalty/time.hpp"

namespace central_test {
namespace {

constexpr const char* kFigures[] = {"claims",          "points_issued",   "points_redeemed",
                                    "points_returned", "vouchers_issued", "vouchers_consumed",
                                    "members_new",     "members_active",  "game_draws",
                                    "game_prizes"};

/// The sum of `field` over `rows`.
std::int64_t total(const Json& rows, const char* field) {
    std::int64_t sum = 0;
    for (const auto& row : rows) sum += row.value(field, std::int64_t{0});
    return sum;
}

/// What a command printed on stdout; fails the test when it exits non-zero.
std::string run(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return "";
    std::string out;
    std::array<char, 4096> buffer{};
    while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    EXPECT_EQ(::pclose(pipe), 0) << command << "\n" << out;
    return out;
}

class ConsoleReports : public ConsoleFixture {
  protected:
    std::string url() const {
        return databaseUrl().empty() ? "sqlite:" + central().dataDir() + "/central.db" : databaseUrl();
    }
    /// bench_report generate on central's own database: its totals.
    Json generate(int stores, int days, int receipts, const std::string& lastDay) const {
        const auto out =
            run(std::string(KIOSK_BINARY_DIR) + "/bin/bench_report generate --database '" + url() +
                "' --stores " + std::to_string(stores) + " --days " + std::to_string(days) + " --receipts " +
                std::to_string(receipts) + " --last-day " + lastDay);
        return Json::parse(out, nullptr, false);
    }
    static std::string day(std::int64_t offset) {
        return loyalty::formatLocalDate(loyalty::addDays(loyalty::localDate(now()), offset));
    }
};

TEST_P(ConsoleReports, TodaysClaimsRedemptionsAndNewMembersAreCountedLivePerStore) {
    const auto kiosk = enrollDevKiosk(central());
    std::int64_t issued = 0;
    for (const char* phone : {"0901234567", "0907654321", "0901234567"}) {
        auto claim = central().post("/v1/claims", kiosk,
                                    claimBody(signReceipt(uniqueNumber(), 250'000, now() - 60), phone));
        ASSERT_EQ(claim.status, 200) << claim.body.dump();
        issued += claim.body["points"].get<std::int64_t>();
    }
    ASSERT_EQ(central()
                  .post("/v1/admin/members/0901234567/adjust", kAdmin,
                        Json{{"points", 1000}, {"reason", "test"}, {"idempotency_key", newKey()}})
                  .status,
              200);
    const auto before = central().get("/v1/members/0901234567", kiosk).body["balance"].get<std::int64_t>();
    ASSERT_EQ(central().post("/v1/otp", kiosk, Json{{"phone", "0901234567"}}).status, 200);
    const auto redeemed = central().post("/v1/redemptions", kiosk,
                                         Json{{"idempotency_key", newKey()},
                                              {"phone", "0901234567"},
                                              {"reward_id", "CAFE-20K"},
                                              {"otp", central().lastOtp("+84901234567")}});
    ASSERT_EQ(redeemed.status, 200) << redeemed.body.dump();
    const auto after = central().get("/v1/members/0901234567", kiosk).body["balance"].get<std::int64_t>();

    addUser("an.owner", "owner");
    const auto r = call(session("an.owner"), "GET", "/v1/console/reports?from=" + day(-1) + "&to=" + day(0));
    ASSERT_EQ(r.status, 200) << r.body.dump();
    ASSERT_EQ(r.body["rows"].size(), 1u) << r.body.dump();
    const auto& row = r.body["rows"][0];
    EXPECT_EQ(row["period"].get<std::string>(), day(0));
    EXPECT_EQ(row["store"], "DEV001");
    EXPECT_EQ(row["claims"], 3);
    EXPECT_EQ(row["points_issued"], issued);
    EXPECT_EQ(row["points_redeemed"], before - after);
    EXPECT_EQ(row["vouchers_issued"], 1);
    EXPECT_EQ(row["vouchers_consumed"], 0);
    EXPECT_EQ(row["members_new"], 2);
    EXPECT_EQ(row["members_active"], 2);
    EXPECT_EQ(r.body["expired"], Json::array());

    const auto month =
        call(session("an.owner"), "GET", "/v1/console/reports?by=month&from=" + day(0) + "&to=" + day(0));
    ASSERT_EQ(month.status, 200) << month.body.dump();
    EXPECT_EQ(month.body["from"].get<std::string>(), day(0).substr(0, 8) + "01");
    ASSERT_EQ(month.body["rows"].size(), 1u);
    EXPECT_EQ(month.body["rows"][0]["period"].get<std::string>(), day(0).substr(0, 7));
    EXPECT_EQ(month.body["rows"][0]["claims"], 3);
    EXPECT_EQ(month.body["rows"][0]["members_active"], 2);
}

TEST_P(ConsoleReports, AGeneratedHistoryIsRolledUpAndAddsUpToWhatWasWrittenByDayAndByMonth) {
    const auto written = generate(3, 40, 20, day(-2));
    ASSERT_TRUE(written.is_object());
    ASSERT_GT(written["claims"].get<std::int64_t>(), 1000);
    ASSERT_GT(written["vouchers_consumed"].get<std::int64_t>(), 0);
    addUser("an.owner", "owner");
    const auto owner = session("an.owner");
    const auto byDay = "/v1/console/reports?from=" + written["first_day"].get<std::string>() +
                       "&to=" + written["last_day"].get<std::string>();
    const auto first = call(owner, "GET", byDay);
    ASSERT_EQ(first.status, 200) << first.body.dump();
    EXPECT_LE(first.body["rows"].size(), 3u * 40u);
    EXPECT_GE(first.body["rows"].size(), 3u * 40u - 3u);
    for (const char* field : {"claims", "points_issued", "points_redeemed", "points_returned",
                              "vouchers_issued", "vouchers_consumed", "members_new"})
        EXPECT_EQ(total(first.body["rows"], field), written[field].get<std::int64_t>()) << field;

    // The second answer comes from the roll-up: the same figures.
    EXPECT_EQ(call(owner, "GET", byDay).body, first.body);

    // By month: the range widens to whole months; a month's active members are distinct over it,
    // so they are at most the sum of its days' and at least the busiest day's.
    const auto months = call(owner, "GET", byDay + "&by=month");
    ASSERT_EQ(months.status, 200) << months.body.dump();
    for (const char* field : {"claims", "points_issued", "points_redeemed", "vouchers_issued", "members_new"})
        EXPECT_EQ(total(months.body["rows"], field), written[field].get<std::int64_t>()) << field;
    for (const auto& m : months.body["rows"]) {
        std::int64_t sumOfDays = 0;
        std::int64_t busiest = 0;
        for (const auto& d : first.body["rows"])
            if (d["store"] == m["store"] &&
                d["period"].get<std::string>().starts_with(m["period"].get<std::string>())) {
                sumOfDays += d["members_active"].get<std::int64_t>();
                busiest = std::max(busiest, d["members_active"].get<std::int64_t>());
            }
        EXPECT_LE(m["members_active"].get<std::int64_t>(), sumOfDays) << m.dump();
        EXPECT_GE(m["members_active"].get<std::int64_t>(), busiest) << m.dump();
        EXPECT_GT(busiest, 0) << m.dump();
    }

    addUser("mgr.s002", "store_manager", Json{"S002"});
    const auto mine = call(session("mgr.s002"), "GET", byDay);
    ASSERT_EQ(mine.status, 200) << mine.body.dump();
    ASSERT_FALSE(mine.body["rows"].empty());
    for (const auto& row : mine.body["rows"]) EXPECT_EQ(row["store"], "S002");
    EXPECT_FALSE(mine.body.contains("expired"));
    for (const char* field : kFigures) EXPECT_TRUE(mine.body["rows"][0].contains(field)) << field;
}

TEST_P(ConsoleReports, OnlyReportViewersAskAndBadRangesAreRefused) {
    addUser("a.marketer", "marketing");
    addUser("a.support", "support");
    const auto range = "/v1/console/reports?from=" + day(-3) + "&to=" + day(0);
    EXPECT_EQ(call(session("a.marketer"), "GET", range).status, 200);
    EXPECT_EQ(call(session("a.support"), "GET", range).code(), "forbidden");
    EXPECT_EQ(central().get(range, "").status, 401);
    const auto marketer = session("a.marketer");
    for (const auto& query : {"from=2026-13-01&to=2026-12-01", "from=2026-12-01&to=2026-11-01",
                              "from=2025-01-01&to=2026-12-31", "from=2026-01-01&to=2026-01-02&by=week",
                              "from=2020-01-01&to=2026-12-31&by=month", "from=2026-01-01"})
        EXPECT_EQ(call(marketer, "GET", std::string("/v1/console/reports?") + query).code(), "invalid_field")
            << query;
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleReports, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
