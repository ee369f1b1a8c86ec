#include "store/commit_queue.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdint>

#include "store/transaction.hpp"

namespace central {
namespace {

constexpr std::int32_t kClaimLockClass = 0x636c6d;  // "clm": the class claims always used

/// The 32-bit key of an advisory lock name: the first 32 bits of its SHA-256, so every process (and
/// every version since claims first took these locks) maps a name to the same key.
std::int32_t lockKey(const std::string& name) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(name.data()), name.size());
    const std::uint32_t key = (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
                              (std::uint32_t{digest[2]} << 8) | std::uint32_t{digest[3]};
    return static_cast<std::int32_t>(key);
}

/// PostgreSQL: the transaction's advisory locks on `names`, in ascending key order, under the two-key
/// form's class kClaimLockClass (which never meets the one-key migration lock).
DbResult<Rows> lockNames(Connection& c, const std::vector<std::string>& names) {
    std::vector<std::int32_t> keys;
    keys.reserve(names.size());
    for (const auto& name : names) keys.push_back(lockKey(name));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::string list = "{";
    for (const auto key : keys) list += (list.size() > 1 ? "," : "") + std::to_string(key);
    list += "}";
    // unnest yields the array in order, and each row takes its lock before the next is produced.
    return c.query("SELECT pg_advisory_xact_lock($1::integer, k) FROM unnest($2::integer[]) AS k",
                   {std::int64_t{kClaimLockClass}, list});
}

}  // namespace

/// One submitAll() call: where its submitter waits, and its items in committers' hands. Lives on the
/// submitter's stack until every item is answered.
struct CommitQueue::Submission {
    std::size_t remaining = 0;       ///< items not answered yet; the last answer wakes the submitter
    std::size_t inFlight = 0;        ///< items in a batch being committed
    std::uint64_t batch = 0;         ///< the batch those items are in
    std::optional<ApiError> failed;  ///< a batch of it failed for good: so do its later items
    std::condition_variable wake;
};

struct CommitQueue::Pending {
    CommitItem* item = nullptr;
    Submission* owner = nullptr;
    std::optional<ApiError> outcome;
};

CommitQueue::CommitQueue(Database& db, Options options) : m_db(db), m_options(options) {
    m_options.maxItems = std::max<std::size_t>(1, m_options.maxItems);
    for (std::size_t i = 0; i < std::max<std::size_t>(1, m_options.committers); ++i)
        m_committers.emplace_back([this] { commitLoop(); });
}

CommitQueue::~CommitQueue() {
    shutdown();
}

void CommitQueue::shutdown() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && m_committers.empty()) return;
        m_stopping = true;
    }
    m_arrived.notify_all();
    for (auto& committer : m_committers)
        if (committer.joinable()) committer.join();
    std::lock_guard lock(m_mutex);
    m_committers.clear();
}

std::optional<ApiError> CommitQueue::submit(CommitItem item) {
    return submitAll(std::span(&item, 1)).front();
}

std::vector<std::optional<ApiError>> CommitQueue::submitAll(std::span<CommitItem> items) {
    std::vector<Pending> pending(items.size());
    Submission submission;
    submission.remaining = items.size();
    std::unique_lock lock(m_mutex);
    if (m_stopping)
        return std::vector<std::optional<ApiError>>(items.size(), apiError("storage_unavailable"));
    for (std::size_t i = 0; i < items.size(); ++i) {
        pending[i] = Pending{&items[i], &submission, std::nullopt};
        m_queue.push_back(&pending[i]);
    }
    m_outstanding.fetch_add(items.size(), std::memory_order_relaxed);
    m_arrived.notify_one();
    submission.wake.wait(lock, [&] { return submission.remaining == 0; });
    std::vector<std::optional<ApiError>> outcomes;
    outcomes.reserve(pending.size());
    for (auto& p : pending) outcomes.push_back(std::move(p.outcome));
    return outcomes;
}

void CommitQueue::answer(Pending& p) {
    m_outstanding.fetch_sub(1, std::memory_order_relaxed);
    if (--p.owner->remaining == 0) p.owner->wake.notify_one();
}

