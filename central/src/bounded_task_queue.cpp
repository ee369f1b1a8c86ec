#include "central/bounded_task_queue.hpp"

namespace central {
namespace {
thread_local bool tl_shedding = false;
constexpr std::size_t kShedThreads = 2;
}  // namespace

BoundedTaskQueue::BoundedTaskQueue(std::size_t workers, std::size_t maxQueued) : m_maxQueued(maxQueued) {
    for (std::size_t i = 0; i < workers; ++i) m_work.threads.emplace_back([this] { run(m_work, false); });
    for (std::size_t i = 0; i < kShedThreads; ++i) m_shed.threads.emplace_back([this] { run(m_shed, true); });
}

BoundedTaskQueue::~BoundedTaskQueue() {
    shutdown();
}

bool BoundedTaskQueue::shedding() {
    return tl_shedding;
}

bool BoundedTaskQueue::enqueue(std::function<void()> fn) {
    {
        std::lock_guard lock(m_work.mutex);
        if (m_stopping) return false;
        if (m_work.jobs.size() < m_maxQueued) {
            m_work.jobs.push_back(std::move(fn));
            m_work.ready.notify_one();
            return true;
        }
    }
    std::lock_guard lock(m_shed.mutex);
    if (m_stopping) return false;
    m_shed.jobs.push_back(std::move(fn));
    m_shed.ready.notify_one();
    return true;
}

std::size_t BoundedTaskQueue::depth() const {
    std::lock_guard lock(m_work.mutex);
    return m_work.jobs.size();
}

void BoundedTaskQueue::run(Pool& pool, bool shed) {
    tl_shedding = shed;
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(pool.mutex);
            pool.ready.wait(lock, [&] { return m_stopping || !pool.jobs.empty(); });
            if (pool.jobs.empty()) return;  // stopping, and everything queued was served
            job = std::move(pool.jobs.front());
            pool.jobs.pop_front();
        }
        job();
    }
}

void BoundedTaskQueue::shutdown() {
    for (Pool* pool : {&m_work, &m_shed}) {
        std::lock_guard lock(pool->mutex);
        m_stopping = true;
        pool->ready.notify_all();
    }
    for (Pool* pool : {&m_work, &m_shed}) {
        for (auto& t : pool->threads)
            if (t.joinable()) t.join();
        pool->threads.clear();
    }
}

}  // namespace central
