// CentralClient against real HTTP servers on 127.0.0.1: a cpp-httplib fake of central for the calls,
// and a raw scripted socket for hostile answers (cut bodies, endless streams, silence).

#include "network/central_client.hpp"
#include "network/idempotency_key.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "scripted_server.hpp"
#include "temp_dir.hpp"

namespace net {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

/// A cpp-httplib server on a free loopback port, running on its own thread.
class FakeCentral {
  public:
    FakeCentral() = default;
    ~FakeCentral() { stop(); }
    FakeCentral(const FakeCentral&) = delete;
    FakeCentral& operator=(const FakeCentral&) = delete;

    httplib::Server& server() { return m_server; }
    void start() {
        m_server.set_tcp_nodelay(true);  // else each answer waits out the client's delayed ACK (~40 ms)
        m_port = m_server.bind_to_any_port("127.0.0.1");
        ASSERT_GT(m_port, 0);
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) std::this_thread::sleep_for(1ms);
    }
    void stop() {
        if (m_thread.joinable()) {
            m_server.stop();
            m_thread.join();
        }
    }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

  private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
};

ClientConfig configFor(const std::string& url) {
    ClientConfig config;
    config.baseUrl = url;
    config.kioskId = "K-0001";
    config.credential = "secret-credential";
    config.connectTimeout = 1000ms;
    config.requestTimeout = 2000ms;
    return config;
}

CentralClient clientFor(const std::string& url, ClientConfig config) {
    config.baseUrl = url;
    auto client = CentralClient::create(config);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return std::move(*client);
}

CentralClient clientFor(const std::string& url) {
    return clientFor(url, configFor(url));
}

