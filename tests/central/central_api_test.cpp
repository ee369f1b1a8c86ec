// Integration tests of central's HTTP API: the real binary on a free loopback port, on SQLite and on
// PostgreSQL (the PostgreSQL cases skip without KIOSK_TEST_PG_URL; scripts/test always provides it).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <random>
#include <tuple>

#include "campaign_fixture.hpp"
#include "central_harness.hpp"
#include "loyalty/base32.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/time.hpp"
#include "loyalty/voucher.hpp"

namespace central_test {
namespace {

/// A credential as a kiosk makes it: "kc_" and 32 random bytes in base32.
std::string proposedCredential() {
    static std::mt19937 random(std::random_device{}());
    std::array<std::uint8_t, 32> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
    return "kc_" + loyalty::encodeBase32(bytes);
}

/// The points report of yesterday..tomorrow (local dates), so it covers "now" on any clock.
std::string reportPath() {
    const auto today = loyalty::localDate(now());
    return "/v1/admin/reports/points?from=" + loyalty::formatLocalDate(loyalty::addDays(today, -1)) +
           "&to=" + loyalty::formatLocalDate(loyalty::addDays(today, 1));
}

class CentralApi : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", ""});
        m_kiosk = enrollDevKiosk(*m_central);
    }

    const CentralProcess& central() const { return *m_central; }
    /// A fresh receipt of `amount` dong issued a minute ago.
    std::string receipt(std::int64_t amount = 250'000) const {
        return signReceipt(uniqueNumber(), amount, now() - 60);
    }
    /// Makes `phone` a member with `points` points (one claim + an adjustment).
    void memberWith(const std::string& phone, std::int64_t points) const {
        auto claim =
            central().post("/v1/claims", m_kiosk, claimBody(receipt(20'000), phone));  // 2 + 50 bonus
        ASSERT_EQ(claim.status, 200) << claim.body.dump();
        const auto balance = claim.body["balance"].get<std::int64_t>();
        if (points != balance) {
            auto adjust = central().post(
                "/v1/admin/members/" + phone + "/adjust", kAdmin,
                Json{{"points", points - balance}, {"reason", "test"}, {"idempotency_key", newKey()}});
            ASSERT_EQ(adjust.status, 200) << adjust.body.dump();
        }
    }
    std::string otpFor(const std::string& national) const {
        auto r = central().post("/v1/otp", m_kiosk, Json{{"phone", national}});
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return central().lastOtp("+84" + national.substr(1));
    }
    std::int64_t balanceOf(const std::string& phone) const {
        auto r = central().get("/v1/members/" + phone, m_kiosk);
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body.value("balance", std::int64_t{-1});
    }

    std::unique_ptr<CentralProcess> m_central;
    std::string m_kiosk;
};

TEST_P(CentralApi, HealthAndMetrics) {
    auto health = central().get("/healthz", "");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body["status"], "ok");
    EXPECT_EQ(health.body["db"], GetParam() == Backend::Postgres ? "postgresql" : "sqlite");
    (void)central().post("/v1/claims", m_kiosk, claimBody(receipt(), "0901234567"));
    httplib::Client client("127.0.0.1", central().port());
    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find(
                  "central_http_requests_total{route=\"/v1/claims\",method=\"POST\",status=\"200\"} 1"),
              std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find("central_claims_total{result=\"accepted\"} 1"), std::string::npos);
    EXPECT_NE(metrics->body.find(
                  "central_http_request_duration_seconds_bucket{route=\"/v1/claims\",le=\"+Inf\"} 1"),
              std::string::npos);
}

TEST_P(CentralApi, EnrollmentIsOneTimeAndEveryCallNeedsItsCredential) {
    auto again = central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", "DEV-ENROLL-0001"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.code(), "enrollment_code_used");
    EXPECT_EQ(central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", "NOPE"}}).code(),
              "unauthorized");

    const auto body = claimBody(receipt(), "0901234567");
    EXPECT_EQ(central().post("/v1/claims", "", body).status, 401);
    EXPECT_EQ(central().post("/v1/claims", "kc_forged", body).status, 401);
    EXPECT_EQ(central()
                  .post("/v1/admin/enrollment-codes", m_kiosk, Json{{"kiosk_id", "X"}, {"store", "DEV001"}})
                  .code(),
              "forbidden");
    EXPECT_EQ(central().get("/v1/admin/kiosks", "").status, 401);

    const auto second = enrollKiosk(central(), "K-02");
    EXPECT_EQ(central().get("/v1/kiosks/K-DEV-01/config", second).code(), "forbidden");
    EXPECT_EQ(central().get("/v1/kiosks/K-02/config", second).status, 200);
    EXPECT_EQ(central().post("/v1/admin/kiosks/K-02/revoke", kAdmin, Json::object()).status, 200);
    auto revoked = central().post("/v1/claims", second, body);
    EXPECT_EQ(revoked.status, 403);
    EXPECT_EQ(revoked.code(), "kiosk_revoked");
    auto kiosks = central().get("/v1/admin/kiosks", kAdmin);
    ASSERT_EQ(kiosks.status, 200);
    ASSERT_EQ(kiosks.body["kiosks"].size(), 2u);
    for (const auto& k : kiosks.body["kiosks"]) EXPECT_EQ(k["revoked"], k["kiosk_id"] == "K-02");
    // The first kiosk is unaffected.
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, body).status, 200);
}

