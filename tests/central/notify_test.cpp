// Notifications end to end (issue 18; docs/notifications.md): the real central and the fake provider
// (`kioskctl notify serve`) over loopback HTTP, on SQLite and PostgreSQL. Time that would take hours
// (an outage, quiet hours, points about to expire) passes through central's --demo clock.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "central_harness.hpp"
#include "loyalty/ledger.hpp"
#include "loyalty/time.hpp"
#include "loyalty/webhook_signature.hpp"

namespace central_test {
namespace {

constexpr const char* kSecret = "test-notify-secret-0123456789abcdefghijkl";

/// A free loopback port (bound, read back and closed).
int freePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
        close(fd);
        throw std::runtime_error("no free port");
    }
    close(fd);
    return ntohs(addr.sin_port);
}

/// `kioskctl notify serve` on `port`, stopped with SIGTERM when this dies.
class FakeProvider {
  public:
    FakeProvider(const TempDir& dir, int port, std::vector<std::string> extra)
        : m_log(dir.path().string() + "/provider.jsonl") {
        const auto secretFile = dir.path().string() + "/provider.secret";
        std::ofstream(secretFile) << kSecret << "\n";
        std::vector<std::string> args{std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl",
                                      "notify",
                                      "serve",
                                      "--listen",
                                      "127.0.0.1:" + std::to_string(port),
                                      "--secret-file",
                                      secretFile,
                                      "--log",
                                      m_log};
        args.insert(args.end(), extra.begin(), extra.end());
        m_pid = fork();
        if (m_pid == 0) {
            const int fd =
                open((dir.path().string() + "/provider.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            dup2(fd, 1);
            dup2(fd, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        m_client = std::make_unique<httplib::Client>("127.0.0.1", port);
        for (int i = 0; i < 500; ++i) {
            if (m_client->Get("/stats")) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error("the fake provider did not start");
    }
    ~FakeProvider() {
        kill(m_pid, SIGTERM);
        waitpid(m_pid, nullptr, 0);
    }
    FakeProvider(const FakeProvider&) = delete;
    FakeProvider& operator=(const FakeProvider&) = delete;

    [[nodiscard]] Json stats() const {
        auto res = m_client->Get("/stats");
        return res ? Json::parse(res->body) : Json();
    }
    /// Every message the provider accepted (duplicate copies flagged "duplicate": true).
    [[nodiscard]] std::vector<Json> messages() const {
        std::vector<Json> out;
        std::ifstream in(m_log);
        for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
        return out;
    }

  private:
    std::string m_log;
    pid_t m_pid = -1;
    std::unique_ptr<httplib::Client> m_client;
};

/// Quiet hours from the current local hour for two hours: a promotion queued now waits.
std::string quietForTwoHoursFromNow() {
    const int hour = loyalty::localDateTime(now()).hour;
    return "quiet_start_hour = " + std::to_string(hour) +
           "\nquiet_end_hour = " + std::to_string((hour + 2) % 24) + "\n";
}

std::string notifyToml(int providerPort, const TempDir& dir, const std::string& more = "") {
    const auto secretFile = dir.path().string() + "/central-notify.secret";
    std::ofstream(secretFile) << kSecret << "\n";
    return "[notify]\nprovider_url = \"http://127.0.0.1:" + std::to_string(providerPort) +
           "/send\"\nsecret_file = \"" + secretFile +
           "\"\ntimeout_ms = 300\nbackoff_base_seconds = 1\nbackoff_max_seconds = 2\npoll_ms = 50\n" + more;
}

/// Polls until `done` holds (10 s at most).
bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 400; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

std::vector<Json> outbox(const CentralProcess& central, const std::string& state = "") {
    auto res = central.get("/v1/admin/notify/messages" + (state.empty() ? "" : "?state=" + state), kAdmin);
    EXPECT_EQ(res.status, 200) << res.body.dump();
    std::vector<Json> out;
    for (const auto& m : res.body["messages"]) out.push_back(m);
    return out;
}

std::size_t countEvent(const std::vector<Json>& messages, const std::string& event,
                       const std::string& state) {
    std::size_t n = 0;
    for (const auto& m : messages) n += m["event"] == event && m["state"] == state ? 1U : 0U;
    return n;
}

Json claim(const CentralProcess& central, const std::string& credential, const std::string& phone,
           bool marketing = false, std::int64_t amount = 120'000) {
    auto body = claimBody(signReceipt(uniqueNumber(), amount, now()), phone);
    body["consent"]["marketing"] = marketing;
    auto res = central.post("/v1/claims", credential, body);
    EXPECT_EQ(res.status, 200) << res.body.dump();
    return body;
}

void advance(const CentralProcess& central, std::int64_t seconds) {
    ASSERT_EQ(central.post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", seconds}}).status, 200);
}

loyalty::UnixSeconds serverTime(const CentralProcess& central) {
    return central.get("/healthz", "").body.value("server_time", now());
}

class Notify : public BackendTest {};

TEST_P(Notify, ClaimGivesExactlyOneEarnedMessageThroughTwoTimeouts) {
    TempDir dir;
    const int port = freePort();
    FakeProvider provider(dir, port, {"--late-next", "2", "--late-ms", "1200"});
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir)});
    const auto kiosk = enrollDevKiosk(central);
    const auto body = claim(central, kiosk, "0912345001");
    // The kiosk retries the same claim: replayed, no second message.
    ASSERT_EQ(central.post("/v1/claims", kiosk, body).body.value("replayed", false), true);

    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "earned", "sent") == 1; }))
        << outbox(central, "").size() << central.log();
    const auto messages = outbox(central);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["attempts"], 3) << messages[0].dump();
    EXPECT_EQ(messages[0]["params"]["points"], "62");
    const auto stats = provider.stats();
    EXPECT_EQ(stats["unique"], 1) << stats.dump();
    EXPECT_EQ(stats["duplicates"], 2) << "the two timed-out attempts arrived again and were dropped";
    std::size_t delivered = 0;
    for (const auto& m : provider.messages()) {
        EXPECT_EQ(m["template_id"], "loyalty_earned_vi");
        EXPECT_EQ(m["phone"], "+84912345001");
        delivered += m["duplicate"] == false ? 1U : 0U;
    }
    EXPECT_EQ(delivered, 1u);
}

