// SyncWorker against a fake central on 127.0.0.1 (real HTTP, real SQLite), with a manual clock where
// the test needs to move time.

#include "kiosk/sync/sync_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "fake_central.hpp"
#include "hal/clock.hpp"
#include "jobs/heartbeat.hpp"
#include "link.hpp"
#include "scripted_server.hpp"
#include "temp_dir.hpp"

namespace kiosk::sync {
namespace {

using namespace std::chrono_literals;

NewClaim fakeClaim(const std::string& receipt, std::int64_t points, const std::string& phone = "0901234567") {
    NewClaim claim;
    claim.receiptId = receipt;
    claim.token = "FAKE:" + receipt + ":" + std::to_string(points);
    claim.phone = phone;
    claim.consentJoin = true;
    claim.consentTextVersion = "v1";
    claim.acceptedAt = 1'790'000'000;
    claim.provisionalPoints = points;
    return claim;
}

net::CentralClient clientFor(const std::string& url) {
    net::ClientConfig config;
    config.baseUrl = url;
    config.kioskId = "K-1";
    config.credential = "c";
    config.connectTimeout = 500ms;
    config.requestTimeout = 1000ms;
    auto client = net::CentralClient::create(config);
    EXPECT_TRUE(client.has_value());
    return std::move(*client);
}

/// Polls `done` in real time (the worker runs on its own thread) for up to `limit`.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

class SyncWorkerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto store = LocalStore::open(m_dir.path() / "kiosk.db");
        ASSERT_TRUE(store.has_value()) << store.error().message;
        m_store = std::move(*store);
    }
    TempDir m_dir;
    std::unique_ptr<LocalStore> m_store;
    hal::SystemClock m_systemClock;
};

TEST_F(SyncWorkerTest, DrainsTheOutboxInBatchesAndReportsEachClaim) {
    FakeCentral central;
    std::int64_t expected = 0;
    for (int i = 0; i < 250; ++i) {
        ASSERT_TRUE(m_store->enqueue(fakeClaim("S1/" + std::to_string(i), i % 7 + 1)).has_value());
        expected += i % 7 + 1;
    }
    std::atomic<int> settled{0};
    SyncEvents events;
    events.claimSettled = [&](const ClaimSettled& s) {
        if (s.outcome.status == net::ClaimOutcome::Status::Accepted) ++settled;
    };
    SyncOptions options;
    options.batchSize = 100;
    SyncWorker worker(*m_store, clientFor(central.url()), m_systemClock, options, events);
    worker.start();
    ASSERT_TRUE(eventually([&] { return m_store->outboxDepth().value() == 0; }));
    EXPECT_TRUE(eventually([&] { return settled.load() == 250; }));
    EXPECT_EQ(central.ledgerSum(), expected);
    EXPECT_EQ(central.claimRequests.load(), 3);  // 100 + 100 + 50
    EXPECT_EQ(central.duplicateRefusals.load(), 0);
    EXPECT_TRUE(eventually([&] { return worker.status().online; }));
    worker.stop();
}

TEST_F(SyncWorkerTest, RefusalIsAuditedAndPendingPointsCorrected) {
    FakeCentral central;
    central.preClaim("S1/9", 40);
    const auto key = m_store->enqueue(fakeClaim("S1/9", 40, "0907777777")).value();
    EXPECT_EQ(m_store->pendingPoints("0907777777").value(), 40);
    SyncWorker worker(*m_store, clientFor(central.url()), m_systemClock, {}, {});
    worker.start();
    ASSERT_TRUE(eventually([&] { return m_store->entry(key).value().state == EntryState::Refused; }));
    worker.stop();
    EXPECT_EQ(m_store->pendingPoints("0907777777").value(), 0);
    const auto refusals = m_store->refusals().value();
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0].receiptId, "S1/9");
    EXPECT_EQ(refusals[0].code, "already_claimed");
    EXPECT_EQ(central.ledgerSum(), 40);  // the other kiosk's claim, not ours
}

