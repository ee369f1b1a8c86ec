// The head-office console's API (docs/console.md) against the real central binary, on SQLite and
// PostgreSQL: accounts bootstrapped with the admin token (and kioskctl), sessions in HttpOnly
// SameSite=Strict cookies, CSRF on every write, no session fixation, lockout, the role table and the
// audit of every write.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "console_fixture.hpp"
#include "loyalty/time.hpp"

namespace central_test {
namespace {

class ConsoleApi : public ConsoleFixture {};

TEST_P(ConsoleApi, ALoginSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession) {
    addUser("an.owner", "owner");
    EXPECT_EQ(login("an.owner", "wrong password!").code(), "login_failed");
    EXPECT_EQ(login("nobody.here", kPassword).code(), "login_failed");
    auto r = login("an.owner", kPassword);
    ASSERT_EQ(r.status, 200) << r.body.dump();
    const auto cookie = r.header("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(r.body["user"]["role"], "owner");
    const Session s{"kc_session=" + sessionToken(r), r.body["csrf_token"]};
    EXPECT_EQ(call(s, "GET", "/v1/console/session").body["user"]["username"], "an.owner");
    EXPECT_EQ(call(Session{"", ""}, "GET", "/v1/console/session").code(), "unauthorized");
    EXPECT_EQ(call(s, "POST", "/v1/console/logout", nullptr, "").code(), "csrf_failed");
    EXPECT_EQ(call(s, "POST", "/v1/console/logout").status, 200);
    EXPECT_EQ(call(s, "GET", "/v1/console/session").code(), "unauthorized");
    // The admin token bootstraps accounts; a kiosk's credential may not.
    const auto kiosk = enrollDevKiosk(central());
    EXPECT_EQ(central()
                  .post("/v1/admin/console/users", kiosk,
                        Json{{"username", "intruder"}, {"password", kPassword}, {"role", "owner"}})
                  .code(),
              "forbidden");
    EXPECT_EQ(central()
                  .post("/v1/admin/console/users", kAdmin,
                        Json{{"username", "an.owner"}, {"password", kPassword}, {"role", "owner"}})
                  .code(),
              "username_taken");
    EXPECT_EQ(central()
                  .post("/v1/admin/console/users", kAdmin,
                        Json{{"username", "short.pw"}, {"password", "short"}, {"role", "owner"}})
                  .code(),
              "invalid_field");
}

TEST_P(ConsoleApi, ASessionIdPlantedBeforeLoginIsNeverTheSessionAfterIt) {
    addUser("an.owner", "owner");
    const std::string planted = "ATTACKERCHOSENSESSIONIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    auto r = login("an.owner", kPassword, {{"Cookie", "kc_session=" + planted}});
    ASSERT_EQ(r.status, 200);
    const auto issued = sessionToken(r);
    EXPECT_FALSE(issued.empty());
    EXPECT_NE(issued, planted);
    EXPECT_EQ(call(Session{"kc_session=" + planted, ""}, "GET", "/v1/console/session").code(),
              "unauthorized");
    EXPECT_NE(sessionToken(login("an.owner", kPassword)), issued);  // every login a new id
}

TEST_P(ConsoleApi, EveryWriteNeedsThisSessionsCsrfToken) {
    addUser("an.owner", "owner");
    const auto s = session("an.owner");
    const auto other = session("an.owner");
    const std::vector<std::pair<std::string, std::string>> writes{
        {"POST", "/v1/console/users"},
        {"POST", "/v1/console/kiosks/K-DEV-01/revoke"},
        {"POST", "/v1/console/kiosks/K-DEV-01/commands"},
        {"POST", "/v1/console/members/0901234567/adjust"},
        {"PUT", "/v1/console/rewards/R1"},
        {"POST", "/v1/console/logout"},  // last: the right token ends the session
    };
    for (const auto& [method, path] : writes) {
        EXPECT_EQ(call(s, method, path, Json::object(), "").code(), "csrf_failed") << path;
        EXPECT_EQ(call(s, method, path, Json::object(), "forged").code(), "csrf_failed") << path;
        EXPECT_EQ(call(s, method, path, Json::object(), other.csrf).code(), "csrf_failed") << path;
        EXPECT_NE(call(s, method, path, Json::object()).code(), "csrf_failed") << path;
    }
}

TEST_P(ConsoleApi, FiveWrongPasswordsLockTheAccountForFifteenMinutes) {
    addUser("a.support", "support");
    for (int i = 0; i < 4; ++i) EXPECT_EQ(login("a.support", "not the password").code(), "login_failed") << i;
    auto fifth = login("a.support", "not the password");
    EXPECT_EQ(fifth.code(), "account_locked");
    EXPECT_FALSE(fifth.header("Retry-After").empty());
    EXPECT_EQ(login("a.support", kPassword).code(), "account_locked");
    ASSERT_EQ(central().post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", 16 * 60}}).status, 200);
    ASSERT_EQ(login("a.support", kPassword).status, 200);
    // A success clears the count: four more wrong ones do not lock.
    for (int i = 0; i < 4; ++i) EXPECT_EQ(login("a.support", "not the password").code(), "login_failed");
    EXPECT_EQ(login("a.support", kPassword).status, 200);

    addUser("an.owner", "owner");
    int failures = 0;
    for (const auto& e : audit(session("an.owner")))
        if (e["action"] == "login_failed" && e["target"] == "a.support") ++failures;
    EXPECT_EQ(failures, 9);
}

/// docs/console.md's table, written out here on its own: each role, what it may do.
const std::map<std::string, std::set<std::string>> kTable{
    {"owner",
     {"fleet.view", "fleet.act", "members.search", "members.reveal", "members.adjust", "members.return",
      "members.export", "members.erase", "members.merge", "campaign.view", "rewards.edit", "reports.view",
      "audit.view", "users.manage"}},
    {"marketing", {"campaign.view", "rewards.edit", "reports.view"}},
    {"store_manager", {"fleet.view", "reports.view"}},
    {"support",
     {"members.search", "members.reveal", "members.adjust", "members.return", "members.export",
      "members.merge"}},
    {"technician", {"fleet.view", "fleet.act"}},
};

TEST_P(ConsoleApi, EachRoleCanDoExactlyItsColumnOfThePermissionTable) {
    const auto today = loyalty::formatLocalDate(loyalty::localDate(now()));
    struct Probe {
        std::string permission, method, path;
        Json body;
    };
    const std::vector<Probe> probes{
        {"fleet.view", "GET", "/v1/console/kiosks", nullptr},
        {"fleet.act", "POST", "/v1/console/kiosks/NO-SUCH/commands", Json{{"command", "resync"}}},
        {"members.search", "GET", "/v1/console/members/0909999999", nullptr},
        {"members.reveal", "GET", "/v1/console/members/0909999999?reason=ticket-1", nullptr},
        {"members.adjust", "POST", "/v1/console/members/0909999999/adjust",
         Json{{"points", 1}, {"reason", "r"}, {"idempotency_key", "k1"}}},
        {"members.return", "POST", "/v1/console/returns",
         Json{{"receipt_id", "NO-SUCH/1"}, {"amount_dong", 1}, {"reason", "r"}, {"idempotency_key", "k2"}}},
        {"members.export", "GET", "/v1/console/members/0909999999/export?reason=ticket-2", nullptr},
        {"members.erase", "POST", "/v1/console/members/0909999999/erase", Json{{"reason", "PDPL"}}},
        {"members.merge", "POST", "/v1/console/members/0909999999/merge/code", Json{{"into", "0909999998"}}},
        {"campaign.view", "GET", "/v1/console/campaign", nullptr},
        {"rewards.edit", "PUT", "/v1/console/rewards/R-X", Json{{"bad", true}}},
        {"reports.view", "GET", "/v1/console/reports/points?from=" + today + "&to=" + today, nullptr},
        {"reports.view", "GET", "/v1/console/reports?from=" + today + "&to=" + today, nullptr},
        {"fleet.act", "POST", "/v1/console/enrollment-codes", Json{{"kiosk_id", "K-X"}, {"store", "NOPE"}}},
        {"audit.view", "GET", "/v1/console/audit", nullptr},
        {"users.manage", "GET", "/v1/console/users", nullptr},
    };
    for (const auto& [role, allowed] : kTable) {
        addUser("u." + role, role, role == "store_manager" ? Json{"DEV001"} : Json::array());
        const auto s = session("u." + role);
        const auto me = call(s, "GET", "/v1/console/session").body["user"]["permissions"];
        EXPECT_EQ(me.size(), allowed.size()) << role;
        for (const auto& p : probes) {
            const auto r = call(s, p.method, p.path, p.body);
            EXPECT_NE(r.status, 0) << r.transportError;
            EXPECT_EQ(r.code() == "forbidden", !allowed.contains(p.permission))
                << role << " " << p.permission << " " << r.status << " " << r.body.dump();
        }
    }
}

TEST_P(ConsoleApi, AMemberIsMaskedUntilAReasonIsGivenAndEveryWriteIsAudited) {
    const auto kiosk = enrollDevKiosk(central());
    const auto claim = central().post(
        "/v1/claims", kiosk, claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), "0901234567"));
    ASSERT_EQ(claim.status, 200) << claim.body.dump();
    const auto balance = claim.body["balance"].get<std::int64_t>();
    addUser("a.support", "support");
    addUser("an.owner", "owner");
    const auto support = session("a.support");

    auto masked = call(support, "GET", "/v1/console/members/0901234567");
    ASSERT_EQ(masked.status, 200) << masked.body.dump();
    EXPECT_FALSE(masked.body.contains("phone"));
    EXPECT_FALSE(masked.body.contains("history"));
    EXPECT_EQ(masked.body["balance"], balance);
    EXPECT_EQ(masked.body["revealed"], false);
    auto shown = call(support, "GET", "/v1/console/members/0901234567?reason=ticket%2042");
    ASSERT_EQ(shown.status, 200) << shown.body.dump();
    EXPECT_EQ(shown.body["phone"], "+84901234567");
    EXPECT_FALSE(shown.body["history"].empty());

    const Json adjust{{"points", -7}, {"reason", "<img src=x onerror=alert(1)>"}, {"idempotency_key", "c-1"}};
    ASSERT_EQ(call(support, "POST", "/v1/console/members/0901234567/adjust", adjust).status, 200);
    ASSERT_EQ(call(support, "POST", "/v1/console/members/0901234567/adjust", adjust).status, 200);  // replay

    const auto entries = audit(session("an.owner"));
    std::vector<Json> adjusts, reveals;
    for (const auto& e : entries) {
        if (e["action"] == "member.adjust") adjusts.push_back(e);
        if (e["action"] == "member.reveal") reveals.push_back(e);
    }
    ASSERT_EQ(adjusts.size(), 1u);  // the replay wrote nothing, so nothing more is audited
    EXPECT_EQ(adjusts[0]["actor"], "a.support");
    EXPECT_EQ(adjusts[0]["address"], "127.0.0.1");
    EXPECT_EQ(adjusts[0]["target"], "+84901234567");
    EXPECT_EQ(adjusts[0]["reason"], "<img src=x onerror=alert(1)>");
    EXPECT_EQ(adjusts[0]["before"]["balance"], balance);
    EXPECT_EQ(adjusts[0]["after"]["balance"], balance - 7);
    EXPECT_GT(adjusts[0]["at"].get<std::int64_t>(), 0);
    ASSERT_EQ(reveals.size(), 1u);
    EXPECT_EQ(reveals[0]["reason"], "ticket 42");
}

TEST_P(ConsoleApi, SupportSeesAndWithdrawsMarketingConsentAudited) {
    const auto kiosk = enrollDevKiosk(central());
    auto body = claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), "0901234568");
    body["consent"]["marketing"] = true;
    ASSERT_EQ(central().post("/v1/claims", kiosk, body).status, 200);
    addUser("a.support", "support");
    addUser("a.marketer", "marketing");
    addUser("an.owner", "owner");
    const auto support = session("a.support");
    const auto path = std::string("/v1/console/members/0901234568");