bool CommitQueue::anyReady() const {
    return std::any_of(m_queue.begin(), m_queue.end(),
                       [](const Pending* p) { return p->owner->inFlight == 0; });
}

void CommitQueue::commitLoop() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_arrived.wait(lock, [&] { return (m_stopping && m_queue.empty()) || anyReady(); });
        if (m_queue.empty()) return;  // stopping, and everything queued has been stored
        auto batch = takeBatch(lock);
        if (anyReady()) m_arrived.notify_one();  // another committer may start the next batch
        lock.unlock();
        const auto failed = commitBatch(batch);
        lock.lock();
        for (auto* p : batch) {
            --p->owner->inFlight;
            if (failed) p->owner->failed = failed;
            answer(*p);
        }
        if (failed) {  // the later items of those submissions: the storage is unlikely to take them
            for (auto it = m_queue.begin(); it != m_queue.end();) {
                if (!(*it)->owner->failed) {
                    ++it;
                    continue;
                }
                (*it)->outcome = (*it)->owner->failed;
                answer(**it);
                it = m_queue.erase(it);
            }
        }
        if (!m_queue.empty()) m_arrived.notify_all();  // items held back behind this batch may go now
    }
}

std::vector<CommitQueue::Pending*> CommitQueue::takeBatch(std::unique_lock<std::mutex>& lock) {
    if (m_options.maxWait.count() > 0 && m_queue.size() < m_options.maxItems && !m_stopping) {
        const auto until = std::chrono::steady_clock::now() + m_options.maxWait;
        m_arrived.wait_until(lock, until, [&] { return m_stopping || m_queue.size() >= m_options.maxItems; });
    }
    // In queue order; a submission whose earlier items are in another committer's batch waits for that
    // batch, so its later items always see the earlier ones (several committers: PostgreSQL).
    const auto tag = ++m_batches;
    std::vector<Pending*> batch;
    for (auto it = m_queue.begin(); it != m_queue.end() && batch.size() < m_options.maxItems;) {
        Submission& owner = *(*it)->owner;
        if (owner.inFlight > 0 && owner.batch != tag) {
            ++it;
            continue;
        }
        owner.batch = tag;
        ++owner.inFlight;
        batch.push_back(*it);
        it = m_queue.erase(it);
    }
    return batch;
}

std::optional<ApiError> CommitQueue::commitBatch(const std::vector<Pending*>& batch) {
    std::vector<std::optional<ApiError>> outcomes(batch.size());
    std::optional<ApiError> failed;  // of the last attempt: the batch rolled back
    auto fail = [&](ApiError e) {
        failed = e;
        return std::optional<ApiError>(std::move(e));
    };
    auto done = detail::runTransaction(m_db, [&](Connection& c) -> std::optional<ApiError> {
        failed.reset();
        if (c.backend() == Backend::Postgres) {
            std::vector<std::string> names;
            for (const auto* p : batch)
                names.insert(names.end(), p->item->lockNames.begin(), p->item->lockNames.end());
            if (!names.empty())
                if (auto locked = lockNames(c, names); !locked) return fail(storageError(locked.error()));
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (auto opened = c.execute("SAVEPOINT item"); !opened) return fail(storageError(opened.error()));
            auto applied = batch[i]->item->apply(c);
            if (!applied && applied.error().status == 503) return fail(applied.error());
            outcomes[i] = applied ? std::nullopt : std::optional<ApiError>(applied.error());
            if (!applied || *applied == ItemEnd::Undo)
                if (auto undone = c.execute("ROLLBACK TO SAVEPOINT item"); !undone)
                    return fail(storageError(undone.error()));
            if (auto released = c.execute("RELEASE SAVEPOINT item"); !released)
                return fail(storageError(released.error()));
        }
        return std::nullopt;
    });
    if (!done) failed = done.error();
    if (!failed) ++m_transactions;
    for (std::size_t i = 0; i < batch.size(); ++i)
        batch[i]->outcome = failed ? failed : std::move(outcomes[i]);
    return failed;
}

}  // namespace central