TEST_F(SyncWorkerTest, TransientFailuresKeepEntriesPendingWithBackoff) {
    FakeCentral central;
    central.setFailing(true);
    hal::ManualClock clock;
    const auto key = m_store->enqueue(fakeClaim("S1/1", 5)).value();
    SyncOptions options;
    options.initialBackoff = 1000ms;
    options.maxBackoff = 8000ms;
    SyncWorker worker(*m_store, clientFor(central.url()), clock, options, {});
    worker.start();
    // The worker notes the failed attempt, then schedules the retry: wait for both before moving time.
    const auto attempted = [&](std::int64_t n) {
        const bool seen = eventually([&] { return m_store->entry(key).value().attempts == n; });
        std::this_thread::sleep_for(50ms);
        return seen;
    };
    ASSERT_TRUE(attempted(1));
    // The manual clock has not moved: no retry however long we wait in real time.
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(central.claimRequests.load(), 1);
    // Backoff doubles (with jitter in [half, full]): 1 s, 2 s, 4 s …
    clock.advance(1000ms);
    ASSERT_TRUE(attempted(2));
    clock.advance(900ms);
    std::this_thread::sleep_for(1200ms);  // > the worker's 1 s re-read of the clock
    EXPECT_EQ(central.claimRequests.load(), 2);
    clock.advance(1100ms);
    ASSERT_TRUE(attempted(3));
    EXPECT_EQ(central.claimRequests.load(), 3);
    const auto entry = m_store->entry(key).value();
    EXPECT_EQ(entry.state, EntryState::Pending);
    EXPECT_EQ(entry.attempts, 3);
    EXPECT_NE(entry.lastError.find("503"), std::string::npos) << entry.lastError;
    EXPECT_TRUE(worker.status().online);  // central answered, it was just busy
    // Central recovers; "sync now" (as after an enqueue) skips the remaining backoff.
    central.setFailing(false);
    worker.syncNow();
    ASSERT_TRUE(eventually([&] { return m_store->entry(key).value().state == EntryState::Confirmed; }));
    EXPECT_EQ(central.ledgerSum(), 5);
}

TEST_F(SyncWorkerTest, HostileAnswersNeverMarkAnythingDone) {
    const auto http = [](const std::string& status, const std::string& body) {
        return "HTTP/1.1 " + status +
               "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body;
    };
    const std::vector<std::string> answers = {
        http("200 OK", "not json!"),
        http("200 OK",
             R"({"error":{"code":"oops"},"results":[{"status":"accepted","points":7,"balance":7}]})"),
        http("200 OK", R"({"results":[{"status":"accepted","points":"7","balance":7}]})"),
        http("200 OK", R"({"results":[{"status":"accepted","points":7,"balance":7}]})").substr(0, 90),
        http("404 Not Found", "<html>not found</html>"),
        http("200 OK", R"({"results":[]})"),
    };
    std::atomic<int> served{0};
    ScriptedServer server([&](int fd) {
        ScriptedServer::sendAll(fd, answers[static_cast<std::size_t>(served.load()) % answers.size()]);
        ++served;
    });
    const auto key = m_store->enqueue(fakeClaim("S1/1", 5)).value();
    SyncOptions options;
    options.initialBackoff = 1ms;
    options.maxBackoff = 2ms;
    options.heartbeatInterval = 1h;
    options.configInterval = 1h;
    SyncWorker worker(*m_store, clientFor(server.url()), m_systemClock, options, {});
    worker.start();
    ASSERT_TRUE(eventually([&] { return served.load() >= 15; }));
    worker.stop();
    const auto entry = m_store->entry(key).value();
    EXPECT_EQ(entry.state, EntryState::Pending);
    EXPECT_GE(entry.attempts, 5);
    EXPECT_TRUE(m_store->refusals(true).value().empty());
    EXPECT_FALSE(m_store->loadConfig().value().has_value());
}

