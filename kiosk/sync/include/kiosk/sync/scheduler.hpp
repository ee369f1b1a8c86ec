#pragma once
// The sync thread's scheduler: a few background jobs (enroller, outbox pusher, config puller,
// heartbeat, pruner — docs/architecture.md says how to add one), each run when it is due by the
// injected hal::Clock, woken early by a nudge (a claim was queued, central asked for a resync).
//
// Contract
// - Jobs run one at a time on the scheduler's thread (start() … stop()), or on the caller's thread
//   through runDue() (tests, with a hal::ManualClock: no sleeps). A job never needs a lock for its own
//   state.
// - nudge() and stop() may be called from any thread, including from inside a job; they never block on
//   a job.
// - A job that fails is run again after an exponential backoff with "equal jitter" (half fixed, half
//   random) from BackoffPolicy::initial to ::max, or after the delay it asks for if that is longer (a
//   Retry-After); a success or a nudge forgets the backoff.
// - An exception out of a job is reported through Hooks::failed and counts as a failure; it never ends
//   the thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include "hal/clock.hpp"

namespace kiosk::sync {

/// When a job wants to run again, as it returns from a run.
class Next {
  public:
    /// Succeeded: run again `delay` after this run began (zero: at the next turn, after the other jobs
    /// due).
    [[nodiscard]] static Next after(std::chrono::milliseconds delay) { return Next(Kind::After, delay); }
    /// Succeeded with nothing left to do: run again only when nudged.
    [[nodiscard]] static Next whenNudged() { return Next(Kind::WhenNudged, {}); }
    /// Failed: run again after the backoff (counted from now), or after `atLeast` when that is longer.
    [[nodiscard]] static Next retry(std::chrono::milliseconds atLeast = {}) {
        return Next(Kind::Retry, atLeast);
    }

    enum class Kind { After, WhenNudged, Retry };
    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] std::chrono::milliseconds delay() const { return m_delay; }

  private:
    Next(Kind kind, std::chrono::milliseconds delay) : m_kind(kind), m_delay(delay) {}
    Kind m_kind;
    std::chrono::milliseconds m_delay;
};

class Job {
  public:
    virtual ~Job() = default;
    /// For logs and failure reports ("outbox", "heartbeat" …).
    [[nodiscard]] virtual std::string_view name() const = 0;
    /// False while the job must not run (nothing but enrollment may call central without a
    /// credential); it keeps its due time and runs as soon as it is ready. Read on the sync thread.
    [[nodiscard]] virtual bool ready() const { return true; }
    /// One run, on the sync thread.
    [[nodiscard]] virtual Next run() = 0;
};

struct BackoffPolicy {
    std::chrono::milliseconds initial{500};
    std::chrono::milliseconds max{300'000};
};

class Scheduler {
  public:
    struct Hooks {
        /// After every turn, whether a job ran or not (the sync worker publishes its status there: the
        /// outbox depth also changes under it, and a turn comes at least once a second).
        std::function<void()> afterTurn;
        /// A job threw: its name and what().
        std::function<void(std::string_view job, std::string_view what)> failed;
    };

    /// `clock` must outlive the scheduler.
    Scheduler(hal::Clock& clock, BackoffPolicy backoff, Hooks hooks);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Registers `job` (which must outlive the scheduler), due at once. Before start() only.
    void add(Job& job);

    /// Makes `job` due now and forgets its backoff; wakes the thread.
    void nudge(Job& job);

    /// Runs, on the calling thread, every ready job that is due, earliest due first (registration order
    /// between equals); returns how many ran.
    std::size_t runDue();
    /// Milliseconds (of the clock's monotonic time) until the next ready job is due; 0 if one is due,
    /// milliseconds::max() if none will be until a nudge.
    [[nodiscard]] std::chrono::milliseconds untilNextDue();

    void start();
    /// Wakes the thread, lets the running job finish and joins.
    void stop();

  private:
    struct Entry {
        Job* job;
        std::chrono::milliseconds due;
        std::chrono::milliseconds backoff;  ///< the last backoff step; zero after a success
    };
    void loop();
    void applyNudges();
    void schedule(Entry& entry, const Next& next, std::chrono::milliseconds started);
    [[nodiscard]] std::chrono::milliseconds nextBackoff(Entry& entry);
    [[nodiscard]] std::chrono::milliseconds monotonicNow() const;

    hal::Clock& m_clock;
    BackoffPolicy m_policy;
    Hooks m_hooks;
    std::vector<Entry> m_entries;  ///< sync-thread only once started
    std::minstd_rand m_jitter;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Job*> m_nudged;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::sync
