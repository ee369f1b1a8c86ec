// Concurrency against the real central: races are decided by the database, so they hold with many
// threads and with several central processes on one PostgreSQL.

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <thread>

#include "central_harness.hpp"

namespace central_test {
namespace {

/// The answers of one kiosk draining its outbox: batches resent for the claims answered "retry" (as
/// the kiosk's sync worker does) until every claim has a definitive answer.
struct Drain {
    std::map<std::string, Json> answers;  ///< by idempotency key
    int retries = 0;                      ///< claims answered "retry" on the way
    std::string unexpected;               ///< anything but a 200 with a result per claim
};

void drainBatch(const CentralProcess& via, const std::string& kiosk, Json claims, Drain& out) {
    for (int attempt = 0; attempt < 20 && !claims.empty(); ++attempt) {
        auto r = via.post("/v1/claims", kiosk, Json{{"claims", claims}});
        if (r.status != 200 || r.body["results"].size() != claims.size()) {
            out.unexpected += std::to_string(r.status) + " " + r.code() + r.transportError + "; ";
            continue;
        }
        Json again = Json::array();
        for (std::size_t i = 0; i < claims.size(); ++i) {
            const auto& result = r.body["results"][i];
            if (result["status"] == "retry") {
                ++out.retries;
                again.push_back(claims[i]);
            } else {
                out.answers[claims[i]["idempotency_key"].get<std::string>()] = result;
            }
        }
        claims = std::move(again);
    }
    if (!claims.empty()) out.unexpected += std::to_string(claims.size()) + " claims never answered; ";
}

/// Four kiosks drain at once through `servers` in turn, every other kiosk in the opposite order — the
/// pattern that deadlocks transactions holding several rows until commit. First batches over the SAME
/// twelve members: every claim earns. Then the same 24 receipts from every kiosk, each for a different
/// one of six NEW members: each receipt earns once, each member is created once. Neither phase may
/// deadlock (nothing retried, no deadlock in the logs), on SQLite or PostgreSQL.
void opposingBatches(const std::vector<const CentralProcess*>& servers, const std::string& kiosk) {
    constexpr int kKiosks = 4;
    constexpr int kRounds = 3;
    constexpr int kPerMember = 4;  // claims per member in each batch
    std::vector<std::string> phones;
    for (int i = 0; i < 12; ++i) {
        phones.push_back("0903" + std::to_string(100'000 + i));
        auto joined = servers.front()->post(
            "/v1/claims", kiosk, claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), phones.back()));
        ASSERT_EQ(joined.status, 200) << joined.body.dump();  // 10 + 50 sign-up bonus
    }
    const auto batchOf = [&](int k, const std::function<std::string()>& token, std::size_t members) {
        Json batch = Json::array();
        for (std::size_t p = 0; p < members; ++p)
            batch.push_back(claimBody(token(), k % 2 ? phones[members - 1 - p] : phones[p]));
        return batch;
    };
    const auto fresh = [] { return signReceipt(uniqueNumber(), 100'000, now() - 60); };

    std::vector<std::vector<Json>> batches(kKiosks);
    for (int k = 0; k < kKiosks; ++k)
        for (int round = 0; round < kRounds; ++round) {
            Json batch = Json::array();
            for (int n = 0; n < kPerMember; ++n)
                for (auto& claim : batchOf(k, fresh, phones.size())) batch.push_back(std::move(claim));
            batches[static_cast<std::size_t>(k)].push_back(std::move(batch));
        }
    std::vector<Drain> drains(kKiosks);
    race(kKiosks, [&](int k) {
        const auto& via = *servers[static_cast<std::size_t>(k) % servers.size()];
        for (const auto& batch : batches[static_cast<std::size_t>(k)])
            drainBatch(via, kiosk, batch, drains[static_cast<std::size_t>(k)]);
    });
    for (const auto& drain : drains) {
        EXPECT_EQ(drain.unexpected, "");
        EXPECT_EQ(drain.retries, 0);
        EXPECT_EQ(drain.answers.size(), static_cast<std::size_t>(kRounds) * kPerMember * phones.size());
        for (const auto& [key, answer] : drain.answers)
            EXPECT_EQ(answer["status"], "accepted") << answer.dump();
    }
    for (const auto* server : servers)
        EXPECT_EQ(server->log().find("deadlock"), std::string::npos) << server->log();
    constexpr std::int64_t kEach = 60 + kKiosks * kRounds * kPerMember * 10;
    for (const auto& phone : phones) {
        auto member = servers.front()->get("/v1/members/" + phone, kiosk);
        EXPECT_EQ(member.body["balance"], kEach) << phone;
    }

    // The same receipts from every kiosk: kiosk k claims receipt i for new member (i + k) % 6.
    std::vector<std::string> contested;
    for (int i = 0; i < 24; ++i) contested.push_back(fresh());
    std::vector<std::string> newcomers;
    for (int i = 0; i < 6; ++i) newcomers.push_back("0904" + std::to_string(100'000 + i));
    std::vector<Drain> rivals(kKiosks);
    race(kKiosks, [&](int k) {
        Json batch = Json::array();
        for (std::size_t n = 0; n < contested.size(); ++n) {
            const std::size_t i = k % 2 ? contested.size() - 1 - n : n;
            batch.push_back(claimBody(contested[i], newcomers[(i + static_cast<std::size_t>(k)) % 6]));
        }
        drainBatch(*servers[static_cast<std::size_t>(k) % servers.size()], kiosk, batch,
                   rivals[static_cast<std::size_t>(k)]);
    });
    std::map<std::string, int> earned;  // receipt id -> accepted claims
    std::int64_t gained = 0;
    int joined = 0;
    for (const auto& drain : rivals) {
        EXPECT_EQ(drain.unexpected, "");
        EXPECT_EQ(drain.retries, 0);
        EXPECT_EQ(drain.answers.size(), contested.size());
        for (const auto& [key, answer] : drain.answers) {
            if (answer["status"] == "accepted") {
                ++earned[answer["receipt_id"].get<std::string>()];
                gained += answer["points"].get<std::int64_t>();
                joined += answer["new_member"].get<bool>() ? 1 : 0;
            } else {
                EXPECT_EQ(answer["error"]["code"], "already_claimed") << answer.dump();
            }
        }
    }
    EXPECT_EQ(earned.size(), contested.size());
    for (const auto& [receipt, times] : earned) EXPECT_EQ(times, 1) << receipt;
    std::int64_t total = 0;
    int members = 0;
    for (const auto& phone : newcomers) {
        auto member = servers.front()->get("/v1/members/" + phone, kiosk);
        if (member.status != 200) continue;
        ++members;
        total += member.body["balance"].get<std::int64_t>();
    }
    EXPECT_EQ(joined, members);
    EXPECT_EQ(total, gained);
    EXPECT_EQ(gained, 24 * 10 + 50 * members);
    for (const auto* server : servers)
        EXPECT_EQ(server->log().find("deadlock"), std::string::npos) << server->log();
}

class CentralConcurrency : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{url(), "", ""});
        m_kiosk = enrollDevKiosk(*m_central);
    }
    std::string url() const { return databaseUrl(); }

    std::unique_ptr<CentralProcess> m_central;
    std::string m_kiosk;
};

TEST_P(CentralConcurrency, SameReceiptFrom16ThreadsEarnsExactlyOnce) {
    for (int round = 0; round < 3; ++round) {
        const auto token = signReceipt(uniqueNumber(), 500'000, now() - 60);
        std::atomic<int> accepted{0}, duplicate{0}, other{0};
        race(16, [&](int i) {
            const auto phone = i % 2 ? "0901234567" : "0912345678";
            auto r = m_central->post("/v1/claims", m_kiosk, claimBody(token, phone));
            if (r.status == 200 && r.body["status"] == "accepted")
                ++accepted;
            else if (r.status == 409 && r.code() == "already_claimed")
                ++duplicate;
            else
                ++other;
        });
        EXPECT_EQ(accepted.load(), 1) << "round " << round;
        EXPECT_EQ(duplicate.load(), 15) << "round " << round;
        EXPECT_EQ(other.load(), 0);
    }
    // Three receipts of 500.000 ₫ (50 points each) and one sign-up bonus per member that won one.
    std::int64_t total = 0;
    for (const char* phone : {"0901234567", "0912345678"}) {
        auto m = m_central->get(std::string("/v1/members/") + phone, m_kiosk);
        if (m.status == 200) total += m.body["balance"].get<std::int64_t>() - 50;
    }
    EXPECT_EQ(total, 150);
}

TEST_P(CentralConcurrency, ConcurrentSpendingNeverTakesABalanceBelowZero) {
    // 16 debits of 100 against a balance of 1.000: exactly 10 pass.
    auto claim = m_central->post("/v1/claims", m_kiosk,
                                 claimBody(signReceipt(uniqueNumber(), 20'000, now() - 60), "0901234567"));
    ASSERT_EQ(claim.status, 200);
    ASSERT_EQ(m_central
                  ->post("/v1/admin/members/0901234567/adjust", kAdmin,
                         Json{{"points", 1000 - 52}, {"reason", "test"}, {"idempotency_key", newKey()}})
                  .status,
              200);
    std::atomic<int> passed{0}, refused{0};
    race(16, [&](int) {
        auto r = m_central->post("/v1/admin/members/0901234567/adjust", kAdmin,
                                 Json{{"points", -100}, {"reason", "race"}, {"idempotency_key", newKey()}});
        if (r.status == 200)
            ++passed;
        else if (r.code() == "insufficient_points")
            ++refused;
    });
    EXPECT_EQ(passed.load(), 10);
    EXPECT_EQ(refused.load(), 6);
    EXPECT_EQ(m_central->get("/v1/members/0901234567", m_kiosk).body["balance"], 0);

    // A reward with stock 3, redeemed at once by 8 members holding valid codes: exactly 3 vouchers.
    ASSERT_EQ(m_central
                  ->put("/v1/admin/rewards/LIMITED", kAdmin,
                        Json{{"name_vi", "Giới hạn"},
                             {"name_en", "Limited"},
                             {"cost", 10},
                             {"value_dong", 1000},
                             {"stock", 3},
                             {"voucher_validity_days", 7}})
                  .status,
              200);
    std::vector<std::string> phones;
    std::vector<std::string> codes;
    for (int i = 0; i < 8; ++i) {
        const std::string phone = "09" + std::to_string(10'000'000 + i * 1111);
        phones.push_back(phone);
        ASSERT_EQ(m_central
                      ->post("/v1/claims", m_kiosk,
                             claimBody(signReceipt(uniqueNumber(), 20'000, now() - 60), phone))
                      .status,
                  200);
        ASSERT_EQ(m_central->post("/v1/otp", m_kiosk, Json{{"phone", phone}}).status, 200);
        codes.push_back(m_central->lastOtp("+84" + phone.substr(1)));
    }
    std::atomic<int> vouchers{0}, outOfStock{0};
    race(8, [&](int i) {
        auto r = m_central->post("/v1/redemptions", m_kiosk,
                                 Json{{"idempotency_key", newKey()},
                                      {"phone", phones[static_cast<std::size_t>(i)]},
                                      {"reward_id", "LIMITED"},
                                      {"otp", codes[static_cast<std::size_t>(i)]}});
        if (r.status == 200)
            ++vouchers;
        else if (r.code() == "reward_out_of_stock")
            ++outOfStock;
    });
    EXPECT_EQ(vouchers.load(), 3);
    EXPECT_EQ(outOfStock.load(), 5);
}

TEST_P(CentralConcurrency, OverloadAnswers503WithRetryAfterAndRecovers) {
    // A tiny server: 1 worker, 1 waiting connection. 48 connections at once must not all be served.
    CentralProcess tiny(
        CentralProcess::Options{url().empty() ? "" : url(), "", "workers = 1\nmax_queued = 1\n"});
    const auto kiosk = [&] {
        if (!m_pg) return enrollDevKiosk(tiny);
        return m_kiosk;  // same PostgreSQL database: the dev kiosk is already enrolled there
    }();
    std::atomic<int> ok{0}, overloaded{0}, other{0};
    std::mutex mutex;
    std::string retryAfter, unexpected;
    race(48, [&](int i) {
        auto r = tiny.post(
            "/v1/claims", kiosk,
            claimBody(signReceipt(uniqueNumber(), 100'000, now() - 60), i % 2 ? "0901234567" : "0912345678"));
        if (r.status == 200)
            ++ok;
        else if (r.status == 503 && r.code() == "overloaded") {
            ++overloaded;
            std::lock_guard lock(mutex);
            retryAfter = r.header("Retry-After");
        } else {
            ++other;
            std::lock_guard lock(mutex);
            unexpected += std::to_string(r.status) + " " + r.code() + r.transportError + "; ";
        }
    });
    EXPECT_GT(ok.load(), 0);
    EXPECT_GT(overloaded.load(), 0);
    EXPECT_EQ(other.load(), 0) << unexpected;
    EXPECT_EQ(retryAfter, "1");
    EXPECT_EQ(tiny.get("/healthz", "").status, 200);
    EXPECT_TRUE(tiny.running());
}

TEST_P(CentralConcurrency, BatchesOverTheSameMembersInOppositeOrdersNeitherDeadlockNorCountTwice) {
    opposingBatches({m_central.get()}, m_kiosk);
}

INSTANTIATE_TEST_SUITE_P(Backends, CentralConcurrency, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

TEST(CentralTwoProcesses, SameReceiptThroughTwoProcessesOnOnePostgresEarnsOnce) {
    if (!PgDatabase::baseUrl()) GTEST_SKIP() << "KIOSK_TEST_PG_URL is not set (scripts/test provides it)";
    PgDatabase db;
    CentralProcess a(CentralProcess::Options{db.url(), "", ""});
    CentralProcess b(CentralProcess::Options{db.url(), "", ""});
    const auto kiosk = enrollDevKiosk(a);  // one database: the credential works on both
    std::int64_t expected = 0;
    for (int round = 0; round < 10; ++round) {
        const auto token = signReceipt(uniqueNumber(), 300'000, now() - 60);
        std::atomic<int> accepted{0}, duplicate{0};
        race(16, [&](int i) {
            const CentralProcess& via = i % 2 ? a : b;
            auto r = via.post("/v1/claims", kiosk, claimBody(token, "0901234567"));
            if (r.status == 200 && r.body["status"] == "accepted")
                ++accepted;
            else if (r.code() == "already_claimed")
                ++duplicate;
        });
        EXPECT_EQ(accepted.load(), 1) << "round " << round;
        EXPECT_EQ(duplicate.load(), 15) << "round " << round;
        expected += 30;
    }
    auto member = b.get("/v1/members/0901234567", kiosk);
    ASSERT_EQ(member.status, 200);
    EXPECT_EQ(member.body["balance"], expected + 50);
}

TEST(CentralTwoProcesses, OpposingBatchesThroughTwoProcessesOnOnePostgresEarnOnce) {
    if (!PgDatabase::baseUrl()) GTEST_SKIP() << "KIOSK_TEST_PG_URL is not set (scripts/test provides it)";
    PgDatabase db;
    CentralProcess a(CentralProcess::Options{db.url(), "", ""});
    CentralProcess b(CentralProcess::Options{db.url(), "", ""});
    opposingBatches({&a, &b}, enrollDevKiosk(a));
}

}  // namespace
}  // namespace central_test