TEST_F(SyncWorkerTest, PullsConfigWithEtagAndObeysCommands) {
    FakeCentral central;
    std::atomic<int> configs{0};
    SyncEvents events;
    events.configChanged = [&](const CachedConfig&) { ++configs; };
    events.deviceHealth = [] { return std::map<std::string, std::string>{{"printer", "paper_low"}}; };
    events.command = [](const net::Command& command) { return command.type == "open_drawer"; };
    hal::ManualClock clock;
    SyncOptions options;
    options.version = "9.9.9";
    options.heartbeatInterval = 10s;
    SyncWorker worker(*m_store, clientFor(central.url()), clock, options, events);
    ASSERT_TRUE(m_store->enqueue(fakeClaim("S1/1", 3)).has_value());
    worker.start();
    ASSERT_TRUE(eventually([&] { return configs.load() == 1 && central.heartbeats.load() == 1; }));
    const auto cached = m_store->loadConfig().value();
    ASSERT_TRUE(cached.has_value());
    EXPECT_EQ(cached->etag, "\"1\"");
    const auto beat = central.lastHeartbeat();
    EXPECT_EQ(beat["version"], "9.9.9");
    EXPECT_EQ(beat["health"]["printer"], "paper_low");

    // Unchanged config: the reload command pulls again, gets 304, no event.
    central.queueCommand("reload_config");
    clock.advance(10s);
    ASSERT_TRUE(eventually([&] { return central.heartbeats.load() == 2; }));
    ASSERT_TRUE(eventually([&] { return central.configPulls.load() == 2; }));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(configs.load(), 1);

    // A new config: the next reload stores it and reports it.
    central.bumpConfig();
    worker.reloadConfigNow();
    ASSERT_TRUE(eventually([&] { return configs.load() == 2; }));
    EXPECT_EQ(m_store->loadConfig().value()->etag, "\"2\"");

    // A command nobody carries out is acknowledged as unknown in the next heartbeat, then forgotten;
    // one a subscriber carries out is not.
    central.queueCommand("launch_rocket");
    central.queueCommand("open_drawer");
    clock.advance(10s);
    ASSERT_TRUE(eventually([&] { return central.heartbeats.load() == 3; }));
    clock.advance(10s);
    ASSERT_TRUE(eventually([&] { return central.heartbeats.load() == 4; }));
    EXPECT_EQ(central.lastHeartbeat()["health"]["unknown_commands"], "launch_rocket");
    clock.advance(10s);
    ASSERT_TRUE(eventually([&] { return central.heartbeats.load() == 5; }));
    EXPECT_FALSE(central.lastHeartbeat()["health"].contains("unknown_commands"));

    // "resync" pushes the outbox even when nothing else asked for it.
    ASSERT_TRUE(eventually([&] { return m_store->outboxDepth().value() == 0; }));
    ASSERT_TRUE(m_store->enqueue(fakeClaim("S1/2", 4)).has_value());  // no syncNow() on purpose
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(m_store->outboxDepth().value(), 1);
    central.queueCommand("resync");
    clock.advance(10s);
    ASSERT_TRUE(eventually([&] { return m_store->outboxDepth().value() == 0; }));
    EXPECT_EQ(central.ledgerSum(), 7);
    worker.stop();
}

TEST_F(SyncWorkerTest, AnUnusableConfigNeverReplacesTheLastGoodOne) {
    FakeCentral central;
    std::atomic<int> configs{0};
    SyncEvents events;
    events.configChanged = [&](const CachedConfig&) { ++configs; };
    events.validateConfig = [](const std::string& body) -> std::optional<std::string> {
        if (body.find("\"version\":2") != std::string::npos) return "campaign does not parse";
        return std::nullopt;
    };
    SyncWorker worker(*m_store, clientFor(central.url()), m_systemClock, {}, events);
    worker.start();
    ASSERT_TRUE(eventually([&] { return configs.load() == 1; }));
    central.bumpConfig();
    worker.reloadConfigNow();
    ASSERT_TRUE(
        eventually([&] { return worker.status().lastError.find("config refused") != std::string::npos; }));
    EXPECT_EQ(configs.load(), 1);
    EXPECT_EQ(m_store->loadConfig().value()->etag, "\"1\"");
    worker.stop();
}