ClaimRequest sampleClaim(const std::string& key) {
    return ClaimRequest{key, "RCPT-TOKEN-" + key, "0901234567", 1'790'000'000, true, false, "v1"};
}

/// Serves POST /v1/claims with a fixed status and body.
void answerClaims(FakeCentral& central, int status, std::string body) {
    central.server().Post("/v1/claims", [status, body](const httplib::Request&, httplib::Response& res) {
        res.status = status;
        res.set_content(body, "application/json");
    });
    central.start();
}

// ---- configuration and the clear-text rule ----------------------------------------------------------

TEST(CentralClientConfig, HttpOnlyForLoopback) {
    for (const char* url : {"http://127.0.0.1:8080", "http://127.9.8.7", "http://localhost:1/",
                            "http://[::1]:8080", "https://central.example.vn", "https://10.0.0.5:8443"}) {
        EXPECT_TRUE(CentralClient::create(configFor(url)).has_value()) << url;
    }
    for (const char* url : {"http://central.example.vn", "http://10.0.0.5:8080", "http://192.168.1.2",
                            "http://127.0.0.1.evil.example", "http://localhost.evil.example",
                            "ftp://127.0.0.1", "file:///etc/passwd", "not a url", ""}) {
        auto client = CentralClient::create(configFor(url));
        ASSERT_FALSE(client.has_value()) << url;
        EXPECT_EQ(client.error().kind, ErrorKind::InvalidConfig) << url;
        EXPECT_TRUE(client.error().definitive());
    }
}

TEST(IdempotencyKey, RandomHexWithinCentralsAlphabet) {
    std::set<std::string> keys;
    for (int i = 0; i < 1000; ++i) {
        const auto key = newIdempotencyKey();
        ASSERT_EQ(key.size(), 32u);
        ASSERT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
        keys.insert(key);
    }
    EXPECT_EQ(keys.size(), 1000u);
}

TEST(CentralClientConfig, RefusesUnsafeKioskIdAndZeroTimeouts) {
    auto config = configFor("http://127.0.0.1:1");
    config.kioskId = "../admin";
    EXPECT_FALSE(CentralClient::create(config).has_value());
    config = configFor("http://127.0.0.1:1");
    config.requestTimeout = 0ms;
    EXPECT_FALSE(CentralClient::create(config).has_value());
}

// ---- claims -----------------------------------------------------------------------------------------

TEST(CentralClientClaims, BatchRoundTripCarriesCredentialAndKeys) {
    FakeCentral central;
    Json seen;
    std::string authorization;
    central.server().Post("/v1/claims", [&](const httplib::Request& req, httplib::Response& res) {
        seen = Json::parse(req.body);
        authorization = req.get_header_value("Authorization");
        // The example of docs/api.md, keyed to the request.
        auto results = Json::parse(R"([
          {"status": "accepted", "receipt_id": "DEV001/R-000123", "points": 120, "replayed": false,
           "breakdown": [{"kind": "base", "label": "cơ bản", "label_en": "base", "points": 100},
                         {"kind": "promotion", "label": "khuyến mãi cuối tuần", "label_en": "weekend promotion",
                          "points": 20}],
           "explain_vi": "120 điểm = 100 cơ bản + 20 khuyến mãi cuối tuần",
           "explain_en": "120 points = 100 base + 20 weekend promotion",
           "balance": 1520, "tier": "silver", "next_tier": "gold", "progress_permille": 304,
           "points_to_next_tier": 3480, "new_member": true},
          {"status": "refused", "receipt_id": "DEV001/R-000099",
           "error": {"code": "already_claimed", "message_vi": "đã tích điểm tại HCM002",
                     "message_en": "already claimed on HCM002",
                     "details": {"claimed_at": 1795000000, "store": "DEV001", "kiosk_id": "K-02"}}}])");
        for (std::size_t i = 0; i < results.size(); ++i)
            results[i]["idempotency_key"] = seen["claims"][i]["idempotency_key"];
        res.set_content(Json{{"results", results}, {"server_time", 1'800'000'000}}.dump(),
                        "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto answer = client.claimBatch({sampleClaim("k1"), sampleClaim("k2")});
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(authorization, "Bearer secret-credential");
    EXPECT_EQ(seen["kiosk_id"], "K-0001");
    ASSERT_EQ(seen["claims"].size(), 2u);
    EXPECT_EQ(seen["claims"][0]["token"], "RCPT-TOKEN-k1");
    EXPECT_EQ(seen["claims"][0]["kiosk_time"], 1'790'000'000);
    EXPECT_EQ(seen["claims"][0]["consent"]["join"], true);
    EXPECT_EQ(answer->serverTime, 1'800'000'000);
    ASSERT_EQ(answer->outcomes.size(), 2u);
    const auto& ok = answer->outcomes[0];
    EXPECT_EQ(ok.status, ClaimOutcome::Status::Accepted);
    EXPECT_EQ(ok.receiptId, "DEV001/R-000123");
    EXPECT_EQ(ok.pointsEarned, 120);
    EXPECT_EQ(ok.balance, 1520);
    EXPECT_EQ(ok.tier, "silver");
    EXPECT_EQ(ok.nextTier, "gold");
    EXPECT_EQ(ok.progressPermille, 304);
    EXPECT_EQ(ok.pointsToNextTier, 3480);
    EXPECT_TRUE(ok.newMember);
    EXPECT_FALSE(ok.replayed);
    EXPECT_EQ(ok.explain.en, "120 points = 100 base + 20 weekend promotion");
    ASSERT_EQ(ok.breakdown.size(), 2u);
    EXPECT_EQ(ok.breakdown[1].kind, "promotion");
    EXPECT_EQ(ok.breakdown[1].label.vi, "khuyến mãi cuối tuần");
    EXPECT_EQ(ok.breakdown[1].label.en, "weekend promotion");
    EXPECT_EQ(ok.breakdown[1].points, 20);
    const auto& refused = answer->outcomes[1];
    EXPECT_EQ(refused.status, ClaimOutcome::Status::Refused);
    EXPECT_EQ(refused.idempotencyKey, "k2");
    EXPECT_EQ(refused.code, "already_claimed");
    EXPECT_EQ(refused.reason.en, "already claimed on HCM002");
    EXPECT_EQ(refused.reason.vi, "đã tích điểm tại HCM002");
}

TEST(CentralClientClaims, SingleClaimConflictIsADefinitiveRefusal) {
    FakeCentral central;
    answerClaims(central, 409,
                 R"({"error":{"code":"already_claimed","message":"already claimed on HCM002 at 10:00"}})");
    auto client = clientFor(central.url());
    auto outcome = client.claim(sampleClaim("k1"));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, ClaimOutcome::Status::Refused);
    EXPECT_EQ(outcome->code, "already_claimed");
    EXPECT_EQ(outcome->idempotencyKey, "k1");
}

TEST(CentralClientClaims, AWrongRouteIsNotARefusalOfTheClaim) {
    FakeCentral central;
    central.server().Post("/v1/claims", [](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content(R"({"error":{"code":"not_found","message_en":"no such route"}})", "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto outcome = client.claim(sampleClaim("k1"));
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().httpStatus, 404);
    EXPECT_EQ(outcome.error().message, "no such route");
}

TEST(CentralClientClaims, DateHeaderGivesServerTimeWhenBodyHasNone) {
    FakeCentral central;
    central.server().Post("/v1/claims", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        res.set_content(R"({"results":[{"status":"accepted","points":1,"balance":1}]})", "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto answer = client.claimBatch({sampleClaim("k1")});
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->serverTime, 784'111'777);
}

struct HostileCase {
    const char* name;
    int status;
    const char* body;
    ErrorKind expected;
};

class CentralClientHostile : public ::testing::TestWithParam<HostileCase> {};

TEST_P(CentralClientHostile, NeverASuccessNeverDefinitive) {
    const auto& c = GetParam();
    FakeCentral central;
    answerClaims(central, c.status, c.body);
    auto client = clientFor(central.url());
    auto answer = client.claimBatch({sampleClaim("k1"), sampleClaim("k2")});
    ASSERT_FALSE(answer.has_value()) << c.name;
    EXPECT_EQ(answer.error().kind, c.expected) << c.name << ": " << answer.error().message;
    EXPECT_FALSE(answer.error().definitive()) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Answers, CentralClientHostile,
    ::testing::Values(
        HostileCase{"not_json", 200, "<html>hello</html>", ErrorKind::BadResponse},
        HostileCase{"truncated_json", 200, R"({"results":[{"status":"accep)", ErrorKind::BadResponse},
        HostileCase{"array_not_object", 200, "[1,2,3]", ErrorKind::BadResponse},
        HostileCase{"empty_body", 200, "", ErrorKind::BadResponse},
        HostileCase{"error_inside_200", 200, R"({"error":{"code":"db_down","message":"oops"},"results":[]})",
                    ErrorKind::BadResponse},
        HostileCase{"results_missing", 200, R"({"ok":true})", ErrorKind::BadResponse},
        HostileCase{"results_short", 200, R"({"results":[{"status":"accepted","points":1,"balance":1}]})",
                    ErrorKind::BadResponse},
        HostileCase{
            "points_as_string", 200,
            R"({"results":[{"status":"accepted","points":"25","balance":1},{"status":"accepted","points":1,"balance":1}]})",
            ErrorKind::BadResponse},
        HostileCase{
            "negative_points", 200,
            R"({"results":[{"status":"accepted","points":-5,"balance":1},{"status":"accepted","points":1,"balance":1}]})",
            ErrorKind::BadResponse},
        HostileCase{
            "huge_number", 200,
            R"({"results":[{"status":"accepted","points":1e300,"balance":1},{"status":"accepted","points":99999999999999999999999,"balance":1}]})",
            ErrorKind::BadResponse},
        HostileCase{"unknown_status", 200,
                    R"({"results":[{"status":"maybe"},{"status":"accepted","points":1,"balance":1}]})",
                    ErrorKind::BadResponse},
        HostileCase{"refused_without_code", 200,
                    R"({"results":[{"status":"refused"},{"status":"accepted","points":1,"balance":1}]})",
                    ErrorKind::BadResponse},
        HostileCase{
            "wrong_key_order", 200,
            R"({"results":[{"idempotency_key":"k2","status":"accepted","points":1,"balance":1},{"idempotency_key":"k1","status":"accepted","points":1,"balance":1}]})",
            ErrorKind::BadResponse},
        HostileCase{"bare_404_from_a_proxy", 404, "<html>not found</html>", ErrorKind::BadResponse},
        HostileCase{"server_error", 500, R"({"error":{"code":"internal","message":"boom"}})",
                    ErrorKind::Server},
        HostileCase{"bad_gateway", 502, "", ErrorKind::Server}),
    [](const auto& testInfo) { return std::string(testInfo.param.name); });

// Random corruptions of a valid answer: never a crash, and a success only when what came back still
// accounts for every claim with well-typed fields.
TEST(CentralClientHostileAnswers, MutatedAnswersNeverCrashOrHalfSucceed) {
    const std::string valid =
        R"({"server_time":1795925000,"results":[)"
        R"({"idempotency_key":"k1","status":"accepted","receipt_id":"DEV001/1","points":120,"balance":1520,)"
        R"("breakdown":[{"kind":"base","label":"cơ bản","label_en":"base","points":120}],"tier":"silver"},)"
        R"({"idempotency_key":"k2","status":"refused","error":{"code":"already_claimed","message_en":"x"}}]})";
    std::mt19937 random(2026);
    std::mutex mutex;
    std::string next;
    FakeCentral central;
    central.server().Post("/v1/claims", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard lock(mutex);
        res.set_content(next, "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    int successes = 0;
    for (int round = 0; round < 300; ++round) {
        std::string body = valid;
        const int edits = std::uniform_int_distribution<int>(1, 4)(random);
        for (int e = 0; e < edits; ++e) {
            const auto at = std::uniform_int_distribution<std::size_t>(0, body.size() - 1)(random);
            switch (std::uniform_int_distribution<int>(0, 2)(random)) {
                case 0:
                    body[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
                    break;
                case 1:
                    body.erase(at, std::uniform_int_distribution<std::size_t>(1, 12)(random));
                    break;
                default:
                    body.insert(at, body.substr(at / 2, 8));
                    break;
            }
            if (body.empty()) body = "{";
        }
        {
            std::lock_guard lock(mutex);
            next = body;
        }
        auto answer = client.claimBatch({sampleClaim("k1"), sampleClaim("k2")});
        if (!answer) {
            EXPECT_FALSE(answer.error().definitive()) << body;
            continue;
        }
        ++successes;
        ASSERT_EQ(answer->outcomes.size(), 2u) << body;
        for (const auto& outcome : answer->outcomes) {
            if (outcome.status == ClaimOutcome::Status::Accepted) {
                EXPECT_GE(outcome.pointsEarned, 0) << body;
            }
            if (outcome.status == ClaimOutcome::Status::Refused) {
                EXPECT_FALSE(outcome.code.empty()) << body;
            }
        }
    }
    EXPECT_LT(successes, 300);  // most corruptions must be caught
}

TEST(CentralClientErrors, OverloadedCarriesRetryAfter) {
    FakeCentral central;
    central.server().Post("/v1/claims", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "7");
        res.set_content(R"({"error":{"code":"overloaded","message":"busy"}})", "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto answer = client.claimBatch({sampleClaim("k1")});
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::Overloaded);
    EXPECT_EQ(answer.error().retryAfter, std::chrono::seconds(7));
    EXPECT_FALSE(answer.error().definitive());
}

TEST(CentralClientErrors, RevokedKioskIsUnauthorized) {
    FakeCentral central;
    answerClaims(central, 401, R"({"error":{"code":"kiosk_revoked","message":"revoked"}})");
    auto client = clientFor(central.url());
    auto answer = client.claimBatch({sampleClaim("k1"), sampleClaim("k2")});
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::Unauthorized);
    EXPECT_EQ(answer.error().code, "kiosk_revoked");
}

TEST(CentralClientErrors, HugeBodyIsCappedWithContentLength) {
    FakeCentral central;
    answerClaims(central, 200, std::string(3u << 20, ' '));
    auto config = configFor(central.url());
    config.maxResponseBytes = 64 * 1024;
    auto client = clientFor(central.url(), config);
    auto answer = client.claimBatch({sampleClaim("k1")});
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::TooLarge);
}

TEST(CentralClientErrors, EndlessChunkedStreamIsCapped) {
    ScriptedServer server([](int fd) {
        if (!ScriptedServer::sendAll(fd,
                                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n"))
            return;
        const std::string chunk = "1000\r\n" + std::string(0x1000, '[') + "\r\n";
        for (int i = 0; i < 64 * 1024 && ScriptedServer::sendAll(fd, chunk); ++i) {
        }
    });
    auto config = configFor(server.url());
    config.maxResponseBytes = 256 * 1024;
    auto client = clientFor(server.url(), config);
    auto answer = client.claimBatch({sampleClaim("k1")});
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::TooLarge);
}

TEST(CentralClientErrors, BodyCutMidwayIsANetworkError) {
    ScriptedServer server([](int fd) {
        ScriptedServer::sendAll(
            fd,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
            R"({"results":[{"status":"accepted","points":1,"balance":1}]})");
    });
    auto client = clientFor(server.url());
    auto answer = client.claimBatch({sampleClaim("k1")});
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::Network) << answer.error().message;
}

TEST(CentralClientErrors, SilentServerTimesOutOnTime) {
    ScriptedServer server([](int) { std::this_thread::sleep_for(900ms); });
    auto config = configFor(server.url());
    config.connectTimeout = 200ms;
    config.requestTimeout = 300ms;
    auto client = clientFor(server.url(), config);
    const auto started = std::chrono::steady_clock::now();
    auto answer = client.claimBatch({sampleClaim("k1")});
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::Timeout);
    EXPECT_LT(took, config.connectTimeout + config.requestTimeout + 2000ms);  // slack for a loaded CI box
}

TEST(CentralClientErrors, NobodyListeningIsANetworkError) {
    RefusingPort nobody;
    auto client = clientFor(nobody.url());
    auto answer = client.heartbeat(Heartbeat{});
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::Network);
}

// ---- config, heartbeat, members, OTP, redemption, enrollment ---------------------------------------

TEST(CentralClientConfigPull, EtagAndNotModified) {
    FakeCentral central;
    central.server().Get("/v1/kiosks/K-0001/config", [](const httplib::Request& req, httplib::Response& res) {
        if (req.get_header_value("If-None-Match") == "\"v7\"") {
            res.status = 304;
            return;
        }
        res.set_header("ETag", "\"v7\"");
        res.set_content(R"({"campaign":{"name":"Tết"},"texts":{}})", "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto first = client.pullConfig("");
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_FALSE(first->notModified);
    EXPECT_EQ(first->etag, "\"v7\"");
    EXPECT_EQ(Json::parse(first->body)["campaign"]["name"], "Tết");
    auto second = client.pullConfig(first->etag);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_TRUE(second->notModified);
}

TEST(CentralClientConfigPull, GarbledConfigIsRefused) {
    FakeCentral central;
    central.server().Get("/v1/kiosks/K-0001/config", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("ETag", "\"v8\"");
        res.set_content(R"({"campaign":)", "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto answer = client.pullConfig("");
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, ErrorKind::BadResponse);
}

TEST(CentralClientHeartbeat, SendsHealthAndReturnsCommands) {
    FakeCentral central;
    Json seen;
    central.server().Post("/v1/kiosks/K-0001/heartbeat", [&](const httplib::Request& req,
                                                             httplib::Response& res) {
        seen = Json::parse(req.body);
        res.set_content(
            R"({"commands":["resync",{"type":"reload_config"},)"
            R"({"type":"out_of_service","on":true,"message_vi":"Bảo trì","level":3}],"server_time":1800000000})",
            "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto answer = client.heartbeat(Heartbeat{"1.2.3", 3600, 42, {{"printer", "paper_low"}}, std::nullopt});
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(seen["version"], "1.2.3");
    EXPECT_EQ(seen["outbox_depth"], 42);
    EXPECT_EQ(seen["health"]["printer"], "paper_low");
    EXPECT_FALSE(seen.contains("update"));
    ASSERT_EQ(answer->commands.size(), 3U);
    EXPECT_EQ(answer->commands[0].type, "resync");
    EXPECT_EQ(answer->commands[1].type, "reload_config");
    EXPECT_EQ(answer->commands[2].type, "out_of_service");
    EXPECT_EQ(answer->commands[2].field("on"), "true");
    EXPECT_EQ(answer->commands[2].field("message_vi"), "Bảo trì");
    EXPECT_EQ(answer->commands[2].field("level"), "");  // only text and true/false are kept
    EXPECT_EQ(answer->serverTime, 1'800'000'000);
    EXPECT_FALSE(answer->update.has_value());
}

TEST(CentralClientHeartbeat, CarriesTheAgentsReportAndTakesOnlyAnOfferOfReleasePaths) {
    FakeCentral central;
    Json seen;
    std::string offer;
    central.server().Post("/v1/kiosks/K-0001/heartbeat",
                          [&](const httplib::Request& req, httplib::Response& res) {
                              seen = Json::parse(req.body);
                              res.set_content(offer, "application/json");
                          });
    central.start();
    auto client = clientFor(central.url());
    Heartbeat beat{"1.1.0", 1, 0, {}, UpdateReport{3, "refused", "not_newer: " + std::string(300, 'x')}};
    offer = R"({"commands":[],"update":{"release_id":4,"rollout_id":2,"version":"1.2.0",
               "manifest_url":"/v1/releases/4/manifest","bundle_url":"/v1/releases/4/bundle"}})";
    auto answer = client.heartbeat(beat);
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(seen["update"]["release_id"], 3);
    EXPECT_EQ(seen["update"]["state"], "refused");
    EXPECT_EQ(seen["update"]["error"].get<std::string>().size(), 200u);  // central's field limit
    ASSERT_TRUE(answer->update.has_value());
    EXPECT_EQ(answer->update->releaseId, 4);
    EXPECT_EQ(answer->update->version, "1.2.0");
    EXPECT_EQ(answer->update->bundleUrl, "/v1/releases/4/bundle");
    // An offer pointing anywhere else (another host, another route) is not an offer.
    for (const char* url : {"http://evil.example/bundle", "/v1/admin/releases", "/v1/releases/../admin"}) {
        offer =
            std::string(
                R"({"update":{"release_id":4,"version":"1.2.0","manifest_url":"/v1/releases/4/manifest",)") +
            R"("bundle_url":")" + url + R"("}})";
        auto refused = client.heartbeat(beat);
        ASSERT_FALSE(refused.has_value()) << url;
        EXPECT_EQ(refused.error().kind, ErrorKind::BadResponse) << url;
    }
    offer = R"({"update":null})";
    auto none = client.heartbeat(beat);
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->update.has_value());
}

TEST(CentralClientMembers, LookupAndPathSafety) {
    FakeCentral central;
    central.server().Get("/v1/members/0901234567", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(
            R"({"phone":"0901234567","balance":1500,"pending":20,"tier":"gold","next_tier":"diamond",
                            "progress":1500,"next_tier_at":5000,"masked":"090****567","progress_permille":300,
                            "history":[{"at":1790000000,"kind":"earn","points":25,"description":"HCM001/1"}]})",
            "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    auto member = client.member("0901234567");
    ASSERT_TRUE(member.has_value()) << member.error().message;
    EXPECT_EQ(member->balance, 1500);
    EXPECT_EQ(member->tier, "gold");
    EXPECT_EQ(member->masked, "090****567");
    EXPECT_EQ(member->progressPermille, 300);
    ASSERT_EQ(member->history.size(), 1u);
    EXPECT_EQ(member->history[0].points, 25);
    auto sneaky = client.member("../admin/stores");
    ASSERT_FALSE(sneaky.has_value());
    EXPECT_EQ(sneaky.error().kind, ErrorKind::InvalidRequest);
}

TEST(CentralClientRedeem, VoucherAndRefusals) {
    FakeCentral central;
    central.server().Post("/v1/otp", [](const httplib::Request& req, httplib::Response& res) {
        // The code is asked for one reward, so central can bind it to that reward (issue 12).
        if (Json::parse(req.body).value("reward_id", "") != "coffee") {
            res.status = 400;
            res.set_content(R"({"error":{"code":"invalid_field","message":"reward_id"}})",
                            "application/json");
            return;
        }
        res.set_content(R"({"expires_in":300})", "application/json");
    });
    central.server().Post("/v1/redemptions", [](const httplib::Request& req, httplib::Response& res) {
        if (Json::parse(req.body)["otp"] != "123456") {
            res.status = 422;
            res.set_content(R"({"error":{"code":"otp_invalid","message":"wrong code"}})", "application/json");
            return;
        }
        res.set_content(R"({"voucher":{"code":"V-ABCD","qr_payload":"VCH1.xyz","value_dong":50000,
                            "expires_at":1800000000,"terms":"one use"},"balance":100,"points_spent":500})",
                        "application/json");
    });
    central.start();
    auto client = clientFor(central.url());
    ASSERT_FALSE(client.requestOtp("0901234567").has_value()) << "no reward named";
    ASSERT_TRUE(client.requestOtp("0901234567", "coffee").has_value());
    auto voucher = client.redeem({"r1", "0901234567", "coffee", "123456"});
    ASSERT_TRUE(voucher.has_value()) << voucher.error().message;
    EXPECT_EQ(voucher->code, "V-ABCD");
    EXPECT_EQ(voucher->valueDong, 50000);
    EXPECT_EQ(voucher->pointsSpent, 500);
    auto wrong = client.redeem({"r2", "0901234567", "coffee", "000000"});
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().kind, ErrorKind::Refused);
    EXPECT_EQ(wrong.error().code, "otp_invalid");
    EXPECT_TRUE(wrong.error().definitive());
}

TEST(CentralClientEnroll, StoresNothingButReturnsCredential) {
    FakeCentral central;
    central.server().Post("/v1/kiosks/enroll", [](const httplib::Request& req, httplib::Response& res) {
        if (Json::parse(req.body)["enrollment_code"] != "ENROLL-1") {
            res.status = 403;
            res.set_content(R"({"error":{"code":"bad_enrollment_code","message":"no"}})", "application/json");
            return;
        }
        res.set_content(R"({"kiosk_id":"K-0002","credential":"c2"})", "application/json");
    });
    central.start();
    auto config = configFor(central.url());
    config.credential.clear();
    auto client = clientFor(central.url(), config);
    auto enrolled = client.enroll("ENROLL-1");
    ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
    EXPECT_EQ(enrolled->kioskId, "K-0002");
    EXPECT_EQ(enrolled->credential, "c2");
    auto refused = client.enroll("nope");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().kind, ErrorKind::Unauthorized);
}

TEST(CentralClientEnroll, ACredentialThatCannotGoIntoAHeaderIsABadResponse) {
    FakeCentral central;
    std::atomic<int> answer{0};
    central.server().Post("/v1/kiosks/enroll", [&answer](const httplib::Request&, httplib::Response& res) {
        // JSON escapes: a header split, a space, an empty credential, 600 characters.
        const std::array<std::string, 4> credentials = {R"(c2\r\nX-Forged: 1)", "c 2", "",
                                                        std::string(600, 'c')};
        res.set_content(R"({"kiosk_id":"K-0002","credential":")" +
                            credentials.at(static_cast<std::size_t>(answer++) % credentials.size()) + "\"}",
                        "application/json");
    });
    central.start();
    auto config = configFor(central.url());
    config.credential.clear();
    auto client = clientFor(central.url(), config);
    for (int i = 0; i < 4; ++i) {
        auto enrolled = client.enroll("ENROLL-1");
        ASSERT_FALSE(enrolled.has_value()) << i;
        EXPECT_EQ(enrolled.error().kind, ErrorKind::BadResponse) << i;
        EXPECT_FALSE(enrolled.error().definitive());
    }
    EXPECT_TRUE(isUsableCredential("kc_3b0f-AZ.az~09"));
    EXPECT_FALSE(isUsableCredential("kc\x7f"));
}

TEST(CentralClientEnroll, SetCredentialFromAnotherThreadWhileCallsRun) {
    FakeCentral central;
    std::mutex seenMutex;
    std::set<std::string> seen;
    central.server().Get(R"(/v1/members/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(seenMutex);
            seen.insert(req.get_header_value("Authorization"));
        }
        res.set_content(R"({"phone":"+84901234567","masked":"090****567","balance":1,"tier":"silver"})",
                        "application/json");
    });
    central.start();
    auto config = configFor(central.url());
    config.credential.clear();
    auto client = clientFor(central.url(), config);
    std::atomic<bool> stop{false};
    // The kiosk's sync thread hands the credential over while the UI-side worker is calling.
    std::thread enroller([&] {
        for (int i = 0; !stop; ++i) client.setCredential("kc_" + std::to_string(i % 2));
    });
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(client.member("0901234567").has_value()) << i;
    stop = true;
    enroller.join();
    client.setCredential("kc_final");
    EXPECT_EQ(client.credential(), "kc_final");
    ASSERT_TRUE(client.member("0901234567").has_value());
    std::lock_guard lock(seenMutex);
    EXPECT_TRUE(seen.contains("Bearer kc_final"));
    for (const auto& header : seen)  // each call carried one whole credential, or none before the first
        EXPECT_TRUE(header.empty() || header == "Bearer kc_0" || header == "Bearer kc_1" ||
                    header == "Bearer kc_final")
            << header;
}

// ---- TLS with a private CA ---------------------------------------------------------------------------

class CentralClientTls : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto d = m_dir.path().string();
        std::ofstream(m_dir.path() / "san.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
        const std::string script = "cd '" + d +
                                   "' && "
                                   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                                   "-nodes -keyout ca.key -out ca.pem "
                                   "-days 2 -subj /CN=KioskTestCA && "
                                   "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                                   "-keyout server.key -out server.csr "
                                   "-subj /CN=localhost && "
                                   "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
                                   "-CAcreateserial -out server.pem -days 2 "
                                   "-extfile san.ext";
        ASSERT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0) << "openssl failed";
    }
    TempDir m_dir;
};

TEST_F(CentralClientTls, VerifiesAgainstPrivateCaAndRefusesUnknownCa) {
    httplib::SSLServer server((m_dir.path() / "server.pem").c_str(), (m_dir.path() / "server.key").c_str());
    ASSERT_TRUE(server.is_valid());
    server.Post("/v1/kiosks/K-0001/heartbeat", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.get_header_value("Authorization") == "Bearer secret-credential"
                            ? R"({"commands":[]})"
                            : R"({"error":"auth"})",
                        "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(1ms);

    const auto url = "https://127.0.0.1:" + std::to_string(port);
    auto trusted = configFor(url);
    trusted.caFile = (m_dir.path() / "ca.pem").string();
    auto ok = clientFor(url, trusted).heartbeat(Heartbeat{});
    EXPECT_TRUE(ok.has_value()) << ok.error().message;

    auto untrusted = clientFor(url, configFor(url)).heartbeat(Heartbeat{});
    ASSERT_FALSE(untrusted.has_value());
    EXPECT_EQ(untrusted.error().kind, ErrorKind::Tls) << untrusted.error().message;

    server.stop();
    thread.join();
}

}  // namespace
}  // namespace net