    auto shown = call(support, "GET", path);
    ASSERT_EQ(shown.status, 200) << shown.body.dump();
    EXPECT_EQ(shown.body["consent"]["marketing"], true) << "shown even while the member is masked";
    EXPECT_EQ(shown.body["consent"]["source"].get<std::string>().rfind("kiosk:", 0), 0u);
    EXPECT_GT(shown.body["consent"]["at"].get<std::int64_t>(), 0);

    const Json why{{"reason", "asked by phone, ticket 7"}};
    EXPECT_EQ(call(support, "POST", path + "/consent/withdraw", why, "").status, 403) << "no CSRF token";
    EXPECT_EQ(call(session("a.marketer"), "POST", path + "/consent/withdraw", why).status, 403);
    EXPECT_EQ(call(support, "POST", path + "/consent/withdraw", Json::object()).status, 400) << "no reason";
    auto done = call(support, "POST", path + "/consent/withdraw", why);
    ASSERT_EQ(done.status, 200) << done.body.dump();
    EXPECT_EQ(done.body["consent"]["marketing"], false);
    EXPECT_EQ(done.body["consent"]["source"], "console:a.support");
    EXPECT_EQ(call(support, "GET", path).body["consent"]["source"], "console:a.support");

    std::vector<Json> withdrawals;
    for (const auto& e : audit(session("an.owner")))
        if (e["action"] == "member.consent_withdraw") withdrawals.push_back(e);
    ASSERT_EQ(withdrawals.size(), 1u);
    EXPECT_EQ(withdrawals[0]["actor"], "a.support");
    EXPECT_EQ(withdrawals[0]["target"], "+84901234568");
    EXPECT_EQ(withdrawals[0]["reason"], "asked by phone, ticket 7");
    EXPECT_EQ(withdrawals[0]["before"]["marketing"], true);
    EXPECT_EQ(withdrawals[0]["after"]["marketing"], false);
}

