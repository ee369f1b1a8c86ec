// The console's second factor (docs/console.md "Second factor"): RFC 6238's own test vectors for the
// codes, then against the real central binary on SQLite and PostgreSQL: set up with the otpauth://
// link, turned on with a code, asked for at login, each code good once, wrong codes counted toward the
// lockout, every step audited without the secret.

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "console_fixture.hpp"
#include "loyalty/base32.hpp"
#include "ops/console_totp.hpp"

namespace central_test {
namespace {

/// RFC 6238 Appendix B, SHA-1 (the key is "12345678901234567890"; 8 digits there, 6 here: the last 6).
TEST(ConsoleTotpCodes, RfcSixTwoThreeEightVectors) {
    const std::string key = "12345678901234567890";
    const std::vector<std::pair<std::int64_t, std::string>> vectors{
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    for (const auto& [time, code] : vectors) {
        EXPECT_EQ(central::hotp(key, static_cast<std::uint64_t>(time / 30), 8), code) << time;
        EXPECT_EQ(central::hotp(key, static_cast<std::uint64_t>(time / 30)), code.substr(2)) << time;
    }
    const std::vector<std::uint8_t> bytes(key.begin(), key.end());
    const auto secret = loyalty::encodeBase32(bytes);
    EXPECT_EQ(central::acceptedTotpStep(secret, "287082", 59, 0), 1);
    EXPECT_EQ(central::acceptedTotpStep(secret, "287082", 59 + 30, 0), 1) << "one step of drift";
    EXPECT_EQ(central::acceptedTotpStep(secret, "287082", 59 + 60, 0), std::nullopt);
    EXPECT_EQ(central::acceptedTotpStep(secret, "287082", 59, 1), std::nullopt) << "a step used once";
    for (const char* bad : {"", "28708", "2870820", "28708x", "abcdef"})
        EXPECT_EQ(central::acceptedTotpStep(secret, bad, 59, 0), std::nullopt) << bad;
    EXPECT_EQ(central::otpauthUri("Loyalty HQ", "an.owner", secret),
              "otpauth://totp/Loyalty%20HQ:an.owner?secret=" + secret +
                  "&issuer=Loyalty%20HQ&algorithm=SHA1&digits=6&period=30");
}

class ConsoleTotp : public ConsoleFixture {
  protected:
    /// The code the app shows for `secret` at `at`.
    static std::string codeAt(const std::string& secret, loyalty::UnixSeconds at) {
        const auto key = loyalty::decodeBase32(secret);
        if (!key) return "";
        return central::hotp(std::string(key->begin(), key->end()), static_cast<std::uint64_t>(at / 30));
    }
    Response loginWith(const std::string& name, const std::string& code) const {
        return central().request("POST", "/v1/console/login", "",
                                 Json{{"username", name}, {"password", kPassword}, {"totp", code}}.dump());
    }
};

TEST_P(ConsoleTotp, ASecondFactorIsAskedAtLoginAndEachCodeWorksOnce) {
    addUser("a.support", "support");
    addUser("an.owner", "owner");
    const auto s = session("a.support");
    EXPECT_EQ(call(s, "POST", "/v1/console/totp/setup", nullptr, "").code(), "csrf_failed");
    const auto setup = call(s, "POST", "/v1/console/totp/setup");
    ASSERT_EQ(setup.status, 200) << setup.body.dump();
    const auto secret = setup.body["secret"].get<std::string>();
    EXPECT_EQ(setup.body["uri"], "otpauth://totp/Loyalty:a.support?secret=" + secret +
                                     "&issuer=Loyalty&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(call(s, "GET", "/v1/console/session").body["user"]["totp"], false) << "not on before a code";
    EXPECT_EQ(login("a.support", kPassword).status, 200);

    const auto first = codeAt(secret, now());
    const auto wrong = first == "000000" ? std::string("111111") : std::string("000000");
    EXPECT_EQ(call(s, "POST", "/v1/console/totp/enable", Json{{"code", wrong}}).code(), "totp_failed");
    ASSERT_EQ(call(s, "POST", "/v1/console/totp/enable", Json{{"code", first}}).status, 200);
    EXPECT_EQ(call(s, "GET", "/v1/console/session").body["user"]["totp"], true);
    EXPECT_EQ(call(s, "POST", "/v1/console/totp/setup").code(), "totp_enabled") << "no silent replacement";

    EXPECT_EQ(login("a.support", kPassword).code(), "totp_required");
    EXPECT_EQ(loginWith("a.support", wrong).code(), "login_failed");
    EXPECT_EQ(loginWith("a.support", first).code(), "login_failed") << "the code that turned it on is spent";
    ASSERT_EQ(central().post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", 60}}).status, 200);
    const auto later = codeAt(secret, now() + 60);
    const auto in = loginWith("a.support", later);
    ASSERT_EQ(in.status, 200) << in.body.dump();
    EXPECT_EQ(in.body["user"]["totp"], true);
    EXPECT_EQ(loginWith("a.support", later).code(), "login_failed") << "each code once";
    // Five failures in a row since the last success (the replay, three wrong codes, the fifth): wrong
    // codes count like wrong passwords.
    for (int i = 0; i < 3; ++i) EXPECT_EQ(loginWith("a.support", wrong).code(), "login_failed") << i;
    EXPECT_EQ(loginWith("a.support", wrong).code(), "account_locked");

    std::vector<std::string> actions;
    for (const auto& e : audit(session("an.owner"))) {
        if (e["target"] != "a.support") continue;
        actions.push_back(e["action"].get<std::string>());
        EXPECT_EQ(e.dump().find(secret), std::string::npos) << "the secret is never in the audit";
    }
    const auto count = [&](const std::string& action) {
        return std::count(actions.begin(), actions.end(), action);
    };
    EXPECT_EQ(count("user.totp_setup"), 1);
    EXPECT_EQ(count("user.totp_enable"), 1);
    EXPECT_EQ(count("login_failed"), 7);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsoleTotp, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