TEST_P(CentralApi, AKioskThatLostItsEnrollmentAnswerAsksAgainWithItsProposal) {
    const auto code = newEnrollmentCode(central(), "K-05");
    const auto mine = proposedCredential();

    auto first =
        central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}, {"credential", mine}});
    ASSERT_EQ(first.status, 200) << first.body.dump();
    EXPECT_EQ(first.body["kiosk_id"], "K-05");
    EXPECT_EQ(first.body["credential"], mine);
    // The answer was lost: the same code with the same proposal is answered the same.
    auto again =
        central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}, {"credential", mine}});
    ASSERT_EQ(again.status, 200) << again.body.dump();
    for (const char* field : {"kiosk_id", "store", "credential"})
        EXPECT_EQ(again.body[field], first.body[field]);
    EXPECT_EQ(central().get("/v1/kiosks/K-05/config", mine).status, 200);
    // Any other use of the used code is still refused.
    const auto other = proposedCredential();
    EXPECT_EQ(central()
                  .post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}, {"credential", other}})
                  .code(),
              "enrollment_code_used");
    EXPECT_EQ(central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}}).code(),
              "enrollment_code_used");
    EXPECT_EQ(central().get("/v1/kiosks/K-05/config", other).status, 401);

    // Once revoked, the replay no longer answers, and the old credential cannot be enrolled again.
    ASSERT_EQ(central().post("/v1/admin/kiosks/K-05/revoke", kAdmin, Json::object()).status, 200);
    EXPECT_EQ(
        central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}, {"credential", mine}}).code(),
        "enrollment_code_used");
    const auto nextCode = newEnrollmentCode(central(), "K-05");
    auto revived =
        central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", nextCode}, {"credential", mine}});
    EXPECT_EQ(revived.status, 400) << revived.body.dump();
    EXPECT_EQ(revived.code(), "invalid_field");
    // Nor can another kiosk's credential be proposed; neither refusal used the code up.
    EXPECT_EQ(central()
                  .post("/v1/kiosks/enroll", "", Json{{"enrollment_code", nextCode}, {"credential", m_kiosk}})
                  .code(),
              "invalid_field");
    EXPECT_EQ(central().get("/v1/kiosks/K-05/config", mine).code(), "kiosk_revoked");
    const auto fresh = proposedCredential();
    auto renewed =
        central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", nextCode}, {"credential", fresh}});
    ASSERT_EQ(renewed.status, 200) << renewed.body.dump();
    EXPECT_EQ(central().get("/v1/kiosks/K-05/config", fresh).status, 200);
}

TEST_P(CentralApi, AWeakOrMalformedProposedCredentialIsRefusedAndTheCodeStaysUnused) {
    const auto code = newEnrollmentCode(central(), "K-06");
    const auto good = proposedCredential();
    std::string lowerCase = good;
    std::transform(lowerCase.begin() + 3, lowerCase.end(), lowerCase.begin() + 3,
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    const std::vector<Json> refused{
        "kc_" + std::string(52, 'A'),  // right shape, no randomness
        "kc_" + std::string(26, 'A') + std::string(26, 'B'),
        "kc_ABCDEFGHIJ" + std::string(42, 'A'),  // 11 different characters
        good.substr(3),                          // no prefix
        good.substr(0, 40),                      // short
        good + "AAAAAAAA",                       // long
        lowerCase,
        good.substr(0, 54) + "1",  // outside the alphabet
        good.substr(0, 54) + "\n",
        std::string(600, 'A'),
        "",
        42,
        Json::array({good}),
    };
    for (const auto& proposal : refused) {
        auto r = central().post("/v1/kiosks/enroll", "",
                                Json{{"enrollment_code", code}, {"credential", proposal}});
        EXPECT_EQ(r.status, 400) << proposal.dump() << " " << r.body.dump();
        EXPECT_EQ(r.code(), "invalid_field") << proposal.dump();
        EXPECT_EQ(r.body["error"]["details"]["field"], "credential") << r.body.dump();
        EXPECT_FALSE(r.body["error"].value("message_vi", "").empty()) << r.body.dump();
    }
    auto enrolled =
        central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}, {"credential", good}});
    ASSERT_EQ(enrolled.status, 200) << enrolled.body.dump();
    EXPECT_EQ(enrolled.body["credential"], good);
}

