#include "link.hpp"

#include <cstdlib>

namespace kiosk::sync {
namespace {

/// A round trip slower than this says too little about central's clock to learn an offset from it.
constexpr std::chrono::milliseconds kMaxOffsetRoundTrip{5000};

}  // namespace

std::string describe(const net::Error& error) {
    std::string text = error.message;
    if (!error.code.empty()) text = error.code + ": " + text;
    if (error.httpStatus != 0) text = "HTTP " + std::to_string(error.httpStatus) + " " + text;
    return text;
}

Link::Link(net::CentralClient client, hal::Clock& clock, SyncState& state, Enrollment enrollment,
           std::optional<std::int64_t> outboxDepth)
    : m_client(std::move(client)), m_clock(clock), m_state(state), m_enrollment(enrollment) {
    if (outboxDepth) m_status.outboxDepth = *outboxDepth;
    if (auto offset = m_state.loadClockOffset()) m_clockOffset = *offset;
    m_status.clockOffsetSeconds = m_clockOffset;
    m_status.enrollment = enrollment;
}

loyalty::UnixSeconds Link::centralNow() const {
    std::lock_guard lock(m_mutex);
    return m_clock.now() + m_clockOffset;
}

void Link::setEnrollment(Enrollment enrollment) {
    m_enrollment = enrollment;
    std::lock_guard lock(m_mutex);
    m_status.enrollment = enrollment;
}

SyncStatus Link::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void Link::setOnline(bool online) {
    std::lock_guard lock(m_mutex);
    m_status.online = online;
}

void Link::setError(std::string error) {
    std::lock_guard lock(m_mutex);
    m_status.lastError = std::move(error);
}

void Link::callFailed(const std::string& what, const net::Error& error) {
    std::lock_guard lock(m_mutex);
    // An HTTP status means central itself answered (busy, refusing): the link works.
    m_status.online = error.httpStatus != 0;
    m_status.lastError = what + describe(error);
}

void Link::publish(std::optional<std::int64_t> outboxDepth,
                   const std::function<void(const SyncStatus&)>& changed) {
    SyncStatus snapshot;
    {
        std::lock_guard lock(m_mutex);
        if (outboxDepth) m_status.outboxDepth = *outboxDepth;
        const bool same =
            m_status.online == m_published.online && m_status.outboxDepth == m_published.outboxDepth &&
            m_status.clockOffsetSeconds == m_published.clockOffsetSeconds &&
            m_status.lastRoundTripMs == m_published.lastRoundTripMs &&
            m_status.lastError == m_published.lastError && m_status.enrollment == m_published.enrollment;
        m_published = m_status;
        if (same) return;
        snapshot = m_status;
    }
    if (changed) changed(snapshot);
}

void Link::learnOffset(const net::Answer& answer, std::chrono::milliseconds sentAt,
                       loyalty::UnixSeconds sentWall) {
    const auto roundTrip = monotonicNow() - sentAt;
    {
        std::lock_guard lock(m_mutex);
        m_status.lastRoundTripMs = roundTrip.count();
    }
    if (!answer.serverTime) return;
    if (roundTrip > kMaxOffsetRoundTrip) return;
    // Central stamped its time somewhere during the round trip; its middle is the best local estimate.
    const auto localMid = sentWall + std::chrono::duration_cast<std::chrono::seconds>(roundTrip / 2).count();
    const auto offset = *answer.serverTime - localMid;
    {
        std::lock_guard lock(m_mutex);
        // Whole-second timestamps jitter by one: ignore that, so the stored offset does not flap.
        if (std::abs(offset - m_clockOffset) <= 1) return;
        m_clockOffset = offset;
        m_status.clockOffsetSeconds = offset;
    }
    (void)m_state.saveClockOffset(offset);
}

}  // namespace kiosk::sync
