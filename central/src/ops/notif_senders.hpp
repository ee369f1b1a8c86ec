#pragma once
// The sender threads of the notification worker (docs/notifications.md, "Delivery"): made once, one
// NotifTransport each (one keep-alive connection to the provider), they share out a batch of messages
// and hand back one result per message. They run below request threads' CPU priority (nice
// kNotifSenderNice): on a busy machine the drain takes what claims leave.
//
// Threads: send() from one thread at a time (the worker); it BLOCKS until every message of the batch
// has its result. The destructor lets a batch in flight finish, then joins the threads.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "store/notif_store.hpp"

namespace central {

/// The nice value of the worker's and the senders' threads (request threads run at the process's,
/// normally 0): ten steps give them about a tenth of a request thread's CPU share when both want it.
constexpr int kNotifSenderNice = 10;

/// What one request to the provider came to.
struct NotifSendResult {
    int status = 0;     ///< HTTP status; 0 = no answer (connection refused, timeout)
    std::string error;  ///< why, when not 2xx
};

/// Sends one message to the provider. BLOCKS up to its timeout. One instance per sender thread: an
/// instance is used by one thread at a time.
class NotifTransport {
  public:
    virtual ~NotifTransport() = default;
    [[nodiscard]] virtual NotifSendResult send(const NotifMessage& message) = 0;
};

/// Lowers the calling thread's CPU priority to kNotifSenderNice (Linux: nice is per thread). Logs
/// once when the system refuses.
void lowerThreadPriority();

class NotifSenders {
  public:
    /// One thread per transport (at least one transport).
    explicit NotifSenders(std::vector<std::unique_ptr<NotifTransport>> transports);
    ~NotifSenders();
    NotifSenders(const NotifSenders&) = delete;
    NotifSenders& operator=(const NotifSenders&) = delete;

    /// Sends every message once; results[i] is messages[i]'s.
    [[nodiscard]] std::vector<NotifSendResult> send(std::span<const NotifMessage* const> messages);

  private:
    void run(NotifTransport& transport);

    std::vector<std::unique_ptr<NotifTransport>> m_transports;
    std::mutex m_mutex;
    std::condition_variable m_work;  ///< senders wait here for a batch
    std::condition_variable m_done;  ///< send() waits here for the last result
    std::span<const NotifMessage* const> m_batch;
    std::vector<NotifSendResult>* m_results = nullptr;
    std::size_t m_next = 0;      ///< the next message of m_batch to take
    std::size_t m_answered = 0;  ///< results written for m_batch
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

}  // namespace central