TEST_P(CentralApi, ClaimEarnsOnceChainWideAndRepliesToRetries) {
    const auto token = receipt(256'000);
    const auto first = claimBody(token, "090 123 4567");
    auto r = central().post("/v1/claims", m_kiosk, first);
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["status"], "accepted");
    EXPECT_EQ(r.body["points"], 25 + 50);  // floor(256.000 / 10.000) + sign-up bonus
    EXPECT_EQ(r.body["balance"], 75);
    EXPECT_EQ(r.body["new_member"], true);
    EXPECT_EQ(r.body["tier"], "silver");
    EXPECT_EQ(r.body["next_tier"], "gold");
    EXPECT_EQ(r.body["explain_en"], "75 points = 25 base + 50 sign-up bonus");
    EXPECT_TRUE(r.body["server_time"].is_number_integer());
    ASSERT_EQ(r.body["breakdown"].size(), 2u);

    auto retry = central().post("/v1/claims", m_kiosk, first);
    ASSERT_EQ(retry.status, 200);
    EXPECT_EQ(retry.body["replayed"], true);
    EXPECT_EQ(retry.body["points"], 75);

    const auto other = enrollKiosk(central(), "K-02");
    auto duplicate = central().post("/v1/claims", other, claimBody(token, "0987654321"));
    EXPECT_EQ(duplicate.status, 409);
    EXPECT_EQ(duplicate.code(), "already_claimed");
    EXPECT_EQ(duplicate.body["error"]["details"]["kiosk_id"], "K-DEV-01");
    EXPECT_NE(duplicate.body["error"]["message_en"].get<std::string>().find("already claimed on"),
              std::string::npos);
    EXPECT_NE(duplicate.body["error"]["message_vi"].get<std::string>().find("đã được tích điểm"),
              std::string::npos);

    // The same key reused for another receipt is a conflict, not a claim.
    auto conflict = central().post("/v1/claims", m_kiosk,
                                   claimBody(receipt(), "0901234567", true, first["idempotency_key"]));
    EXPECT_EQ(conflict.code(), "idempotency_conflict");

    auto member = central().get("/v1/members/0901234567", m_kiosk);
    ASSERT_EQ(member.status, 200);
    EXPECT_EQ(member.body["balance"], 75);
    EXPECT_EQ(member.body["masked"], "090****567");
    ASSERT_EQ(member.body["history"].size(), 1u);
    EXPECT_EQ(member.body["history"][0]["kind"], "earn");
    EXPECT_EQ(central().get("/v1/members/0987654321", m_kiosk).code(), "not_found");
    EXPECT_EQ(central().get("/v1/members/0281234567", m_kiosk).code(), "phone_landline");
}

TEST_P(CentralApi, ClaimRefusalsAreDefinitiveAndWriteNothing) {
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(receipt(), "0901234567", false)).code(),
              "consent_required");
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody("https://example.com", "0901234567")).code(),
              "token_not_receipt");
    auto tampered = receipt();
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    const auto code = central().post("/v1/claims", m_kiosk, claimBody(tampered, "0901234567")).code();
    EXPECT_TRUE(code == "token_bad_signature" || code == "token_malformed" || code == "token_invalid_field")
        << code;
    const auto old = signReceipt(uniqueNumber(), 100'000, now() - 40 * 86'400);
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(old, "0901234567")).code(), "token_expired");
    const auto unknown = signReceipt(uniqueNumber(), 100'000, now() - 60, "NOSTORE");
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(unknown, "0901234567")).code(),
              "token_unknown_store");
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(receipt(), "12345")).code(),
              "phone_wrong_length");
    EXPECT_EQ(central().get("/v1/members/0901234567", m_kiosk).status, 404);  // nobody was created

    // Below the minimum spend a new member still gets the sign-up bonus (loyalty's rule); a member
    // does not earn and the receipt stays unclaimed.
    auto joined = central().post("/v1/claims", m_kiosk, claimBody(receipt(10'000), "0901234567"));
    ASSERT_EQ(joined.status, 200) << joined.body.dump();
    EXPECT_EQ(joined.body["points"], 50);
    const auto small = receipt(10'000);
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(small, "0901234567")).code(),
              "below_minimum_spend");
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, claimBody(small, "0912345678")).status, 200);
}

