#include "ops/notif_senders.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace central {

void lowerThreadPriority() {
    static std::atomic<bool> warned{false};
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNotifSenderNice) != 0 &&
        !warned.exchange(true))
        spdlog::warn("notify: cannot lower the sender threads' priority: {}", std::strerror(errno));
}

NotifSenders::NotifSenders(std::vector<std::unique_ptr<NotifTransport>> transports)
    : m_transports(std::move(transports)) {
    for (auto& transport : m_transports) m_threads.emplace_back([this, &t = *transport] { run(t); });
}

NotifSenders::~NotifSenders() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_work.notify_all();
    for (auto& thread : m_threads) thread.join();
}

std::vector<NotifSendResult> NotifSenders::send(std::span<const NotifMessage* const> messages) {
    std::vector<NotifSendResult> results(messages.size());
    if (messages.empty()) return results;
    std::unique_lock lock(m_mutex);
    m_batch = messages;
    m_results = &results;
    m_next = 0;
    m_answered = 0;
    m_work.notify_all();
    m_done.wait(lock, [&] { return m_answered == m_batch.size(); });
    m_batch = {};
    m_results = nullptr;
    return results;
}

void NotifSenders::run(NotifTransport& transport) {
    lowerThreadPriority();
    std::unique_lock lock(m_mutex);
    while (true) {
        m_work.wait(lock, [&] { return m_stop || m_next < m_batch.size(); });
        if (m_next >= m_batch.size()) return;  // stopping, nothing left to send
        const auto i = m_next++;
        const NotifMessage& message = *m_batch[i];
        lock.unlock();
        auto result = transport.send(message);
        lock.lock();
        (*m_results)[i] = std::move(result);
        if (++m_answered == m_batch.size()) m_done.notify_one();
    }
}

}  // namespace central