TEST_P(Notify, RefusedMessageIsDeadLetteredAndReplayed) {
    TempDir dir;
    const int port = freePort();
    FakeProvider provider(dir, port, {"--fail-first", "1", "--fail-status", "400"});
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir)});
    claim(central, enrollDevKiosk(central), "0912345002");
    ASSERT_TRUE(eventually([&] { return outbox(central, "dead").size() == 1; })) << central.log();
    const auto dead = outbox(central, "dead").front();
    EXPECT_EQ(dead["attempts"], 1) << "a 4xx is not retried";
    EXPECT_NE(dead["last_error"].get<std::string>().find("400"), std::string::npos);
    EXPECT_EQ(provider.stats()["unique"], 0);

    const auto id = std::to_string(dead["message_id"].get<std::int64_t>());
    EXPECT_EQ(central.post("/v1/admin/notify/messages/" + id + "/replay", kAdmin, Json::object()).status,
              200);
    EXPECT_EQ(central.post("/v1/admin/notify/messages/" + id + "/replay", kAdmin, Json::object()).status,
              409);
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "earned", "sent") == 1; }));
    EXPECT_EQ(provider.stats()["unique"], 1);
    EXPECT_EQ(provider.stats()["duplicates"], 0);
}

TEST_P(Notify, MarketingOnlyWithConsentOutsideQuietHoursAndStopsOnStop) {
    TempDir dir;
    const int port = freePort();
    FakeProvider provider(dir, port, {});
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir, quietForTwoHoursFromNow())});
    const auto kiosk = enrollDevKiosk(central);
    claim(central, kiosk, "0912345011", true);   // A: consents
    claim(central, kiosk, "0912345012", false);  // B: does not
    claim(central, kiosk, "0912345013", true);   // C: consents, then replies STOP

    auto queued = central.post("/v1/admin/notify/promotions", kAdmin,
                               Json{{"promotion_id", "TET-2027"}, {"params", {{"title", "Tết sale"}}}});
    ASSERT_EQ(queued.status, 200) << queued.body.dump();
    EXPECT_EQ(queued.body["queued"], 2);
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "earned", "sent") == 3; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(countEvent(outbox(central), "promotion", "pending"), 2u) << "held by the quiet hours";

    const auto stop = Json{{"type", "reply"}, {"phone", "+84912345013"}, {"text", " stop "}}.dump();
    auto forged =
        central.request("POST", "/v1/notify/callback", "", stop, "application/json",
                        {{"X-Loyalty-Signature", loyalty::signWebhook("wrong", serverTime(central), stop)}});
    EXPECT_EQ(forged.status, 401);
    auto withdrawn =
        central.request("POST", "/v1/notify/callback", "", stop, "application/json",
                        {{"X-Loyalty-Signature", loyalty::signWebhook(kSecret, serverTime(central), stop)}});
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body.dump();
    EXPECT_EQ(withdrawn.body["withdrawn"], true);

    advance(central, 2 * 3600 + 60);
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "promotion", "pending") == 0; }));
    EXPECT_EQ(countEvent(outbox(central), "promotion", "sent"), 1u);
    EXPECT_EQ(countEvent(outbox(central), "promotion", "suppressed"), 1u);
    std::vector<std::string> promoted;
    for (const auto& m : provider.messages())
        if (m["event"] == "promotion") promoted.push_back(m["phone"]);
    EXPECT_EQ(promoted, std::vector<std::string>{"+84912345011"});
    // The next promotion reaches nobody who has not consented.
    EXPECT_EQ(
        central.post("/v1/admin/notify/promotions", kAdmin, Json{{"promotion_id", "NEXT"}}).body["queued"],
        1);
}