TEST_P(CentralApi, BatchAnswersEveryClaimInOrder) {
    const auto token = receipt();
    Json claims = Json::array({claimBody(token, "0901234567"), claimBody(token, "0901234567"),
                               claimBody("LK1GARBAGE", "0901234567"), claimBody(receipt(), "not a phone"),
                               claimBody(receipt(300'000), "0912345678")});
    claims.push_back(Json{{"token", 5}});
    auto r = central().post("/v1/claims", m_kiosk, Json{{"kiosk_id", "K-DEV-01"}, {"claims", claims}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
    const auto& results = r.body["results"];
    ASSERT_EQ(results.size(), claims.size());
    EXPECT_EQ(results[0]["status"], "accepted");
    EXPECT_EQ(results[1]["status"], "refused");
    EXPECT_EQ(results[1]["error"]["code"], "already_claimed");
    EXPECT_EQ(results[2]["error"]["code"], "token_malformed");
    EXPECT_EQ(results[3]["error"]["code"], "phone_bad_characters");
    EXPECT_EQ(results[4]["status"], "accepted");
    EXPECT_EQ(results[5]["error"]["code"], "invalid_field");
    for (std::size_t i = 0; i < 5; ++i)
        EXPECT_EQ(results[i]["idempotency_key"], claims[i]["idempotency_key"]);

    EXPECT_EQ(central().post("/v1/claims", m_kiosk, Json{{"kiosk_id", "K-OTHER"}, {"claims", claims}}).code(),
              "forbidden");
    Json big = Json::array();
    for (int i = 0; i < 201; ++i) big.push_back(claimBody(token, "0901234567"));
    EXPECT_EQ(central().post("/v1/claims", m_kiosk, Json{{"claims", big}}).code(), "batch_too_large");
}

TEST_P(CentralApi, BatchIsOneCommitAndEachClaimAnswersAsIfAlone) {
    // One transaction with a savepoint per claim: a refusal undoes only its own writes (the member a
    // refused claim would have created included), and later claims see the earlier ones of the batch.
    const auto first = receipt(256'000);
    const auto second = receipt(100'000);
    const auto third = receipt(120'000);
    Json claims = Json::array({
        claimBody(receipt(), "0903000001", false),     // 0: new phone, no consent
        claimBody(first, "0903000001"),                // 1: joins: 25 + 50 sign-up bonus
        claimBody(second, "0903000001"),               // 2: 10, no bonus the second time
        claimBody(receipt(10'000), "0903000001"),      // 3: below the minimum spend
        claimBody(first, "0903000002"),                // 4: receipt 1 again, another phone
        claimBody(second, "0903000001", true, ""),     // 5: key of claim 2 (set below): replay
        claimBody(receipt(), "0903000001", true, ""),  // 6: key of claim 1, another receipt
        claimBody(third, "0903000003", false),         // 7: new phone, no consent
        claimBody(third, "0903000003"),                // 8: same receipt with consent: joins
    });
    claims[5]["idempotency_key"] = claims[2]["idempotency_key"];
    claims[6]["idempotency_key"] = claims[1]["idempotency_key"];
    auto r = central().post("/v1/claims", m_kiosk, Json{{"claims", claims}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
    const auto results = r.body["results"];
    ASSERT_EQ(results.size(), claims.size());
    EXPECT_EQ(results[0]["error"]["code"], "consent_required");
    EXPECT_EQ(results[1]["status"], "accepted");
    EXPECT_EQ(results[1]["points"], 75);
    EXPECT_EQ(results[1]["balance"], 75);
    EXPECT_EQ(results[1]["new_member"], true);
    EXPECT_EQ(results[2]["points"], 10);
    EXPECT_EQ(results[2]["balance"], 85);
    EXPECT_EQ(results[2]["new_member"], false);
    EXPECT_EQ(results[2]["progress"], 85);
    EXPECT_EQ(results[3]["error"]["code"], "below_minimum_spend");
    EXPECT_EQ(results[4]["error"]["code"], "already_claimed");
    EXPECT_EQ(results[4]["error"]["details"]["kiosk_id"], "K-DEV-01");
    EXPECT_EQ(results[5]["status"], "accepted");
    EXPECT_EQ(results[5]["replayed"], true);
    EXPECT_EQ(results[5]["points"], 10);
    EXPECT_EQ(results[5]["balance"], 85);
    EXPECT_EQ(results[6]["error"]["code"], "idempotency_conflict");
    EXPECT_EQ(results[7]["error"]["code"], "consent_required");
    EXPECT_EQ(results[8]["status"], "accepted");
    EXPECT_EQ(results[8]["points"], 12 + 50);
    EXPECT_EQ(results[8]["new_member"], true);
    for (std::size_t i = 0; i < claims.size(); ++i)
        EXPECT_EQ(results[i]["idempotency_key"], claims[i]["idempotency_key"]) << i;

    EXPECT_EQ(balanceOf("0903000001"), 85);
    EXPECT_EQ(central().get("/v1/members/0903000001", m_kiosk).body["history"].size(), 2u);
    EXPECT_EQ(central().get("/v1/members/0903000002", m_kiosk).code(), "not_found");
    EXPECT_EQ(balanceOf("0903000003"), 62);
    auto report = central().get(reportPath(), kAdmin);
    ASSERT_EQ(report.status, 200);
    ASSERT_EQ(report.body["rows"].size(), 1u);
    EXPECT_EQ(report.body["rows"][0]["claims"], 3);
    EXPECT_EQ(report.body["rows"][0]["issued"], 75 + 10 + 62);

    // The kiosk resends the batch (its answer was lost): every accepted claim gets its first answer;
    // claim 0 now finds a member and earns, as it would have sent alone after claim 1.
    auto again = central().post("/v1/claims", m_kiosk, Json{{"claims", claims}});
    ASSERT_EQ(again.status, 200) << again.body.dump();
    const auto& replies = again.body["results"];
    for (const std::size_t i : {1u, 2u, 5u, 8u}) {
        EXPECT_EQ(replies[i]["replayed"], true) << i;
        EXPECT_EQ(replies[i]["points"], results[i]["points"]) << i;
        EXPECT_EQ(replies[i]["balance"], results[i]["balance"]) << i;
    }
    EXPECT_EQ(replies[0]["replayed"], false);
    EXPECT_EQ(replies[0]["points"], 25);
    EXPECT_EQ(replies[0]["balance"], 110);
    EXPECT_EQ(replies[3]["error"]["code"], "below_minimum_spend");
    EXPECT_EQ(replies[4]["error"]["code"], "already_claimed");
    EXPECT_EQ(replies[6]["error"]["code"], "idempotency_conflict");
    EXPECT_EQ(replies[7]["error"]["code"], "already_claimed");
    EXPECT_EQ(balanceOf("0903000001"), 110);
    EXPECT_EQ(central().get(reportPath(), kAdmin).body["rows"][0]["claims"], 4);
}

TEST_P(CentralApi, HostileInputGets4xxAndNoPartialWrite) {
    const auto before = central().get(reportPath(), kAdmin);
    ASSERT_EQ(before.status, 200);
    auto raw = [&](const std::string& body, const std::string& type = "application/json") {
        return central().request("POST", "/v1/claims", m_kiosk, body, type);
    };
    EXPECT_EQ(raw("{\"idempotency_key\": ").code(), "bad_json");
    EXPECT_EQ(raw("[1,2,3]").code(), "bad_json");
    EXPECT_EQ(raw("").code(), "bad_json");
    EXPECT_EQ(raw("{}", "text/plain").code(), "unsupported_media_type");
    EXPECT_EQ(raw(std::string(3u << 20, ' ')).status, 413);
    EXPECT_EQ(raw(std::string(200'000, '[') + std::string(200'000, ']')).status, 400);
    const auto token = receipt();
    auto field = [&](const char* name, const Json& value) {
        auto body = claimBody(token, "0901234567");
        body[name] = value;
        return central().post("/v1/claims", m_kiosk, body);
    };
    EXPECT_EQ(field("kiosk_time", -5).code(), "invalid_field");
    EXPECT_EQ(field("kiosk_time", 1e30).code(), "invalid_field");
    EXPECT_EQ(field("kiosk_time", Json(18'446'744'073'709'551'615ULL)).code(), "invalid_field");
    EXPECT_EQ(field("kiosk_time", "yesterday").code(), "invalid_field");
    EXPECT_EQ(field("phone", Json::array({"0901234567"})).code(), "invalid_field");
    EXPECT_EQ(field("phone", "09';DROP TABLE--").code(), "phone_bad_characters");
    EXPECT_EQ(field("idempotency_key", "' OR '1'='1").code(), "invalid_field");
    EXPECT_EQ(field("idempotency_key", std::string(1000, 'k')).code(), "invalid_field");
    EXPECT_EQ(field("token", std::string(5000, 'A')).code(), "invalid_field");
    EXPECT_EQ(field("consent", "yes").code(), "invalid_field");
    EXPECT_EQ(central().get("/v1/members/'%20OR%201=1", m_kiosk).status, 422);
    EXPECT_EQ(central()
                  .post("/v1/redemptions", m_kiosk,
                        Json{{"idempotency_key", "r1"},
                             {"phone", "0901234567"},
                             {"reward_id", "' OR 1=1 --"},
                             {"otp", "1"}})
                  .code(),
              "not_found");
    EXPECT_EQ(central()
                  .post("/v1/admin/members/0901234567/adjust", kAdmin,
                        Json{{"points", 1e300}, {"reason", "x"}, {"idempotency_key", "a"}})
                  .code(),
              "invalid_field");
    EXPECT_EQ(central().put("/v1/admin/rewards/BAD", kAdmin, Json{{"name_vi", "x"}, {"cost", -1}}).code(),
              "invalid_field");
    EXPECT_EQ(central().put("/v1/admin/stores/S1", kAdmin, Json{{"name", "x"}, {"colour", "red"}}).code(),
              "unknown_field");
    auto unknownRoute = central().get("/v1/nothing", m_kiosk);
    EXPECT_EQ(unknownRoute.status, 404);
    EXPECT_EQ(unknownRoute.code(), "not_found");
    // A known path with the wrong method says which methods it takes, and does nothing.
    for (const auto& [method, path, allow] :
         {std::tuple<std::string, std::string, std::string>{"GET", "/v1/claims", "POST"},
          {"DELETE", "/v1/admin/campaign", "GET, PUT"},
          {"PUT", "/v1/kiosks/K-DEV-01/heartbeat", "POST"},
          {"POST", "/healthz", "GET"}}) {
        auto wrong = central().request(method, path, kAdmin, "{}");
        EXPECT_EQ(wrong.status, 405) << method << " " << path;
        EXPECT_EQ(wrong.code(), "method_not_allowed") << method << " " << path;
        EXPECT_EQ(wrong.header("Allow"), allow) << method << " " << path;
    }

    EXPECT_EQ(central().get(reportPath(), kAdmin).body, before.body);
    EXPECT_EQ(central().get("/v1/admin/stores", kAdmin).body["stores"].size(), 1u);
    EXPECT_EQ(central().get("/healthz", "").status, 200);
}

TEST_P(CentralApi, OtpRedemptionVoucherAndConsume) {
    memberWith("0901234567", 1000);
    const auto code = otpFor("0901234567");
    ASSERT_EQ(code.size(), 6u);
    std::ifstream sink(central().dataDir() + "/otp-outbox.jsonl");
    ASSERT_TRUE(sink.good());

    Json body{
        {"idempotency_key", newKey()}, {"phone", "0901234567"}, {"reward_id", "CAFE-20K"}, {"otp", "000000"}};
    if (code == "000000") body["otp"] = "111111";
    auto wrong = central().post("/v1/redemptions", m_kiosk, body);
    EXPECT_EQ(wrong.code(), "otp_invalid");
    EXPECT_EQ(wrong.body["error"]["details"]["tries_left"], 4);

    body["otp"] = code;
    auto r = central().post("/v1/redemptions", m_kiosk, body);
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["balance"], 800);
    const auto voucher = r.body["voucher"];
    EXPECT_EQ(voucher["value_dong"], 20000);
    EXPECT_EQ(voucher["points_spent"], 200);

    // A retry returns the same voucher without a new code; the code itself was single use.
    auto retry = central().post("/v1/redemptions", m_kiosk, body);
    ASSERT_EQ(retry.status, 200);
    EXPECT_EQ(retry.body["voucher"]["code"], voucher["code"]);
    EXPECT_EQ(balanceOf("0901234567"), 800);
    body["idempotency_key"] = newKey();
    EXPECT_EQ(central().post("/v1/redemptions", m_kiosk, body).code(), "otp_invalid");

    // The QR verifies offline with the voucher key from the kiosk config.
    auto config = central().get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    auto key = loyalty::parsePublicKey(config.body["voucher_public_key"].get<std::string>());
    ASSERT_TRUE(key);
    auto verified = loyalty::verifyVoucherPayload(voucher["qr_payload"].get<std::string>(), *key, now());
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->code.text(), voucher["code"].get<std::string>());

    const std::string path = "/v1/vouchers/" + voucher["code"].get<std::string>() + "/consume";
    auto consumed = central().post(path, m_kiosk, Json{{"reference", "POS-1"}});
    EXPECT_EQ(consumed.status, 200) << consumed.body.dump();
    EXPECT_EQ(central().post(path, kAdmin, Json::object()).code(), "voucher_already_consumed");
    EXPECT_EQ(central().post("/v1/vouchers/0000-0000/consume", kAdmin, Json::object()).status / 100, 4);
    EXPECT_TRUE(central()
                    .post("/v1/vouchers/ABCD-EFGH/consume", kAdmin, Json::object())
                    .code()
                    .starts_with("voucher_code_"));

    auto history = central().get("/v1/members/0901234567", m_kiosk);
    EXPECT_EQ(history.body["history"][0]["kind"], "redeem");
    EXPECT_EQ(history.body["history"][0]["points"], -200);
}

TEST_P(CentralApi, OtpLocksAfterFiveWrongCodesAndRateLimitsRequests) {
    memberWith("0901234567", 1000);
    const auto code = otpFor("0901234567");
    Json body{{"idempotency_key", newKey()}, {"phone", "0901234567"}, {"reward_id", "CAFE-20K"}};
    const std::string bad = code == "999999" ? "888888" : "999999";
    for (int i = 0; i < 5; ++i) {
        body["otp"] = bad;
        EXPECT_EQ(central().post("/v1/redemptions", m_kiosk, body).code(), "otp_invalid");
    }
    body["otp"] = code;
    auto locked = central().post("/v1/redemptions", m_kiosk, body);
    EXPECT_EQ(locked.status, 429);
    EXPECT_EQ(locked.code(), "otp_locked");
    EXPECT_GT(std::stoi(locked.header("Retry-After")), 0);
    EXPECT_EQ(balanceOf("0901234567"), 1000);

    memberWith("0912345678", 10);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(central().post("/v1/otp", m_kiosk, Json{{"phone", "0912345678"}}).status, 200);
    auto limited = central().post("/v1/otp", m_kiosk, Json{{"phone", "0912345678"}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_FALSE(limited.header("Retry-After").empty());
    EXPECT_EQ(central().post("/v1/otp", m_kiosk, Json{{"phone", "0987654321"}}).code(), "not_found");
}

TEST_P(CentralApi, RedemptionRefusesMissingPointsStockAndMemberLimit) {
    memberWith("0901234567", 100);
    auto poor = central().post("/v1/redemptions", m_kiosk,
                               Json{{"idempotency_key", newKey()},
                                    {"phone", "0901234567"},
                                    {"reward_id", "CAFE-20K"},
                                    {"otp", otpFor("0901234567")}});
    EXPECT_EQ(poor.code(), "reward_insufficient_points");
    EXPECT_EQ(balanceOf("0901234567"), 100);

    ASSERT_EQ(central()
                  .put("/v1/admin/rewards/RARE", kAdmin,
                       Json{{"name_vi", "Hiếm"},
                            {"name_en", "Rare"},
                            {"cost", 10},
                            {"value_dong", 1000},
                            {"stock", 2},
                            {"per_member_limit", 1},
                            {"voucher_validity_days", 7}})
                  .status,
              200);
    memberWith("0912345678", 100);
    auto redeem = [&](const std::string& phone) {
        return central().post("/v1/redemptions", m_kiosk,
                              Json{{"idempotency_key", newKey()},
                                   {"phone", phone},
                                   {"reward_id", "RARE"},
                                   {"otp", otpFor(phone)}});
    };
    EXPECT_EQ(redeem("0912345678").status, 200);
    EXPECT_EQ(redeem("0912345678").code(), "reward_member_limit");
    memberWith("0987654321", 100);
    EXPECT_EQ(redeem("0987654321").status, 200);
    memberWith("0934567890", 100);
    EXPECT_EQ(redeem("0934567890").code(), "reward_out_of_stock");
    EXPECT_EQ(balanceOf("0934567890"), 100);
    auto rewards = central().get("/v1/admin/rewards", kAdmin);
    for (const auto& r : rewards.body["rewards"]) {
        if (r["id"] == "RARE") {
            EXPECT_EQ(r["stock"], 0);
        }
    }
}

TEST_P(CentralApi, ConfigCarriesETagAndHeartbeatDeliversCommandsOnce) {
    auto config = central().get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    ASSERT_EQ(config.status, 200);
    const auto etag = config.header("ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_FALSE(config.body["campaign_toml"].get<std::string>().empty());
    EXPECT_FALSE(config.body["tiers_toml"].get<std::string>().empty());
    EXPECT_FALSE(config.body["rewards"].empty());
    EXPECT_EQ(config.body["store_keys"][0]["store"], "DEV001");
    auto same =
        central().request("GET", "/v1/kiosks/K-DEV-01/config", m_kiosk, "", "", {{"If-None-Match", etag}});
    EXPECT_EQ(same.status, 304);

    ASSERT_EQ(central()
                  .put("/v1/admin/rewards/NEW-1", kAdmin,
                       Json{{"name_vi", "Mới"},
                            {"name_en", "New"},
                            {"cost", 10},
                            {"value_dong", 1000},
                            {"voucher_validity_days", 7}})
                  .status,
              200);
    auto changed =
        central().request("GET", "/v1/kiosks/K-DEV-01/config", m_kiosk, "", "", {{"If-None-Match", etag}});
    EXPECT_EQ(changed.status, 200);
    EXPECT_NE(changed.header("ETag"), etag);

    EXPECT_EQ(
        central().post("/v1/admin/kiosks/K-DEV-01/commands", kAdmin, Json{{"command", "resync"}}).status,
        200);
    EXPECT_EQ(
        central().post("/v1/admin/kiosks/K-DEV-01/commands", kAdmin, Json{{"command", "format_disk"}}).code(),
        "invalid_field");
    const Json beat{
        {"version", "0.1.0"}, {"uptime_s", 60}, {"outbox_depth", 3}, {"health", {{"printer", "paper_low"}}}};
    auto first = central().post("/v1/kiosks/K-DEV-01/heartbeat", m_kiosk, beat);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.body["commands"], Json::array({"resync"}));
    EXPECT_EQ(central().post("/v1/kiosks/K-DEV-01/heartbeat", m_kiosk, beat).body["commands"], Json::array());
    auto kiosks = central().get("/v1/admin/kiosks", kAdmin);
    EXPECT_EQ(kiosks.body["kiosks"][0]["outbox_depth"], 3);
    EXPECT_EQ(kiosks.body["kiosks"][0]["health"]["printer"], "paper_low");
}

TEST_P(CentralApi, AdminCampaignStoresAdjustAndReport) {
    EXPECT_EQ(
        central().put("/v1/admin/campaign", kAdmin, Json{{"campaign_toml", "[campaign]\nid = 5\n"}}).code(),
        "invalid_field");
    test_support::TestCampaign campaign;
    campaign.signupBonusPoints = 70;
    ASSERT_EQ(central().put("/v1/admin/campaign", kAdmin, Json{{"campaign_toml", campaign.toml()}}).status,
              200);

    const auto keys = loyalty::SigningKeyPair::generate();
    auto store = central().put(
        "/v1/admin/stores/HCM002", kAdmin,
        Json{{"name", "Quận 2"}, {"public_keys", {loyalty::formatPublicKey(keys.publicKey())}}});
    ASSERT_EQ(store.status, 200) << store.body.dump();
    const auto token =
        signReceipt(loyalty::Receipt{"HCM002", "R-1", loyalty::Dong{100'000}, now() - 60, 2}, keys);
    auto claim = central().post("/v1/claims", m_kiosk, claimBody(token, "0901234567"));
    ASSERT_EQ(claim.status, 200) << claim.body.dump();
    EXPECT_EQ(claim.body["points"], 10 + 70);

    const Json adjust{{"points", -30}, {"reason", "khiếu nại #42"}, {"idempotency_key", "adj-42"}};
    auto adjusted = central().post("/v1/admin/members/0901234567/adjust", kAdmin, adjust);
    EXPECT_EQ(adjusted.body["balance"], 50);
    EXPECT_EQ(central().post("/v1/admin/members/0901234567/adjust", kAdmin, adjust).body["balance"], 50);
    EXPECT_EQ(central()
                  .post("/v1/admin/members/0901234567/adjust", kAdmin,
                        Json{{"points", -51}, {"reason", "x"}, {"idempotency_key", "adj-43"}})
                  .code(),
              "insufficient_points");
    EXPECT_EQ(central()
                  .post("/v1/admin/members/0901234567/adjust", kAdmin,
                        Json{{"points", 5}, {"idempotency_key", "adj-44"}})
                  .code(),
              "invalid_field");

    auto report = central().get(reportPath(), kAdmin);
    ASSERT_EQ(report.status, 200);
    ASSERT_EQ(report.body["rows"].size(), 1u);
    EXPECT_EQ(report.body["rows"][0]["issued"], 80);
    EXPECT_EQ(report.body["rows"][0]["claims"], 1);
    EXPECT_EQ(report.body["rows"][0]["store"], "DEV001");
    EXPECT_EQ(central().get("/v1/admin/reports/points?from=2026-13-01&to=2026-12-01", kAdmin).code(),
              "invalid_field");
}

TEST(CentralBatchOnPostgres, ATransactionThatCannotCommitAnswersRetryAndWritesNothing) {
    if (!PgDatabase::baseUrl()) GTEST_SKIP() << "KIOSK_TEST_PG_URL is not set (scripts/test provides it)";
    PgDatabase db;
    CentralProcess central(CentralProcess::Options{db.url(), "", ""});
    const auto kiosk = enrollDevKiosk(central);
    // The database fails every transaction that stores receipt POISON, as a serialisation failure.
    db.execute(R"sql(
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.receipt_number = 'POISON' THEN
            RAISE EXCEPTION 'test: poisoned receipt' USING ERRCODE = '40001';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poison BEFORE INSERT ON claims FOR EACH ROW EXECUTE FUNCTION refuse_poison();
    )sql");
    Json claims = Json::array();
    for (int i = 0; i < 40; ++i)  // transactions of 16: claims 0-15, 16-31 (POISON is 20), 32-39
        claims.push_back(
            claimBody(signReceipt(i == 20 ? std::string("POISON") : uniqueNumber(), 100'000, now() - 60),
                      "0903000001"));
    auto r = central.post("/v1/claims", kiosk, Json{{"claims", claims}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
    const auto& results = r.body["results"];
    ASSERT_EQ(results.size(), claims.size());
    for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(results[i]["status"], "accepted") << i;
    for (std::size_t i = 16; i < claims.size(); ++i) {
        EXPECT_EQ(results[i]["status"], "retry") << i;
        EXPECT_EQ(results[i]["error"]["code"], "storage_unavailable") << i;
    }
    EXPECT_NE(central.log().find("transaction retry attempt=5"), std::string::npos);
    const std::int64_t committed = 50 + 16 * 10;  // sign-up bonus + 16 receipts of 100.000 ₫
    EXPECT_EQ(central.get("/v1/members/0903000001", kiosk).body["balance"], committed);

    // The kiosk resends what was answered "retry": once the database takes it, everything lands once.
    db.execute("DROP TRIGGER refuse_poison ON claims");
    auto again = central.post("/v1/claims", kiosk, Json{{"claims", claims}});
    ASSERT_EQ(again.status, 200) << again.body.dump();
    for (std::size_t i = 0; i < claims.size(); ++i) {
        EXPECT_EQ(again.body["results"][i]["status"], "accepted") << i;
        EXPECT_EQ(again.body["results"][i]["replayed"], i < 16) << i;
    }
    EXPECT_EQ(central.get("/v1/members/0903000001", kiosk).body["balance"], committed + 24 * 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, CentralApi, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
