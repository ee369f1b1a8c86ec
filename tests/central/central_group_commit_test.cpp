// Group commit across requests against the real central: single claims from many connections are
// stored together, and "accepted" still means committed — a kill -9 in the middle of a storm of
// claims loses none that was answered accepted.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "central_harness.hpp"

namespace central_test {
namespace {

class CentralGroupCommit : public BackendTest {};

struct Sent {
    Json body;
    Json accepted;  ///< the 200 answer, or null when there was none
};

TEST_P(CentralGroupCommit, AKillNineMidBatchLosesNoAcceptedClaim) {
    TempDir data;
    const CentralProcess::Options options{databaseUrl(), data.path().string() + "/central", ""};
    auto central = std::make_unique<CentralProcess>(options);
    const auto kiosk = enrollDevKiosk(*central);

    constexpr int kConnections = 24;
    std::atomic<bool> dead{false};
    std::mutex mutex;
    std::vector<Sent> sent;
    std::vector<std::thread> threads;
    for (int t = 0; t < kConnections; ++t)
        threads.emplace_back([&, t] {
            // A few phones shared between threads: their claims meet in the same batches.
            const std::string phone = "09012345" + std::to_string(10 + t % 6);
            while (!dead.load()) {
                Sent one{claimBody(signReceipt(uniqueNumber(), 200'000, now() - 60), phone), nullptr};
                const auto r = central->post("/v1/claims", kiosk, one.body);
                if (r.status == 200 && r.body.value("status", "") == "accepted") one.accepted = r.body;
                if (r.status == 0) dead = true;
                std::lock_guard lock(mutex);
                sent.push_back(std::move(one));
            }
        });
    // Let a few hundred claims through, then kill in the middle of whatever batch is being stored.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        {
            std::lock_guard lock(mutex);
            if (sent.size() >= 300 || std::chrono::steady_clock::now() > deadline) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(kill(central->pid(), SIGKILL), 0);
    for (auto& t : threads) t.join();
    central->stop();

    central = std::make_unique<CentralProcess>(options);
    int accepted = 0;
    int unanswered = 0;
    for (const auto& one : sent) {
        const auto r = central->post("/v1/claims", kiosk, one.body);
        ASSERT_EQ(r.status, 200) << r.body.dump();
        if (one.accepted.is_null()) {
            ++unanswered;  // lost with the process or stored: either is honest, it was never confirmed
            continue;
        }
        ++accepted;
        EXPECT_TRUE(r.body.value("replayed", false))
            << "accepted before the kill, missing after: " << r.body.dump();
        EXPECT_EQ(r.body["points"], one.accepted["points"]);
        EXPECT_EQ(r.body["receipt_id"], one.accepted["receipt_id"]);
    }
    EXPECT_GE(accepted, 250);
    RecordProperty("accepted_before_kill", accepted);
    RecordProperty("unanswered_at_kill", unanswered);
}

TEST_P(CentralGroupCommit, ConcurrentSingleClaimsEachGetTheirOwnAnswer) {
    CentralProcess central({databaseUrl(), "", ""});
    const auto kiosk = enrollDevKiosk(central);
    // 32 connections: each sends one new receipt, one receipt another thread also claims, and a retry
    // of its first claim; neighbours in a batch must not change each other's answers.
    constexpr int kThreads = 32;
    std::vector<std::string> shared;
    for (int i = 0; i < kThreads / 2; ++i) shared.push_back(signReceipt(uniqueNumber(), 300'000, now() - 60));
    std::atomic<int> accepted{0}, replayed{0}, already{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            const std::string phone = "09087654" + std::to_string(10 + t);
            const auto own = claimBody(signReceipt(uniqueNumber(), 300'000, now() - 60), phone);
            for (const auto& body : {own, claimBody(shared[static_cast<std::size_t>(t / 2)], phone), own}) {
                const auto r = central.post("/v1/claims", kiosk, body);
                if (r.status == 200 && r.body.value("replayed", false))
                    ++replayed;
                else if (r.status == 200 && r.body.value("status", "") == "accepted")
                    ++accepted;
                else if (r.status == 409 && r.code() == "already_claimed")
                    ++already;
                else
                    ++other;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(accepted.load(), kThreads + kThreads / 2);  // every own receipt, each shared one once
    EXPECT_EQ(already.load(), kThreads / 2);
    EXPECT_EQ(replayed.load(), kThreads);
    EXPECT_EQ(other.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CentralGroupCommit, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
