// The commit queue on its own (central/src/store/commit_queue.hpp), on a real SQLite file and, when
// KIOSK_TEST_PG_URL is set, a real PostgreSQL database: batching across threads, order, a bad item
// among good ones, a failing batch, shutdown with items queued, and the count of items outstanding.

#include "store/commit_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "central_harness.hpp"
#include "loyalty/clock.hpp"

namespace {

using central::ApiError;
using central::CommitItem;
using central::CommitQueue;
using central::Connection;
using central::ItemEnd;
using central_test::Backend;

class CommitQueueTest : public central_test::BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        const std::string url = m_pg ? m_pg->url() : "sqlite:" + m_dir.path().string() + "/queue.db";
        m_db = central::Database::open(url, m_clock);
        auto lease = m_db->lease();
        ASSERT_TRUE(lease);
        ASSERT_TRUE(
            (*lease)->execute("CREATE TABLE probe (seq INTEGER PRIMARY KEY, tag TEXT NOT NULL UNIQUE)"));
    }

    /// An item that appends `tag` after the highest seq it sees (so the order it ran in is stored).
    static CommitItem append(std::string tag) {
        return CommitItem{
            {"tag:" + tag}, [tag](Connection& c) -> std::expected<ItemEnd, ApiError> {
                auto added = c.query(
                    "INSERT INTO probe (seq, tag) SELECT COALESCE(MAX(seq), 0) + 1, $1 FROM probe", {tag});
                if (!added) return std::unexpected(central::storageError(added.error()));
                return ItemEnd::Keep;
            }};
    }

    /// The stored tags in seq order.
    std::vector<std::string> stored() {
        auto lease = m_db->lease();
        EXPECT_TRUE(lease);
        auto rows = (*lease)->query("SELECT tag FROM probe ORDER BY seq");
        EXPECT_TRUE(rows);
        std::vector<std::string> tags;
        for (const auto& row : *rows) tags.push_back(row.text(0));
        return tags;
    }

    TempDir m_dir;
    loyalty::SystemClock m_clock;
    std::unique_ptr<central::Database> m_db;
};

