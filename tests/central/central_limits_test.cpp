// Issue 12's findings against the real central, on SQLite and PostgreSQL: voucher codes are bearer
// secrets (no full code in a member lookup, consume bound to the store and locked against guessing),
// one-time codes bound to (member, kiosk, reward) with a lockout only real attempts count, redemption
// replays only to the issuing kiosk, token-bucket rate limits with Retry-After, sampled refusal logs and
// conflicting Content-Length headers refused.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <regex>
#include <thread>

#include "central_harness.hpp"

namespace central_test {
namespace {

class CentralLimits : public BackendTest {
  protected:
    void start(const std::string& extraToml = "") {
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", extraToml});
        m_kiosk = enrollDevKiosk(*m_central);
    }
    const CentralProcess& central() const { return *m_central; }
    void memberWith(const std::string& phone, std::int64_t points) const {
        auto claim = central().post("/v1/claims", m_kiosk,
                                    claimBody(signReceipt(uniqueNumber(), 20'000, now() - 60), phone));
        ASSERT_EQ(claim.status, 200) << claim.body.dump();
        auto adjust = central().post("/v1/admin/members/" + phone + "/adjust", kAdmin,
                                     Json{{"points", points - claim.body["balance"].get<std::int64_t>()},
                                          {"reason", "test"},
                                          {"idempotency_key", newKey()}});
        ASSERT_EQ(adjust.status, 200) << adjust.body.dump();
    }
    Response redeem(const std::string& kiosk, const std::string& phone, const std::string& reward,
                    const std::string& otp, const std::string& key = newKey()) const {
        return central().post(
            "/v1/redemptions", kiosk,
            Json{{"idempotency_key", key}, {"phone", phone}, {"reward_id", reward}, {"otp", otp}});
    }
    /// A voucher of CAFE-20K for a new member `phone` redeemed at the dev kiosk: the redemption answer.
    Json voucherFor(const std::string& phone) const {
        memberWith(phone, 1000);
        EXPECT_EQ(central().post("/v1/otp", m_kiosk, Json{{"phone", phone}}).status, 200);
        auto r = redeem(m_kiosk, phone, "CAFE-20K", central().lastOtp("+84" + phone.substr(1)));
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body;
    }

    std::unique_ptr<CentralProcess> m_central;
    std::string m_kiosk;
};

TEST_P(CentralLimits, AMemberLookupShowsNoFullVoucherCode) {
    start();
    const auto voucher = voucherFor("0901234567");
    const auto code = voucher["voucher"]["code"].get<std::string>();
    for (const auto& who : {m_kiosk, enrollKiosk(central(), "K-OTHER"), std::string(kAdmin)}) {
        auto member = central().get("/v1/members/0901234567", who);
        ASSERT_EQ(member.status, 200) << member.body.dump();
        EXPECT_EQ(member.body.dump().find(code), std::string::npos) << member.body.dump();
        const auto shown = member.body["history"][0]["description"].get<std::string>();
        EXPECT_EQ(shown, "****-**" + code.substr(code.size() - 2)) << shown;
    }
}

TEST_P(CentralLimits, ConsumeIsBoundToTheStoreAndRefusesUnknownStores) {
    start();
    const auto code = voucherFor("0901234567")["voucher"]["code"].get<std::string>();
    const std::string path = "/v1/vouchers/" + code + "/consume";
    EXPECT_EQ(central().post(path, m_kiosk, Json{{"store", "NOPE-STORE"}}).code(), "store_unknown");
    EXPECT_EQ(central().post(path, kAdmin, Json{{"store", "NOPE-STORE"}}).code(), "store_unknown");
    ASSERT_EQ(central().put("/v1/admin/stores/S2", kAdmin, Json{{"name", "Store 2"}}).status, 200);
    EXPECT_EQ(central().post(path, m_kiosk, Json{{"store", "S2"}}).code(), "forbidden");
    auto consumed = central().post(path, m_kiosk, Json{{"store", "DEV001"}});
    EXPECT_EQ(consumed.status, 200) << consumed.body.dump();
}

TEST_P(CentralLimits, TenThousandConsumeGuessesAreStoppedWithinTheBudget) {
    // Rate limits wide open: what stops the guessing here is the guess budget alone.
    start(
        "[rate_limits]\nconsume_per_minute = 10000000\nconsume_burst = 100000\n"
        "per_address_per_minute = 10000000\nper_address_burst = 100000\n"
        "consume_guesses_per_hour = 1\nconsume_guesses_burst = 25\n");
    const auto code = voucherFor("0901234567")["voucher"]["code"].get<std::string>();
    httplib::Client client("127.0.0.1", central().port());
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);  // else each answer waits for a delayed ACK (~40 ms)
    const httplib::Headers auth{{"Authorization", "Bearer " + m_kiosk}};
    int unknown = 0, limited = 0, other = 0;
    std::string retryAfter;
    for (int i = 0; i < 10'000; ++i) {
        // Well-formed codes that do not exist: the check letter makes a random one invalid, so the
        // guess changes the first characters of a real code and keeps its shape.
        auto r =
            client.Post("/v1/vouchers/" + std::string(i % 2 ? "ZZZZ" : "YYYY") + code.substr(4) + "/consume",
                        auth, "{}", "application/json");
        ASSERT_TRUE(r);
        if (r->status == 429) {
            ++limited;
            retryAfter = r->get_header_value("Retry-After");
        } else if (r->status / 100 == 4) {
            ++unknown;
        } else {
            ++other;
        }
    }
    EXPECT_LE(unknown, 26);  // the budget, plus what refilled at 1 an hour
    EXPECT_GE(limited, 10'000 - 26);
    EXPECT_EQ(other, 0);
    EXPECT_GT(std::stoi(retryAfter), 60);
    // Locked out: even the real code is not tried for this credential; another credential consumes it.
    EXPECT_EQ(central().post("/v1/vouchers/" + code + "/consume", m_kiosk, Json::object()).status, 429);
    EXPECT_EQ(central().post("/v1/vouchers/" + code + "/consume", kAdmin, Json::object()).status, 200);
}

TEST_P(CentralLimits, BogusRedemptionsDoNotLockAMemberWithNoOutstandingCode) {
    start();
    memberWith("0901234567", 1000);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(redeem(m_kiosk, "0901234567", "CAFE-20K", "123456").code(), "otp_invalid");
    ASSERT_EQ(central().post("/v1/otp", m_kiosk, Json{{"phone", "0901234567"}}).status, 200);
    auto r = redeem(m_kiosk, "0901234567", "CAFE-20K", central().lastOtp("+84901234567"));
    EXPECT_EQ(r.status, 200) << r.body.dump();
}

TEST_P(CentralLimits, AnOtpIsBoundToItsKioskAndReward) {
    start();
    memberWith("0901234567", 1000);
    const auto other = enrollKiosk(central(), "K-B");
    ASSERT_EQ(
        central().post("/v1/otp", m_kiosk, Json{{"phone", "0901234567"}, {"reward_id", "CAFE-20K"}}).status,
        200);
    const auto code = central().lastOtp("+84901234567");
    EXPECT_EQ(redeem(other, "0901234567", "CAFE-20K", code).code(), "otp_invalid");
    EXPECT_EQ(redeem(m_kiosk, "0901234567", "GIFT-50K", code).code(), "otp_invalid");
    const auto key = newKey();
    auto ok = redeem(m_kiosk, "0901234567", "CAFE-20K", code, key);
    ASSERT_EQ(ok.status, 200) << ok.body.dump();
    // The idempotent replay answers only the kiosk that redeemed.
    EXPECT_EQ(redeem(m_kiosk, "0901234567", "CAFE-20K", "000000", key).body["voucher"]["code"],
              ok.body["voucher"]["code"]);
    auto stolen = redeem(other, "0901234567", "CAFE-20K", "000000", key);
    EXPECT_EQ(stolen.code(), "idempotency_conflict");
    EXPECT_FALSE(stolen.body.contains("voucher"));
}

TEST_P(CentralLimits, RateLimitsAnswer429WithRetryAfterPerCredentialAndPerAddress) {
    start(
        "[rate_limits]\nlookup_per_minute = 1\nlookup_burst = 5\nper_address_per_minute = 1\n"
        "per_address_burst = 12\n");
    memberWith("0901234567", 100);  // claims and admin calls are not under these limits
    // This address has spent 1 token (the enrollment in start()).
    for (int i = 0; i < 5; ++i) EXPECT_EQ(central().get("/v1/members/0901234567", m_kiosk).status, 200);
    auto limited = central().get("/v1/members/0901234567", m_kiosk);
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.code(), "rate_limited");
    EXPECT_GE(std::stoi(limited.header("Retry-After")), 1);
    // Another credential has a bucket of its own, but shares this address's: 12 - 8 = 4 lookups left.
    const auto other = enrollKiosk(central(), "K-B");
    for (int i = 0; i < 4; ++i) EXPECT_EQ(central().get("/v1/members/0901234567", other).status, 200);
    auto byAddress = central().get("/v1/members/0901234567", other);
    EXPECT_EQ(byAddress.status, 429);
    EXPECT_GE(std::stoi(byAddress.header("Retry-After")), 30);
    const auto code = newEnrollmentCode(central(), "K-C");
    EXPECT_EQ(central().post("/v1/kiosks/enroll", "", Json{{"enrollment_code", code}}).code(),
              "rate_limited");
}

TEST_P(CentralLimits, RefusalsAreLoggedSampledNotOneLinePerRequest) {
    start();
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 400; ++i) (void)central().get("/v1/admin/kiosks", "wrong-token");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    (void)central().get("/v1/admin/kiosks", "wrong-token");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto log = central().log();
    const std::regex refused("refused method=GET route=/v1/admin/kiosks");
    const auto lines =
        std::distance(std::sregex_iterator(log.begin(), log.end(), refused), std::sregex_iterator());
    EXPECT_LE(lines, static_cast<long>(20 * (seconds + 2))) << lines;
    EXPECT_LT(lines, 400);
    const std::regex suppressed("suppressed_before=([0-9]+)");
    long total = 0;
    for (std::sregex_iterator it(log.begin(), log.end(), suppressed), end; it != end; ++it)
        total += std::stol((*it)[1]);
    EXPECT_EQ(lines + total, 401);  // every refusal is a line or counted in one
}

TEST_P(CentralLimits, ConflictingContentLengthHeadersAreRefusedAndTheConnectionClosed) {
    start();
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(central().port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string smuggled = "GET /v1/admin/kiosks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 std::string(kAdmin) + "\r\n\r\n";
    const std::string body = "{}" + smuggled;
    const std::string request =
        "POST /v1/otp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;)
        answer.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("HTTP/1.1", 1), std::string::npos) << "a second answer: " << answer;
}

INSTANTIATE_TEST_SUITE_P(Backends, CentralLimits, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
