#pragma once
// What the sync worker's jobs share (private to kiosk_sync): the client of central, the clock, where
// the kiosk stands with its credential, central's clock offset and the status snapshot.
//
// Contract: the client, the enrollment state and exchange() are for the sync thread only; status(),
// centralNow() and the status setters may be called from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "hal/clock.hpp"
#include "kiosk/sync/sync_state.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {

/// "HTTP 503 overloaded: …" — an error of central's client as the status and logs show it.
[[nodiscard]] std::string describe(const net::Error& error);

class Link {
  public:
    /// `clock` and `state` must outlive the link; the offset learned before is read from `state`.
    Link(net::CentralClient client, hal::Clock& clock, SyncState& state, Enrollment enrollment,
         std::optional<std::int64_t> outboxDepth);

    [[nodiscard]] net::CentralClient& client() { return m_client; }
    [[nodiscard]] hal::Clock& clock() { return m_clock; }
    [[nodiscard]] std::chrono::milliseconds monotonicNow() const {
        return std::chrono::milliseconds(m_clock.monotonicMs());
    }
    /// Central's time as the kiosk best knows it: the clock's wall time plus the learned offset.
    [[nodiscard]] loyalty::UnixSeconds centralNow() const;

    /// One call to central (`call(client())`); a successful answer teaches central's clock offset and,
    /// when pushes could not reach central before, fires the reconnect hook.
    template <typename Call>
    auto exchange(Call&& call) {
        const auto sentAt = monotonicNow();
        const auto sentWall = m_clock.now();
        auto answer = std::forward<Call>(call)(m_client);
        if (answer) {
            learnOffset(*answer, sentAt, sentWall);
            if (std::exchange(m_pushUnreachable, false) && m_reconnected) m_reconnected();
        }
        return answer;
    }
    /// The outbox pusher's last call got no answer at all (not even an error status) from central.
    void setPushUnreachable(bool unreachable) { m_pushUnreachable = unreachable; }
    /// Runs on the sync thread when central answers again after pushes could not reach it.
    void onReconnect(std::function<void()> hook) { m_reconnected = std::move(hook); }

    [[nodiscard]] Enrollment enrollment() const { return m_enrollment; }
    void setEnrollment(Enrollment enrollment);
    /// Central can do something for this kiosk: it has a credential (none is refused everything).
    [[nodiscard]] bool mayCallCentral() const {
        return m_enrollment == Enrollment::NotNeeded || m_enrollment == Enrollment::Enrolled;
    }

    [[nodiscard]] SyncStatus status() const;
    void setOnline(bool online);
    /// Empty clears the error.
    void setError(std::string error);
    /// A failed call: online when central itself answered, the error prefixed by `what`.
    void callFailed(const std::string& what, const net::Error& error);
    /// Calls `changed` with the status if it differs from the one published before (on the sync thread).
    /// An unknown depth (the store failed) keeps the last one.
    void publish(std::optional<std::int64_t> outboxDepth,
                 const std::function<void(const SyncStatus&)>& changed);

  private:
    void learnOffset(const net::Answer& answer, std::chrono::milliseconds sentAt,
                     loyalty::UnixSeconds sentWall);

    net::CentralClient m_client;
    hal::Clock& m_clock;
    SyncState& m_state;
    Enrollment m_enrollment;
    bool m_pushUnreachable = false;
    std::function<void()> m_reconnected;

    mutable std::mutex m_mutex;
    SyncStatus m_status;
    SyncStatus m_published;  ///< last snapshot given to statusChanged
    std::int64_t m_clockOffset = 0;
};

}  // namespace kiosk::sync