TEST_P(CommitQueueTest, ConcurrentSubmittersShareTransactionsAndEachGetsItsOwnAnswer) {
    CommitQueue queue(*m_db, {.maxItems = 50});
    constexpr int kThreads = 32;
    std::atomic<bool> started{false};
    std::atomic<int> submitting{0};
    // The first item holds its transaction until every other thread is about to submit, so they queue
    // behind it and must be stored together.
    CommitItem first = append("first");
    auto inner = first.apply;
    first.apply = [&, inner](Connection& c) {
        started = true;
        while (submitting.load() < kThreads - 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return inner(c);
    };
    std::vector<std::optional<ApiError>> outcomes(kThreads);
    std::vector<std::thread> threads;
    threads.emplace_back([&] { outcomes[0] = queue.submit(first); });
    while (!started.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (int t = 1; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            ++submitting;
            outcomes[static_cast<std::size_t>(t)] = queue.submit(append("t" + std::to_string(t)));
        });
    for (auto& t : threads) t.join();
    for (const auto& outcome : outcomes) EXPECT_FALSE(outcome) << outcome->messageEn;
    EXPECT_EQ(stored().size(), static_cast<std::size_t>(kThreads));
    EXPECT_EQ(stored().front(), "first");
    // The first alone, then the 31 that queued behind it in one or two more.
    EXPECT_LE(queue.transactions(), 3U);
}

TEST_P(CommitQueueTest, ItemsOfOneSubmissionRunInOrderAndSeeTheEarlierOnes) {
    CommitQueue queue(*m_db, {.maxItems = 4});  // 10 items: spread over three transactions
    std::vector<CommitItem> items;
    std::vector<std::string> tags;
    for (int i = 0; i < 10; ++i) {
        tags.push_back("item" + std::to_string(i));
        items.push_back(append(tags.back()));
    }
    for (const auto& outcome : queue.submitAll(items)) EXPECT_FALSE(outcome);
    EXPECT_EQ(stored(), tags);
    EXPECT_EQ(queue.transactions(), 3U);
}

TEST_P(CommitQueueTest, ABadItemUndoesOnlyItselfAndItsNeighboursCommit) {
    CommitQueue queue(*m_db, {.maxItems = 50});
    std::vector<CommitItem> items;
    items.push_back(append("a"));
    // Writes, then refuses: its refusal is its answer, its write is undone.
    items.push_back(CommitItem{{}, [](Connection& c) -> std::expected<ItemEnd, ApiError> {
                                   if (!c.execute("INSERT INTO probe (seq, tag) VALUES (100, 'refused')"))
                                       return std::unexpected(central::apiError("internal"));
                                   return ItemEnd::Undo;
                               }});
    items.push_back(append("b"));
    // A statement the database refuses (the tag is taken): an error of this item only.
    items.push_back(append("a"));
    // Writes, then fails with a non-storage error.
    items.push_back(CommitItem{{}, [](Connection& c) -> std::expected<ItemEnd, ApiError> {
                                   if (!c.execute("INSERT INTO probe (seq, tag) VALUES (101, 'failed')"))
                                       return std::unexpected(central::apiError("internal"));
                                   return std::unexpected(central::apiError("already_claimed"));
                               }});
    items.push_back(append("c"));
    const auto outcomes = queue.submitAll(items);
    EXPECT_FALSE(outcomes[0]);
    EXPECT_FALSE(outcomes[1]);  // undone by its own choice: committed, with nothing of it stored
    EXPECT_FALSE(outcomes[2]);
    ASSERT_TRUE(outcomes[3]);
    EXPECT_EQ(outcomes[3]->status, 500);
    ASSERT_TRUE(outcomes[4]);
    EXPECT_EQ(outcomes[4]->code, "already_claimed");
    EXPECT_FALSE(outcomes[5]);
    EXPECT_EQ(stored(), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(queue.transactions(), 1U);
}

TEST_P(CommitQueueTest, AStorageFailureAnswersRetryToItsBatchAndTheLaterItemsAndStoresNothing) {
    CommitQueue queue(*m_db, {.maxItems = 2});  // [a, failing] fails for good; b and c queue behind it
    std::atomic<int> attempts{0};
    std::atomic<int> laterRuns{0};
    std::vector<CommitItem> items;
    items.push_back(append("a"));
    items.push_back(CommitItem{{}, [&](Connection&) -> std::expected<ItemEnd, ApiError> {
                                   ++attempts;
                                   return std::unexpected(central::apiError("storage_unavailable"));
                               }});
    for (const char* tag : {"b", "c"}) {
        items.push_back(append(tag));
        auto inner = items.back().apply;
        items.back().apply = [&, inner](Connection& c) {
            ++laterRuns;
            return inner(c);
        };
    }
    const auto outcomes = queue.submitAll(items);
    for (const auto& outcome : outcomes) {
        ASSERT_TRUE(outcome);
        EXPECT_EQ(outcome->status, 503);
    }
    EXPECT_GT(attempts.load(), 1);  // the batch was retried whole before giving up
    EXPECT_EQ(laterRuns.load(), 0);
    EXPECT_TRUE(stored().empty());

    // Another submission afterwards is stored as usual.
    EXPECT_FALSE(queue.submit(append("d")));
    EXPECT_EQ(stored(), std::vector<std::string>{"d"});
}

TEST_P(CommitQueueTest, ShutdownStoresWhatIsQueuedAndRefusesWhatComesAfter) {
    auto queue = std::make_unique<CommitQueue>(*m_db, CommitQueue::Options{.maxItems = 8});
    std::atomic<bool> release{false};
    std::atomic<bool> holding{false};
    CommitItem blocker = append("blocker");
    auto inner = blocker.apply;
    blocker.apply = [&, inner](Connection& c) {
        holding = true;
        while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return inner(c);
    };
    constexpr int kQueued = 20;
    std::vector<std::optional<ApiError>> outcomes(kQueued + 1);
    std::vector<std::thread> threads;
    threads.emplace_back([&] { outcomes[0] = queue->submit(blocker); });
    while (!holding.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::atomic<int> submitted{0};
    for (int t = 1; t <= kQueued; ++t)
        threads.emplace_back([&, t] {
            ++submitted;
            outcomes[static_cast<std::size_t>(t)] = queue->submit(append("q" + std::to_string(t)));
        });
    while (submitted.load() < kQueued) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // they are in the queue now
    std::thread stopper([&] { queue->shutdown(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    release = true;
    stopper.join();
    for (auto& t : threads) t.join();
    for (const auto& outcome : outcomes) EXPECT_FALSE(outcome) << outcome->messageEn;
    EXPECT_EQ(stored().size(), static_cast<std::size_t>(kQueued + 1));

    const auto late = queue->submit(append("late"));
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 503);
    const auto tags = stored();
    EXPECT_EQ(std::set<std::string>(tags.begin(), tags.end()).count("late"), 0U);
}

TEST_P(CommitQueueTest, OutstandingCountsItemsFromSubmissionToAnswer) {
    CommitQueue queue(*m_db, {.maxItems = 1});  // the second item waits in the queue behind the first
    EXPECT_EQ(queue.outstanding(), 0U);
    std::atomic<bool> release{false};
    std::atomic<bool> holding{false};
    std::vector<CommitItem> items{append("held"), append("behind")};
    auto inner = items[0].apply;
    items[0].apply = [&, inner](Connection& c) {
        holding = true;
        while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return inner(c);
    };
    std::thread submitter([&] {
        for (const auto& outcome : queue.submitAll(items)) EXPECT_FALSE(outcome);
    });
    while (!holding.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(queue.outstanding(), 2U);  // one being committed, one queued
    release = true;
    submitter.join();
    EXPECT_EQ(queue.outstanding(), 0U);
    EXPECT_EQ(stored(), (std::vector<std::string>{"held", "behind"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, CommitQueueTest, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
