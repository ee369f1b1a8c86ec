#pragma once
// The worker pool behind the HTTP server, with a bound: `workers` threads run requests; at most
// `maxQueued` requests wait for one. A request beyond that is handed to a small shedding pool instead,
// which runs it with shedding() == true: the route then answers 503 with Retry-After and closes the
// connection, without touching the database. So an overload costs a fast refusal per extra request —
// latency of accepted requests stays bounded, nothing collapses.
//
// Only whole requests reach the pool (the event loop reads headers and bodies), so a slow or idle
// connection never holds a worker.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace central {

class BoundedTaskQueue final {
  public:
    BoundedTaskQueue(std::size_t workers, std::size_t maxQueued);
    ~BoundedTaskQueue();
    BoundedTaskQueue(const BoundedTaskQueue&) = delete;
    BoundedTaskQueue& operator=(const BoundedTaskQueue&) = delete;

    /// Runs `fn` on a worker, or on a shedding thread when `maxQueued` wait already. False once
    /// shutdown() began: `fn` will not run.
    [[nodiscard]] bool enqueue(std::function<void()> fn);
    /// Runs what is queued, then joins every thread.
    void shutdown();

    /// Requests waiting for a worker now.
    [[nodiscard]] std::size_t depth() const;
    /// True on a shedding thread: the request it is serving must be refused with 503.
    [[nodiscard]] static bool shedding();

  private:
    struct Pool {
        mutable std::mutex mutex;
        std::condition_variable ready;
        std::deque<std::function<void()>> jobs;
        std::vector<std::thread> threads;
    };
    void run(Pool& pool, bool shed);

    std::size_t m_maxQueued;
    std::atomic<bool> m_stopping{false};  ///< set under each pool's mutex before it is notified
    Pool m_work;
    Pool m_shed;
};

}  // namespace central
