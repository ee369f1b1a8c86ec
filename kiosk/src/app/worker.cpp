#include "worker.hpp"

#include <spdlog/spdlog.h>

namespace kiosk {

Worker::Worker(std::string name) : m_name(std::move(name)), m_thread([this] { run(); }) {}

Worker::~Worker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

void Worker::post(std::function<void()> job) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void Worker::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_stop) {
                return;
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        try {
            job();
        } catch (const std::exception& e) {
            spdlog::error("{} worker: a job failed: {}", m_name, e.what());
        }
    }
}

}  // namespace kiosk