TEST_F(SyncWorkerTest, LearnsAndKeepsTheClockOffset) {
    FakeCentral central;
    central.setClockSkew(3600);  // central is an hour ahead of this kiosk
    {
        SyncWorker worker(*m_store, clientFor(central.url()), m_systemClock, {}, {});
        worker.start();
        ASSERT_TRUE(eventually([&] { return std::abs(worker.status().clockOffsetSeconds - 3600) <= 1; }));
        EXPECT_NEAR(static_cast<double>(worker.centralNow()), static_cast<double>(m_systemClock.now() + 3600),
                    2.0);
    }
    EXPECT_NEAR(static_cast<double>(m_store->loadClockOffset().value()), 3600.0, 1.0);
    // A new worker (a restarted kiosk) starts from the stored offset before talking to central.
    SyncWorker offline(*m_store, clientFor("http://127.0.0.1:1"), m_systemClock, {}, {});
    EXPECT_NEAR(static_cast<double>(offline.centralNow()), static_cast<double>(m_systemClock.now() + 3600),
                2.0);
}

TEST_F(SyncWorkerTest, UnreachableCentralMeansOfflineAndNothingLost) {
    RefusingPort nobody;
    const auto key = m_store->enqueue(fakeClaim("S1/1", 5)).value();
    std::atomic<int> statuses{0};
    SyncEvents events;
    events.statusChanged = [&](const SyncStatus&) { ++statuses; };
    SyncWorker worker(*m_store, clientFor(nobody.url()), m_systemClock, {}, events);
    worker.start();
    ASSERT_TRUE(eventually([&] { return m_store->entry(key).value().attempts >= 1; }));
    // The status is published after the round of push, config and heartbeat that failed.
    ASSERT_TRUE(eventually([&] { return statuses.load() >= 1; }));
    const auto status = worker.status();
    EXPECT_FALSE(status.online);
    EXPECT_EQ(status.outboxDepth, 1);
    EXPECT_FALSE(status.lastError.empty());
    worker.stop();
    EXPECT_EQ(m_store->entry(key).value().state, EntryState::Pending);
}

TEST_F(SyncWorkerTest, PrunesSettledEntriesByCentralsClockInSmallSteps) {
    RefusingPort nobody;  // pruning is local: it goes on offline
    constexpr loyalty::UnixSeconds kKioskNow = 1'790'000'000;
    constexpr std::int64_t kDay = 86'400;
    // This kiosk's clock is 15 days ahead of central's: central's "now" is kKioskNow - 15 days.
    ASSERT_TRUE(m_store->saveClockOffset(-15 * kDay).has_value());
    hal::ManualClock clock(kKioskNow);
    std::vector<Settlement> answers;
    std::vector<std::string> old;
    for (int i = 0; i < 450; ++i) {
        old.push_back(m_store->enqueue(fakeClaim("S1/" + std::to_string(i), 1)).value());
        answers.push_back(Settlement{old.back(), true, 1, 1, "", "", kKioskNow - 50 * kDay});
    }
    // 40 days before the kiosk's clock but only 25 before central's: kept.
    const auto recent = m_store->enqueue(fakeClaim("S1/recent", 1)).value();
    answers.push_back(Settlement{recent, true, 1, 1, "", "", kKioskNow - 40 * kDay});
    ASSERT_TRUE(m_store->settle(answers).has_value());
    const auto pending = m_store->enqueue(fakeClaim("S1/pending", 1)).value();

    SyncWorker worker(*m_store, clientFor(nobody.url()), clock, {}, {});
    worker.start();
    ASSERT_TRUE(eventually(
        [&] { return !m_store->entry(old.front()).has_value() && !m_store->entry(old.back()).has_value(); }));
    worker.stop();
    for (const auto& key : old) EXPECT_EQ(m_store->entry(key).error().kind, StoreError::Kind::NotFound);
    EXPECT_EQ(m_store->entry(recent).value().state, EntryState::Confirmed);
    EXPECT_EQ(m_store->entry(pending).value().state, EntryState::Pending);
}