TEST_P(ConsoleApi, AStoreManagerSeesOnlyTheirStoresKiosksAndFigures) {
    const auto kiosk = enrollDevKiosk(central());
    ASSERT_EQ(central()
                  .post("/v1/claims", kiosk,
                        claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), "0901234567"))
                  .status,
              200);
    addUser("mgr.dev", "store_manager", Json{"DEV001"});
    addUser("mgr.other", "store_manager", Json{"HCM002"});
    addUser("a.tech", "technician");
    const auto today = loyalty::formatLocalDate(loyalty::localDate(now()));
    const auto report = "/v1/console/reports/points?from=" + today + "&to=" + today;
    const auto mine = session("mgr.dev");
    const auto theirs = session("mgr.other");
    EXPECT_EQ(call(mine, "GET", "/v1/console/kiosks").body["kiosks"].size(), 1u);
    EXPECT_EQ(call(theirs, "GET", "/v1/console/kiosks").body["kiosks"].size(), 0u);
    EXPECT_EQ(call(mine, "GET", report).body["rows"].size(), 1u);
    EXPECT_EQ(call(theirs, "GET", report).body["rows"].size(), 0u);
    EXPECT_EQ(central()
                  .post("/v1/admin/console/users", kAdmin,
                        Json{{"username", "mgr.none"}, {"password", kPassword}, {"role", "store_manager"}})
                  .code(),
              "invalid_field");

    const auto tech = session("a.tech");
    EXPECT_EQ(call(tech, "POST", "/v1/console/kiosks/K-DEV-01/revoke").status, 200);
    EXPECT_EQ(central().get("/v1/kiosks/K-DEV-01/config", kiosk).code(), "kiosk_revoked");
}

