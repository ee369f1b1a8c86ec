#pragma once
// Group commit across requests: writes submitted concurrently by many request threads are stored
// together, one transaction (one fsync on SQLite, one commit round trip on PostgreSQL) for up to
// `maxItems` of them, each under its own SAVEPOINT so one refused item never undoes its neighbours.
//
// How a batch forms: `committers` threads each take what is queued (at most maxItems, in submission
// order) as soon as they are free; while one transaction commits, the next batch gathers behind it, so
// a busy server batches without waiting and an idle one answers at once. `maxWait` optionally holds a
// batch smaller than maxItems a little longer for company.
//
// What an item's answer means: submit() returns only after the transaction holding the item has
// committed (its effect is durable, as far as the database promises) or after that transaction failed
// for good (the item has no effect and the error says "retry"). Items of one submitAll() call are
// queued together, in order, so a later item sees the earlier ones' effects; when a batch fails for
// good, the submission's items still queued behind it fail with it, unrun.
//
// PostgreSQL: an item names the rows it may wait for (`lockNames`); before any item runs, the batch
// takes a transaction-scoped advisory lock on every name in one order shared by every process (see
// store/commit_queue.cpp), so two batches that could block each other queue instead of deadlocking.
//
// Threads: submit/submitAll from any thread; they BLOCK until the answer. shutdown() (and the
// destructor) refuses new items, stores those already queued, and joins the committers.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"

namespace central {

/// What an item did inside its savepoint.
enum class ItemEnd {
    Keep,  ///< release the savepoint: the item's writes commit with the batch
    Undo,  ///< roll back to the savepoint: the item has no effect (its refusal is its answer)
};

/// One write. `apply` runs on the batch's open transaction, possibly more than once (the batch is
/// retried whole when the storage is busy or lost), so it must have no effect outside the connection
/// and must set its caller's answer afresh each time. An error it returns with status 503 fails the
/// whole batch attempt (retried); any other error undoes this item only and becomes its answer.
struct CommitItem {
    std::vector<std::string> lockNames;  ///< PostgreSQL advisory lock names; ignored on SQLite
    std::function<std::expected<ItemEnd, ApiError>(Connection&)> apply;
};

class CommitQueue {
  public:
    struct Options {
        std::size_t maxItems = 50;             ///< items per transaction
        std::chrono::microseconds maxWait{0};  ///< extra wait for a batch below maxItems
        std::size_t committers = 1;            ///< threads committing batches in parallel
    };
    CommitQueue(Database& db, Options options);
    ~CommitQueue();
    CommitQueue(const CommitQueue&) = delete;
    CommitQueue& operator=(const CommitQueue&) = delete;

    /// Stores `item` with whatever else is queued; BLOCKS until its batch has committed or failed.
    /// Empty: committed (the item's own answer is what its `apply` set, kept or undone). An error:
    /// nothing of the item is stored — the error its `apply` returned, or status 503 when its batch
    /// failed for good or the queue is shutting down (answer "retry").
    [[nodiscard]] std::optional<ApiError> submit(CommitItem item);
    /// submit() for several items queued together in order; one outcome per item.
    [[nodiscard]] std::vector<std::optional<ApiError>> submitAll(std::span<CommitItem> items);

    /// Refuses new items, stores the queued ones, joins the committer threads. Idempotent.
    void shutdown();

    /// Batches committed so far (for tests and metrics).
    [[nodiscard]] std::size_t transactions() const { return m_transactions.load(); }
    /// Items submitted and not answered yet (queued or in a batch being committed). Any thread, never
    /// blocks: background writers (the notification worker) hold back their own write transactions
    /// while it is above zero.
    [[nodiscard]] std::size_t outstanding() const { return m_outstanding.load(std::memory_order_relaxed); }

  private:
    struct Submission;
    struct Pending;
    /// Some queued item may be taken now (its submission has nothing in another batch). Under m_mutex.
    [[nodiscard]] bool anyReady() const;
    void commitLoop();
    [[nodiscard]] std::vector<Pending*> takeBatch(std::unique_lock<std::mutex>& lock);
    /// Runs one batch; its failure, if the whole batch failed for good. Without m_mutex.
    [[nodiscard]] std::optional<ApiError> commitBatch(const std::vector<Pending*>& batch);
    /// One more item of its submission answered (wakes the submitter at the last). Under m_mutex.
    void answer(Pending& p);

    Database& m_db;
    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_arrived;   ///< committers wait here for items
    std::condition_variable m_answered;  ///< submitters wait here for their batch
    std::deque<Pending*> m_queue;
    bool m_stopping = false;
    std::uint64_t m_batches = 0;  ///< batches taken, to tag them
    std::atomic<std::size_t> m_transactions{0};
    std::atomic<std::size_t> m_outstanding{0};
    std::vector<std::thread> m_committers;
};

}  // namespace central