// The heartbeat job alone, on a scheduler turned by hand: every subscriber hears every command, and a
// command none of them carries out is acknowledged as unknown in the next heartbeat, once.
TEST_F(SyncWorkerTest, TheHeartbeatPublishesEveryCommandAndAcknowledgesAnUnknownOneOnce) {
    FakeCentral central;
    hal::ManualClock clock;
    Link link(clientFor(central.url()), clock, *m_store, Enrollment::NotNeeded, 0);
    Heartbeat heartbeat(link, *m_store, 10s, "1.2.3", {});
    std::vector<std::string> worker;
    std::vector<std::string> kiosk;
    heartbeat.subscribe([&](const net::Command& command) {
        worker.push_back(command.type);
        return command.type == "resync";
    });
    heartbeat.subscribe([&](const net::Command& command) {
        kiosk.push_back(command.type);
        return command.type == "open_drawer";
    });
    Scheduler scheduler(clock, {}, {});
    scheduler.add(heartbeat);
    central.queueCommand("resync");
    central.queueCommand("launch_rocket");
    central.queueCommand("open_drawer");

    ASSERT_EQ(scheduler.runDue(), 1u);
    const std::vector<std::string> all = {"resync", "launch_rocket", "open_drawer"};
    EXPECT_EQ(worker, all);
    EXPECT_EQ(kiosk, all);
    EXPECT_FALSE(central.lastHeartbeat()["health"].contains("unknown_commands"));
    EXPECT_EQ(scheduler.untilNextDue(), 10s);

    clock.advance(10s);
    ASSERT_EQ(scheduler.runDue(), 1u);
    EXPECT_EQ(central.lastHeartbeat()["health"]["unknown_commands"], "launch_rocket");
    clock.advance(10s);
    ASSERT_EQ(scheduler.runDue(), 1u);
    EXPECT_FALSE(central.lastHeartbeat()["health"].contains("unknown_commands"));
    EXPECT_EQ(central.heartbeats.load(), 3);
    EXPECT_TRUE(link.status().online);
}

TEST_F(SyncWorkerTest, ALongHealthValueIsCutToCentralsSixtyFourBytesOnACharacterBoundary) {
    FakeCentral central;
    hal::ManualClock clock;
    Link link(clientFor(central.url()), clock, *m_store, Enrollment::NotNeeded, 0);
    const std::string camera =
        "camera /dev/video0 exists but cannot be opened (busy, or not a capture device); retrying";
    const std::string theme = std::string(60, 'a') + "ắắắắ";  // byte 61 falls inside the first ắ
    Heartbeat heartbeat(link, *m_store, 10s, "1.2.3", [&] {
        return std::map<std::string, std::string>{{"camera", camera}, {"theme", theme}, {"printer", "ok"}};
    });
    Scheduler scheduler(clock, {}, {});
    scheduler.add(heartbeat);
    ASSERT_EQ(scheduler.runDue(), 1u);
    const auto health = central.lastHeartbeat()["health"];  // discarded (null) if the body were not UTF-8
    EXPECT_EQ(health.value("camera", ""), camera.substr(0, 61) + "…");
    EXPECT_EQ(health.value("theme", ""), std::string(60, 'a') + "…");
    EXPECT_EQ(health.value("printer", ""), "ok");
}

}  // namespace
}  // namespace kiosk::sync