TEST_P(ConsoleApi, ThePagesAreServedWithAStrictContentSecurityPolicyAndNothingElse) {
    auto page = central().get("/console/", "");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
    const auto csp = page.header("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_NE(page.header("X-Content-Type-Options"), "");
    for (const char* path : {"/console/../../etc/passwd", "/console/%2e%2e/assets/config/central.toml",
                             "/console/nothing.html", "/console/CMakeLists.txt"})
        EXPECT_EQ(central().get(path, "").status, 404) << path;
}

TEST_P(ConsoleApi, KioskctlBootstrapsTheFirstOwnerWithTheAdminToken) {
    TempDir dir;
    const auto passwordFile = dir.path().string() + "/password";
    std::ofstream(passwordFile) << kPassword << "\n";
    const auto command =
        std::string(KIOSK_BINARY_DIR) +
        "/bin/kioskctl console add-user --url http://127.0.0.1:" + std::to_string(central().port()) +
        " --username first.owner --password-file " + passwordFile + " > " + dir.path().string() + "/out 2>&1";
    ::setenv("LOYALTY_ADMIN_TOKEN", kAdmin, 1);
    ASSERT_EQ(std::system(command.c_str()), 0);
    EXPECT_EQ(login("first.owner", kPassword).body["user"]["role"], "owner");
    ::setenv("LOYALTY_ADMIN_TOKEN", "wrong-token", 1);
    EXPECT_NE(std::system(command.c_str()), 0);
    ::unsetenv("LOYALTY_ADMIN_TOKEN");
}

/// The pages in real Chromium (Debian's, headless, over the DevTools protocol): log in, every page
/// in vi and en at desktop and phone widths, a receipt returned from the member page (balance and
/// tier fall); a hostile reason shows as text and runs nothing. The
/// screenshots are kept in build/console-screenshots/ to be looked at.
TEST(ConsoleBrowser, EveryPageInViAndEnShowsHostileTextAsText) {
    constexpr std::int64_t kReturnDong = 11'000'000;
    constexpr const char* kOutOfService = "Đang bảo trì máy in";
    if (std::system("command -v chromium > /dev/null && command -v node > /dev/null") != 0)
        GTEST_SKIP() << "chromium or node is not installed (scripts/setup installs them)";
    CentralProcess central(CentralProcess::Options{"", "", ""});
    ASSERT_EQ(central
                  .post("/v1/admin/console/users", kAdmin,
                        Json{{"username", "an.owner"}, {"password", kPassword}, {"role", "owner"}})
                  .status,
              201);
    const auto kiosk = enrollDevKiosk(central);
    ASSERT_EQ(central
                  .post("/v1/kiosks/K-DEV-01/heartbeat", kiosk,
                        Json{{"version", "0.1.0"},
                             {"uptime_s", 60},
                             {"outbox_depth", 2},
                             {"health",
                              {{"camera", "ok"},
                               {"printer", "paper_low"},
                               {"theme", "refused: primary: white text on it is 1.07:1, needs 4.5:1"}}}})
                  .status,
              200);
    ASSERT_EQ(central
                  .post("/v1/claims", kiosk,
                        claimBody(signReceipt(uniqueNumber(), kReturnDong, now() - 60), "0901234567"))
                  .status,
              200);  // Gold: the page returns this receipt and sees the member fall to Silver
    ASSERT_EQ(central
                  .post("/v1/claims", kiosk,
                        claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), "0907654321"))
                  .status,
              200);  // the page erases this one
    ASSERT_EQ(central
                  .post("/v1/claims", kiosk,
                        claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), "0912345678"))
                  .status,
              200);  // the page merges this one into the first
    ASSERT_EQ(central
                  .post("/v1/admin/console/users", kAdmin,
                        Json{{"username", "support.x"},
                             {"password", kPassword},
                             {"role", "support"},
                             {"display_name", "<img src=x onerror=\"window.__xss=1\">"}})
                  .status,
              201);
    auto login = central.request("POST", "/v1/console/login", "",
                                 Json{{"username", "support.x"}, {"password", kPassword}}.dump());
    ASSERT_EQ(login.status, 200);
    const auto cookie = "kc_session=" + sessionToken(login);
    auto adjusted = central.request(
        "POST", "/v1/console/members/0901234567/adjust", "",
        Json{{"points", 5}, {"reason", "<img src=x onerror=\"window.__xss=1\">"}, {"idempotency_key", "b-1"}}
            .dump(),
        "application/json",
        {{"Cookie", cookie}, {"X-CSRF-Token", login.body["csrf_token"].get<std::string>()}});
    ASSERT_EQ(adjusted.status, 200) << adjusted.body.dump();
    const std::string out = std::string(KIOSK_BINARY_DIR) + "/console-screenshots";
    const auto command =
        "mkdir -p " + out + " && node --experimental-websocket " + KIOSK_SOURCE_DIR +
        "/tests/central/console_browser.mjs http://127.0.0.1:" + std::to_string(central.port()) +
        " an.owner '" + kPassword + "' " + out + " " + std::to_string(kReturnDong) + " '" + kOutOfService +
        "' " + central.dataDir() + "/otp-outbox.jsonl 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    // The kiosk the page took out of service gets it with its next heartbeat.
    const auto beat = central.post("/v1/kiosks/K-DEV-01/heartbeat", kiosk, Json{{"version", "0.1.0"}});
    ASSERT_EQ(beat.status, 200) << beat.body.dump();
    const Json expected{
        {"type", "out_of_service"}, {"on", true}, {"message_vi", kOutOfService}, {"message_en", ""}};
    EXPECT_NE(std::find(beat.body["commands"].begin(), beat.body["commands"].end(), expected),
              beat.body["commands"].end())
        << beat.body.dump();
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleApi, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
