// central with the tools and services around it: `kioskctl load` (the real binary) and the OTP webhook
// notifier (a fake SMS gateway on loopback, run by this test).

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <mutex>
#include <thread>

#include "central_harness.hpp"

namespace central_test {
namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe)) out += buffer.data();
    pclose(pipe);
    return out;
}

TEST(CentralTools, KioskctlLoadReportsClaimsPerSecondAndLatency) {
    CentralProcess central(CentralProcess::Options{});
    const auto out = run(
        std::string("LOYALTY_ADMIN_TOKEN=") + kAdmin +
        " " KIOSK_BINARY_DIR "/bin/kioskctl load --url http://127.0.0.1:" + std::to_string(central.port()) +
        " --claims 200 --concurrency 4 --members 50 --key " KIOSK_SOURCE_DIR
        "/assets/samples/DEV001.key 2>&1");
    EXPECT_NE(out.find("accepted      200 ("), std::string::npos) << out;
    EXPECT_NE(out.find("claims/s"), std::string::npos) << out;
    EXPECT_NE(out.find("p99"), std::string::npos) << out;
    EXPECT_NE(out.find("status 200    200"), std::string::npos) << out;
    const auto bad =
        run(std::string("LOYALTY_ADMIN_TOKEN=wrong " KIOSK_BINARY_DIR
                        "/bin/kioskctl load --url http://127.0.0.1:") +
            std::to_string(central.port()) +
            " --claims 5 --key " KIOSK_SOURCE_DIR "/assets/samples/DEV001.key 2>&1; echo exit=$?");
    EXPECT_NE(bad.find("exit=1"), std::string::npos) << bad;
}

TEST(CentralTools, KioskctlEnrollCodeAndRevoke) {
    CentralProcess central(CentralProcess::Options{});
    const std::string base =
        std::string("LOYALTY_ADMIN_TOKEN=") + kAdmin + " " KIOSK_BINARY_DIR "/bin/kioskctl ";
    const std::string url = " --url http://127.0.0.1:" + std::to_string(central.port());
    const auto out = run(base + "enroll-code" + url + " --kiosk K-77 --store DEV001 2>&1");
    ASSERT_EQ(out.rfind("ENR-", 0), 0u) << out;
    const auto code = out.substr(0, out.find('\n'));
    auto enrolled = central.post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}});
    ASSERT_EQ(enrolled.status, 200) << enrolled.body.dump();
    EXPECT_EQ(enrolled.body["kiosk_id"], "K-77");
    const auto credential = enrolled.body["credential"].get<std::string>();
    EXPECT_EQ(central.get("/v1/kiosks/K-77/config", credential).status, 200);
    EXPECT_NE(run(base + "revoke" + url + " --kiosk K-77 2>&1").find("revoked"), std::string::npos);
    EXPECT_EQ(central.get("/v1/kiosks/K-77/config", credential).code(), "kiosk_revoked");
    const auto refused = run(base + "enroll-code" + url + " --kiosk K-78 --store NOPE 2>&1; echo exit=$?");
    EXPECT_NE(refused.find("not_found"), std::string::npos) << refused;
    EXPECT_NE(refused.find("exit=1"), std::string::npos) << refused;
}

TEST(CentralTools, OtpGoesThroughTheWebhookAndAFailingGatewayIssuesNoCode) {
    httplib::Server gateway;
    std::mutex mutex;
    std::vector<Json> received;
    int answer = 200;
    gateway.Post("/sms", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex);
        received.push_back(Json::parse(req.body, nullptr, false));
        res.status = answer;
    });
    const int port = gateway.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { gateway.listen_after_bind(); });

    CentralProcess central(CentralProcess::Options{
        "", "", "otp_webhook_url = \"http://127.0.0.1:" + std::to_string(port) + "/sms\"\n"});
    const auto kiosk = enrollDevKiosk(central);
    ASSERT_EQ(
        central.post("/v1/claims", kiosk, claimBody(signReceipt("W-1", 5'000'000, now() - 60), "0901234567"))
            .status,
        200);
    ASSERT_EQ(central.post("/v1/otp", kiosk, Json{{"phone", "0901234567"}}).status, 200);
    std::string code;
    {
        std::lock_guard lock(mutex);
        ASSERT_EQ(received.size(), 1u);
        EXPECT_EQ(received[0]["phone"], "+84901234567");
        code = received[0]["code"].get<std::string>();
        answer = 500;
    }
    EXPECT_EQ(code.size(), 6u);
    auto failed = central.post("/v1/otp", kiosk, Json{{"phone", "0901234567"}});
    EXPECT_EQ(failed.status, 503);
    EXPECT_EQ(failed.code(), "notifier_unavailable");
    std::string undelivered;
    {
        std::lock_guard lock(mutex);
        ASSERT_EQ(received.size(), 2u);
        undelivered = received[1]["code"].get<std::string>();
    }
    // The code the gateway never delivered was withdrawn: it does not redeem.
    auto r = central.post("/v1/redemptions", kiosk,
                          Json{{"idempotency_key", newKey()},
                               {"phone", "0901234567"},
                               {"reward_id", "CAFE-20K"},
                               {"otp", undelivered}});
    EXPECT_EQ(r.code(), "otp_invalid");
    gateway.stop();
    serving.join();
}

TEST(CentralTools, PointsExpireFifoAfterTheCampaignsMonths) {
    CentralProcess central(CentralProcess::Options{});
    const auto kiosk = enrollDevKiosk(central);
    ASSERT_EQ(
        central.post("/v1/claims", kiosk, claimBody(signReceipt("E-1", 250'000, now() - 60), "0901234567"))
            .status,
        200);  // 25 + 50 sign-up bonus
    // 800 days pass on central's clock (a --demo central's test clock): the earned lot is past its
    // expiry (12 months after the end of its month); the goodwill points given after are fresh.
    ASSERT_EQ(central.post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", 800 * 86400}}).status, 200);
    ASSERT_EQ(central
                  .post("/v1/admin/members/0901234567/adjust", kAdmin,
                        Json{{"points", 500}, {"reason", "goodwill"}, {"idempotency_key", "e-adj-1"}})
                  .status,
              200);
    EXPECT_EQ(central.get("/v1/members/0901234567", kiosk).body["balance"], 500);
    auto spent = central.post("/v1/admin/members/0901234567/adjust", kAdmin,
                              Json{{"points", -10}, {"reason", "test"}, {"idempotency_key", "e-adj-2"}});
    ASSERT_EQ(spent.status, 200) << spent.body.dump();
    EXPECT_EQ(spent.body["balance"], 490);
    auto member = central.get("/v1/members/0901234567", kiosk);
    EXPECT_EQ(member.body["balance"], 490);
    bool sawExpiry = false;
    for (const auto& e : member.body["history"])
        sawExpiry = sawExpiry || (e["kind"] == "expiry" && e["points"] == -75);
    EXPECT_TRUE(sawExpiry) << member.body.dump();
}

}  // namespace
}  // namespace central_test
