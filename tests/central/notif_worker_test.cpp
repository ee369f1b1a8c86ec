// The notification worker's pieces on their own, on a real SQLite file and, when KIOSK_TEST_PG_URL is
// set, a real PostgreSQL database (central/src/ops/notif_worker.hpp, notif_senders.hpp,
// store/notif_store.hpp): a batch's outcomes written back in one call, each message its own outcome;
// the sender threads below request threads' priority, each message sent once; the worker holding its
// writes back while claims wait, and going on when they keep waiting.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "central_harness.hpp"
#include "loyalty/clock.hpp"
#include "ops/notif_worker.hpp"
#include "store/notif_store.hpp"

namespace {

using central::NotifMessage;
using central::NotifOutcome;
using central::NotifSendResult;
using central::NotifStore;
using central_test::Backend;
using namespace std::chrono_literals;

/// Answers every message at once with `status`, recording what it sent and its thread's nice value.
struct Recorder {
    std::mutex mutex;
    std::multiset<std::string> keys;
    std::set<int> nice;
    std::atomic<int> sent{0};
    std::chrono::steady_clock::time_point first;  ///< of the first send
};

class RecordingTransport final : public central::NotifTransport {
  public:
    explicit RecordingTransport(Recorder& recorder) : m_recorder(recorder) {}
    NotifSendResult send(const NotifMessage& message) override {
        errno = 0;
        const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
        std::lock_guard lock(m_recorder.mutex);
        m_recorder.keys.insert(message.key);
        m_recorder.nice.insert(nice);
        if (m_recorder.sent++ == 0) m_recorder.first = std::chrono::steady_clock::now();
        return {200, ""};
    }

  private:
    Recorder& m_recorder;
};

class NotifWorkerTest : public central_test::BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        const std::string url = m_pg ? m_pg->url() : "sqlite:" + m_dir.path().string() + "/notif.db";
        m_db = central::Database::open(url, m_clock);
        auto lease = m_db->lease();
        ASSERT_TRUE(lease);
        auto member = (*lease)->query(
            "INSERT INTO members (phone, created_at, consent_join, consent_marketing, consent_text_version, "
            "consent_at, consent_kiosk) VALUES ('+84912345678', 0, 1, 0, 'v1', 0, 'K1') RETURNING member_id");
        ASSERT_TRUE(member && member->size() == 1);
        m_member = member->front().integer(0);
    }

    /// `n` transactional messages due now, keys m0…; their ids in order.
    std::vector<std::int64_t> enqueue(int n) {
        auto lease = m_db->lease();
        EXPECT_TRUE(lease);
        std::vector<std::int64_t> ids;
        for (int i = 0; i < n; ++i) {
            NotifMessage m;
            m.key = "m" + std::to_string(i);
            m.memberId = m_member;
            m.phone = "+84912345678";
            m.event = "earned";
            m.params = "points=1";
            EXPECT_TRUE(NotifStore(**lease).enqueue(m, m_clock.now()).value_or(false));
        }
        auto rows = (*lease)->query("SELECT message_id FROM notif_outbox ORDER BY message_id");
        EXPECT_TRUE(rows);
        for (const auto& row : *rows) ids.push_back(row.integer(0));
        return ids;
    }

    std::unique_ptr<central::NotifWorker> startWorker(Recorder& recorder, std::atomic<bool>& claimsWaiting) {
        central::NotifRules rules;
        rules.pollMs = 10;
        rules.batch = 50;
        return std::make_unique<central::NotifWorker>(
            *m_db, m_clock, rules, 4, [&recorder] { return std::make_unique<RecordingTransport>(recorder); },
            central::NotifHooks{[] { return central::NotifCampaign{}; },
                                [&claimsWaiting] { return claimsWaiting.load(); }});
    }

    int sentInStore() {
        auto lease = m_db->lease();
        EXPECT_TRUE(lease);
        auto rows = (*lease)->query("SELECT COUNT(*) FROM notif_outbox WHERE state = 'sent'");
        EXPECT_TRUE(rows);
        return static_cast<int>(rows->front().integer(0));
    }

    TempDir m_dir;
    loyalty::SystemClock m_clock;
    std::unique_ptr<central::Database> m_db;
    std::int64_t m_member = 0;
};

TEST_P(NotifWorkerTest, OneSettleCallWritesEveryMessagesOwnOutcome) {
    const auto ids = enqueue(6);
    const std::vector<NotifOutcome> outcomes{{ids[0], "sent", 500, "", true},
                                             {ids[1], "sent", 500, "", true},
                                             {ids[2], "pending", 530, "HTTP 503", true},
                                             {ids[3], "pending", 531, "HTTP 503", true},
                                             {ids[4], "dead", 500, "HTTP 400", true},
                                             {ids[5], "pending", 900, "quiet hours", false}};
    {
        auto lease = m_db->lease();
        ASSERT_TRUE(lease);
        ASSERT_TRUE(NotifStore(**lease).settle(outcomes, 500));
    }
    auto lease = m_db->lease();
    ASSERT_TRUE(lease);
    auto rows = (*lease)->query(
        "SELECT state, next_attempt_at, last_error, attempts, COALESCE(sent_at, -1) FROM notif_outbox ORDER "
        "BY "
        "message_id");
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 6U);
    const std::vector<std::vector<std::string>> expected{
        {"sent", "500", "", "1", "500"},           {"sent", "500", "", "1", "500"},
        {"pending", "530", "HTTP 503", "1", "-1"}, {"pending", "531", "HTTP 503", "1", "-1"},
        {"dead", "500", "HTTP 400", "1", "-1"},    {"pending", "900", "quiet hours", "0", "-1"}};
    for (std::size_t i = 0; i < rows->size(); ++i)
        for (std::size_t col = 0; col < 5; ++col)
            EXPECT_EQ((*rows)[i].text(col), expected[i][col]) << "message " << i << " column " << col;
}

TEST_P(NotifWorkerTest, SendersRunBelowRequestPriorityAndSendEachMessageOnce) {
    enqueue(200);
    Recorder recorder;
    std::atomic<bool> claimsWaiting{false};
    auto worker = startWorker(recorder, claimsWaiting);
    for (int i = 0; i < 1000 && sentInStore() < 200; ++i) std::this_thread::sleep_for(10ms);
    worker.reset();
    EXPECT_EQ(sentInStore(), 200);
    std::lock_guard lock(recorder.mutex);
    EXPECT_EQ(recorder.keys.size(), 200U);
    EXPECT_EQ(std::set<std::string>(recorder.keys.begin(), recorder.keys.end()).size(), 200U)
        << "a copy sent";
    EXPECT_EQ(recorder.nice, std::set<int>{central::kNotifSenderNice});
}

TEST_P(NotifWorkerTest, WaitingClaimsHoldTheDrainBackButCannotStopIt) {
    enqueue(100);
    Recorder recorder;
    std::atomic<bool> claimsWaiting{true};
    const auto start = std::chrono::steady_clock::now();
    auto worker = startWorker(recorder, claimsWaiting);
    // Claims that never stop waiting only slow it: everything goes out in the end …
    for (int i = 0; i < 1000 && sentInStore() < 100; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(sentInStore(), 100);
    std::lock_guard lock(recorder.mutex);
    EXPECT_EQ(recorder.sent.load(), 100);
    // … but nothing was claimed (so nothing sent) before the worker had waited its longest yield.
    EXPECT_GE(recorder.first - start, central::kNotifMaxYield);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifWorkerTest, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
