// Staff of the maintenance mode (issue 13) against the real central binary, on SQLite and PostgreSQL:
// PINs issued per member (only an Argon2id string is stored and sent to kiosks), revocation reaching
// the configuration, hostile bodies refused whole, and the staff actions kiosks report stored once and
// listed in the console's audit with the member's id.

#include <gtest/gtest.h>
#include <sodium.h>

#include "central_harness.hpp"

namespace central_test {
namespace {

constexpr const char* kPassword = "correct horse battery";

class StaffApi : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        ASSERT_GE(sodium_init(), 0);
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", ""});
        m_kiosk = enrollDevKiosk(*m_central);
    }
    const CentralProcess& central() const { return *m_central; }
    Response issue(const std::string& id, const std::string& pin, const std::string& auth = kAdmin) const {
        return central().post("/v1/admin/staff", auth,
                              Json{{"staff_id", id}, {"name", "Trần Văn " + id}, {"pin", pin}});
    }
    Json configStaff() const {
        auto r = central().get("/v1/kiosks/K-DEV-01/config", m_kiosk);
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body["staff"];
    }
    Response report(const Json& actions, const std::string& kiosk = "K-DEV-01") const {
        return central().post("/v1/kiosks/" + kiosk + "/staff-actions", m_kiosk, Json{{"actions", actions}});
    }

    std::unique_ptr<CentralProcess> m_central;
    std::string m_kiosk;
};

TEST_P(StaffApi, APinIsIssuedPerMemberAndKiosksGetOnlyItsArgon2idString) {
    auto r = issue("T-01", "482913");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["staff"]["staff_id"], "T-01");
    EXPECT_EQ(r.body["staff"]["revoked"], false);
    EXPECT_EQ(r.body.dump().find("482913"), std::string::npos);
    EXPECT_FALSE(r.body["staff"].contains("pin_hash"));

    const Json staff = configStaff();
    ASSERT_EQ(staff.size(), 1U);
    EXPECT_EQ(staff[0]["staff_id"], "T-01");
    const std::string hash = staff[0]["pin_hash"];
    EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
    EXPECT_EQ(staff.dump().find("482913"), std::string::npos);
    EXPECT_EQ(crypto_pwhash_str_verify(hash.c_str(), "482913", 6), 0);
    EXPECT_NE(crypto_pwhash_str_verify(hash.c_str(), "482914", 6), 0);

    // Refused whole, nothing stored: short, long or non-digit PINs, unknown fields, taken ids, a PIN
    // another member has (a kiosk could not tell who typed it), a kiosk's credential.
    EXPECT_EQ(issue("T-02", "12345").code(), "invalid_field");
    EXPECT_EQ(issue("T-02", "123456789").code(), "invalid_field");
    EXPECT_EQ(issue("T-02", "12a456").code(), "invalid_field");
    EXPECT_EQ(issue("T 02", "123456").code(), "invalid_field");
    EXPECT_EQ(central()
                  .post("/v1/admin/staff", kAdmin,
                        Json{{"staff_id", "T-02"}, {"name", "x"}, {"pin", "123456"}, {"role", "owner"}})
                  .code(),
              "unknown_field");
    EXPECT_EQ(issue("T-01", "555555").code(), "staff_exists");
    EXPECT_EQ(issue("T-02", "482913").code(), "pin_in_use");
    EXPECT_EQ(issue("T-02", "123456", m_kiosk).status, 403);
    EXPECT_EQ(configStaff().size(), 1U);
}

TEST_P(StaffApi, RevocationReachesTheKioskAtItsNextConfigPull) {
    ASSERT_EQ(issue("T-01", "482913").status, 200);
    ASSERT_EQ(issue("T-02", "771203").status, 200);
    auto before = central().get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    ASSERT_EQ(before.body["staff"].size(), 2U);

    auto revoked = central().post("/v1/admin/staff/T-01/revoke", kAdmin, Json::object());
    ASSERT_EQ(revoked.status, 200) << revoked.body.dump();
    EXPECT_EQ(revoked.body["staff"]["revoked"], true);
    EXPECT_EQ(central().post("/v1/admin/staff/NOPE/revoke", kAdmin, Json::object()).status, 404);

    // The document changed, so the kiosk's conditional pull gets it (not a 304) without T-01.
    auto after = central().request("GET", "/v1/kiosks/K-DEV-01/config", m_kiosk, "", "application/json",
                                   {{"If-None-Match", before.header("ETag")}});
    ASSERT_EQ(after.status, 200);
    ASSERT_EQ(after.body["staff"].size(), 1U);
    EXPECT_EQ(after.body["staff"][0]["staff_id"], "T-02");

    // Head office still sees who was revoked: the audit names them.
    auto list = central().get("/v1/admin/staff", kAdmin);
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.body["staff"].size(), 2U);
    EXPECT_EQ(list.body["staff"][0]["revoked"], true);
    EXPECT_EQ(list.body.dump().find("argon2"), std::string::npos);
}

TEST_P(StaffApi, StaffActionsAreStoredOnceAndListedInTheConsoleAudit) {
    auto owner = central().post("/v1/admin/console/users", kAdmin,
                                Json{{"username", "owner"}, {"password", kPassword}, {"role", "owner"}});
    ASSERT_EQ(owner.status, 201) << owner.body.dump();
    const Json actions = Json::array(
        {Json{
             {"key", "k-1"}, {"staff_id", "T-01"}, {"action", "test_print"}, {"detail", "ok"}, {"at", now()}},
         Json{{"key", "k-2"}, {"staff_id", "T-01"}, {"action", "out_of_service_on"}, {"at", now()}}});
    auto first = report(actions);
    ASSERT_EQ(first.status, 200) << first.body.dump();
    EXPECT_EQ(first.body["stored"], 2);
    auto again = report(actions);  // the answer was lost: the kiosk sends the batch again
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.body["stored"], 0);

    // Hostile batches are refused whole.
    EXPECT_EQ(
        report(Json::array({Json{{"key", "k-3"}, {"staff_id", "T-01"}, {"action", "DROP TABLE"}, {"at", 1}}}))
            .code(),
        "invalid_field");
    EXPECT_EQ(report(Json::array(
                         {Json{{"key", "k-4"}, {"staff_id", "T-01"}, {"action", "x"}, {"at", 1}, {"y", 1}}}))
                  .code(),
              "unknown_field");
    EXPECT_EQ(report(Json::array()).code(), "invalid_field");
    EXPECT_EQ(report(actions, "K-OTHER").status, 403);

    auto login =
        central().post("/v1/console/login", "", Json{{"username", "owner"}, {"password", kPassword}});
    ASSERT_EQ(login.status, 200);
    const auto cookie = login.header("Set-Cookie");
    auto audit = central().request("GET", "/v1/console/audit", "", "", "application/json",
                                   {{"Cookie", cookie.substr(0, cookie.find(';'))}});
    ASSERT_EQ(audit.status, 200) << audit.body.dump();
    int staffRows = 0;
    for (const auto& e : audit.body["entries"]) {
        if (e["actor"] != "staff:T-01") continue;
        ++staffRows;
        EXPECT_EQ(e["address"], "K-DEV-01");
        EXPECT_EQ(e["target"], "K-DEV-01");
        EXPECT_TRUE(e["action"] == "staff.test_print" || e["action"] == "staff.out_of_service_on")
            << e.dump();
    }
    EXPECT_EQ(staffRows, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffApi, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
