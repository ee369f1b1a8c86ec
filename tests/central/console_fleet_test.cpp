// The console's fleet actions (docs/console.md "Fleet") against the real central binary, on SQLite and
// PostgreSQL: an enrollment code made in the console enrolls a kiosk, and the audit keeps everything
// about it but the code.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "console_fixture.hpp"

namespace central_test {
namespace {

class ConsoleFleet : public ConsoleFixture {};

TEST_P(ConsoleFleet, AnEnrollmentCodeMadeInTheConsoleEnrollsAKioskAndIsNotInTheAudit) {
    addUser("a.tech", "technician");
    addUser("mgr.dev", "store_manager", Json{"DEV001"});
    addUser("an.owner", "owner");
    const auto tech = session("a.tech");
    const Json body{{"kiosk_id", "K-NEW-02"}, {"store", "DEV001"}};
    EXPECT_EQ(call(tech, "POST", "/v1/console/enrollment-codes", body, "").code(), "csrf_failed");
    EXPECT_EQ(call(session("mgr.dev"), "POST", "/v1/console/enrollment-codes", body).code(), "forbidden");
    EXPECT_EQ(call(tech, "POST", "/v1/console/enrollment-codes", Json{{"kiosk_id", "K-9"}, {"store", "NOPE"}})
                  .code(),
              "not_found");
    EXPECT_EQ(
        call(tech, "POST", "/v1/console/enrollment-codes", Json{{"kiosk_id", "<b>"}, {"store", "DEV001"}})
            .code(),
        "invalid_field");

    const auto made = call(tech, "POST", "/v1/console/enrollment-codes", body);
    ASSERT_EQ(made.status, 201) << made.body.dump();
    const auto code = made.body["enrollment_code"].get<std::string>();
    auto enrolled = central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}});
    ASSERT_EQ(enrolled.status, 200) << enrolled.body.dump();
    EXPECT_EQ(enrolled.body["kiosk_id"], "K-NEW-02");

    const auto entries = audit(session("an.owner"));
    const auto entry = std::find_if(entries.begin(), entries.end(),
                                    [](const Json& e) { return e["action"] == "kiosk.enrollment_code"; });
    ASSERT_NE(entry, entries.end()) << entries.dump();
    EXPECT_EQ((*entry)["actor"], "a.tech");
    EXPECT_EQ((*entry)["target"], "K-NEW-02");
    EXPECT_EQ((*entry)["after"]["store"], "DEV001");
    EXPECT_EQ(entries.dump().find(code), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleFleet, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