TEST_P(Notify, ProviderDownForAnHourDeliversEverythingOnce) {
    TempDir dir;
    const int port = freePort();  // nothing listens there yet
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir, "max_attempts = 100\n")});
    const auto kiosk = enrollDevKiosk(central);
    for (int i = 0; i < 5; ++i) claim(central, kiosk, "09123450" + std::to_string(20 + i));
    ASSERT_TRUE(eventually([&] {
        for (const auto& m : outbox(central))
            if (m["attempts"] < 2) return false;
        return true;
    })) << central.log();
    advance(central, 3600);
    FakeProvider provider(dir, port, {});
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "earned", "sent") == 5; }))
        << central.log();
    EXPECT_EQ(provider.stats()["unique"], 5);
    EXPECT_EQ(provider.stats()["duplicates"], 0);
}

TEST_P(Notify, ExpiringPointsGiveOneReminderPerBatchPerMember) {
    TempDir dir;
    const int port = freePort();
    FakeProvider provider(dir, port, {});
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir)});
    const auto kiosk = enrollDevKiosk(central);
    claim(central, kiosk, "0912345031");
    claim(central, kiosk, "0912345031");
    claim(central, kiosk, "0912345032");
    // Both batches of this month expire together, 12 months after it; move to 3 days before.
    const auto expiresAt = loyalty::pointsExpireAt(serverTime(central), 12);
    advance(central, expiresAt - serverTime(central) - 3 * 86'400);
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "points_expiring", "sent") == 3; }))
        << central.log();
    advance(central, 86'400);  // the next day's job finds the same batches: nothing new
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto messages = outbox(central);
    std::map<std::string, int> perPhone;
    for (const auto& m : messages)
        if (m["event"] == "points_expiring") ++perPhone[m["phone"]];
    EXPECT_EQ(perPhone["+84912345031"], 2);
    EXPECT_EQ(perPhone["+84912345032"], 1);
    EXPECT_EQ(provider.stats()["duplicates"], 0);
}

TEST_P(Notify, TierAtRiskWarnsOncePerPeriodFromTheDailyJob) {
    TempDir dir;
    const int port = freePort();
    FakeProvider provider(dir, port, {});
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir, "language = \"en\"\n")});
    const auto kiosk = enrollDevKiosk(central);
    claim(central, kiosk, "0912345041", false, 10'000'000);  // 1,000 points: Gold (threshold 1,000)
    claim(central, kiosk, "0912345042");                     // Silver: nothing to lose
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "tier_up", "sent") == 1; }));
    EXPECT_EQ(countEvent(outbox(central), "tier_at_risk", "sent"), 0u) << "a year before the drop";
    // The Gold points leave the 365-day window in 10 days: within tier_risk_days (14).
    advance(central, 355 * 86'400);
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "tier_at_risk", "sent") == 1; }))
        << central.log();
    advance(central, 86'400);  // the next day's job sees the same drop: nothing new
    advance(central, 86'400);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::vector<Json> warnings;
    for (const auto& m : provider.messages())
        if (m["event"] == "tier_at_risk") warnings.push_back(m);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0]["phone"], "+84912345041");
    EXPECT_EQ(warnings[0]["template_id"], "loyalty_tier_at_risk_en");
    EXPECT_EQ(warnings[0]["category"], "transactional");
    EXPECT_EQ(warnings[0]["params"]["tier_en"], "Gold");
    EXPECT_EQ(warnings[0]["params"]["falls_to_en"], "Silver");
    EXPECT_EQ(warnings[0]["params"]["falls_to_vi"], "Bạc");
    EXPECT_EQ(warnings[0]["params"]["earn_to_keep"], "1000");
    EXPECT_FALSE(warnings[0]["params"]["keep_until"].get<std::string>().empty());
}

