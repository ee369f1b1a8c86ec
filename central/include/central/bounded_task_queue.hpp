#pragma once
// cpp-httplib's task queue with a bound: `workers` threads serve connections; at most `maxQueued`
// connections wait for one. A connection beyond that is handed to a small shedding pool instead,
// which runs it with shedding() == true: the server's pre-routing handler then answers 503 with
// Retry-After and closes the connection, without touching the database. So an overload costs a fast
// refusal per extra request — latency of accepted requests stays bounded, nothing collapses.
//
// (cpp-httplib 0.11 calls enqueue() from its accept thread and gives it no way to refuse a job: the
// job owns the socket and must run to close it, hence the shedding pool rather than a drop.)

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace central {

class BoundedTaskQueue final : public httplib::TaskQueue {
  public:
    BoundedTaskQueue(std::size_t workers, std::size_t maxQueued);
    ~BoundedTaskQueue() override;
    BoundedTaskQueue(const BoundedTaskQueue&) = delete;
    BoundedTaskQueue& operator=(const BoundedTaskQueue&) = delete;

    void enqueue(std::function<void()> fn) override;
    void shutdown() override;

    /// Connections waiting for a worker now.
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
