#pragma once
// The one sense of time of every program: timeouts, backoff, idle wipe, scan dedupe, expiries and
// every stored timestamp read a loyalty::Clock, never the std::chrono clocks directly, so a test can
// move time instead of waiting for it or editing stored data.
//
// Two readings:
//   now()          wall time as loyalty::UnixSeconds (UTC) — for what is stored or shown: receipt age,
//                  voucher expiry, ledger entries. May jump (NTP, operator).
//   monotonicMs()  milliseconds since an arbitrary origin, never goes backwards — for measuring
//                  durations: timeouts, backoff, cache ages.
//
// Thread safety: every member of every implementation may be called from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "loyalty/receipt.hpp"

namespace loyalty {

/// Monotonic time in milliseconds, for durations only (its origin means nothing).
using MonotonicMs = std::int64_t;

class Clock {
  public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual UnixSeconds now() const = 0;
    [[nodiscard]] virtual MonotonicMs monotonicMs() const = 0;
};

/// The real clocks: std::chrono::system_clock and steady_clock.
class SystemClock final : public Clock {
  public:
    [[nodiscard]] UnixSeconds now() const override;
    [[nodiscard]] MonotonicMs monotonicMs() const override;
};

/// A clock that only moves when a test says so. Both readings move together on advance().
class ManualClock final : public Clock {
  public:
    /// Starts at wall time `start` (Unix seconds) and monotonic time `monotonicStart` ms.
    explicit ManualClock(UnixSeconds start = 1'750'000'000, MonotonicMs monotonicStart = 0)
        : m_wallMs(start * 1000), m_monotonicMs(monotonicStart) {}

    [[nodiscard]] UnixSeconds now() const override { return m_wallMs.load() / 1000; }
    [[nodiscard]] MonotonicMs monotonicMs() const override { return m_monotonicMs.load(); }

    /// Moves both readings forward by `step` (negative steps are ignored: monotonic time never goes
    /// back).
    void advance(std::chrono::milliseconds step);
    /// Sets the wall time only (as when NTP corrects the clock); monotonic time is not touched.
    void setWallTime(UnixSeconds wall) { m_wallMs.store(wall * 1000); }

  private:
    std::atomic<std::int64_t> m_wallMs;
    std::atomic<MonotonicMs> m_monotonicMs;
};

/// The system clock, moved forward on request: a real program under an end-to-end test (the kiosk's
/// automation `advance`, a --demo central's test clock) passes time without sleeping. Nothing else
/// advances it, so untouched it is the system clock.
class SteppableClock final : public Clock {
  public:
    [[nodiscard]] UnixSeconds now() const override { return m_system.now() + m_offsetMs.load() / 1000; }
    [[nodiscard]] MonotonicMs monotonicMs() const override {
        return m_system.monotonicMs() + m_offsetMs.load();
    }
    /// Moves both readings forward by `step` (never back: monotonic time does not go backwards).
    void advance(std::chrono::milliseconds step) {
        if (step.count() > 0) m_offsetMs += step.count();
    }

  private:
    SystemClock m_system;
    std::atomic<std::int64_t> m_offsetMs{0};
};

}  // namespace loyalty