TEST_P(Notify, KioskWithdrawalStopsTheNextPromotion) {
    TempDir dir;
    const int port = freePort();
    FakeProvider provider(dir, port, {});
    // The promotion waits, queued in the quiet hours, while the member withdraws at the kiosk.
    CentralProcess central({databaseUrl(), "", notifyToml(port, dir, quietForTwoHoursFromNow())});
    const auto kiosk = enrollDevKiosk(central);
    claim(central, kiosk, "0912345051", true);
    claim(central, kiosk, "0912345052", true);
    const auto before = central.get("/v1/members/0912345051", kiosk);
    ASSERT_EQ(before.status, 200) << before.body.dump();
    EXPECT_EQ(before.body["consent"]["marketing"], true);
    EXPECT_EQ(before.body["consent"]["source"].get<std::string>().rfind("kiosk:", 0), 0u);
    ASSERT_EQ(
        central.post("/v1/admin/notify/promotions", kAdmin, Json{{"promotion_id", "P1"}}).body["queued"], 2);

    EXPECT_EQ(central.post("/v1/members/0912345051/consent/withdraw", kAdmin, Json::object()).status, 403)
        << "the kiosk's call, not the admin's";
    EXPECT_EQ(central.post("/v1/members/0912345099/consent/withdraw", kiosk, Json::object()).status, 404);
    EXPECT_EQ(central.post("/v1/members/12ab/consent/withdraw", kiosk, Json::object()).status, 422);
    const auto at = serverTime(central);
    auto withdrawn = central.post("/v1/members/0912345051/consent/withdraw", kiosk, Json::object());
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body.dump();
    EXPECT_EQ(withdrawn.body["consent"]["marketing"], false);
    EXPECT_EQ(withdrawn.body["consent"]["source"], before.body["consent"]["source"]);  // this kiosk
    EXPECT_GE(withdrawn.body["consent"]["at"].get<std::int64_t>(), at);
    EXPECT_EQ(central.get("/v1/members/0912345051", kiosk).body["consent"]["marketing"], false);

    advance(central, 2 * 3600 + 60);  // the quiet hours end: the queued promotion goes out
    ASSERT_TRUE(eventually([&] { return countEvent(outbox(central), "promotion", "pending") == 0; }));
    EXPECT_EQ(countEvent(outbox(central), "promotion", "suppressed"), 1u);
    std::vector<std::string> promoted;
    for (const auto& m : provider.messages())
        if (m["event"] == "promotion") promoted.push_back(m["phone"]);
    EXPECT_EQ(promoted, std::vector<std::string>{"+84912345052"});
}

TEST(NotifySettings, RefusedAtStartWithTheKeyNamed) {
    TempDir dir;
    const auto refusal = [&](const std::string& toml) {
        try {
            CentralProcess central({"", "", toml});
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("started");
    };
    EXPECT_NE(refusal("[notify]\nprovider_url = \"http://127.0.0.1:9/send\"\n")
                  .find("notify.secret_file is required with notify.provider_url"),
              std::string::npos);
    EXPECT_NE(refusal(notifyToml(9, dir) + "batch = 0\n").find("notify.batch must be between 1 and 5000"),
              std::string::npos);
    EXPECT_NE(refusal("[notify]\nprovider_url = \"ftp://x\"\nsecret_file = \"/nonexistent\"\n")
                  .find("notify.provider_url must start with http:// or https://"),
              std::string::npos);
    EXPECT_NE(refusal("[notify]\nprovder_url = \"http://x\"\n").find("notify.provder_url is not a known key"),
              std::string::npos);
    std::ofstream(dir.path().string() + "/short.secret") << "too-short\n";
    EXPECT_NE(refusal("[notify]\nprovider_url = \"http://127.0.0.1:9/send\"\nsecret_file = \"" +
                      dir.path().string() + "/short.secret\"\n")
                  .find("at least 32 characters"),
              std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Notify, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
