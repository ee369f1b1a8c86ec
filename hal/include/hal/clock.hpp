#pragma once
// The kiosk's sense of time, owned by the HAL so tests can move it. Timeouts, backoff, idle wipe,
// scan dedupe and expiries read a hal::Clock, never std::chrono clocks directly.
//
// Two readings:
//   now()          wall time as loyalty::UnixSeconds (UTC) — for what is stored or shown: receipt age,
//                  voucher expiry. May jump (NTP, operator).
//   monotonicMs()  milliseconds since an arbitrary origin, never goes backwards — for measuring
//                  durations: timeouts, backoff, "seen 3 s ago".
//
// Thread safety: every member of every implementation may be called from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "loyalty/receipt.hpp"

namespace hal {

/// Monotonic time in milliseconds, for durations only (its origin means nothing).
using MonotonicMs = std::int64_t;

class Clock {
  public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual loyalty::UnixSeconds now() const = 0;
    [[nodiscard]] virtual MonotonicMs monotonicMs() const = 0;
};

/// The real clocks: std::chrono::system_clock and steady_clock.
class SystemClock final : public Clock {
  public:
    [[nodiscard]] loyalty::UnixSeconds now() const override;
    [[nodiscard]] MonotonicMs monotonicMs() const override;
};

/// A clock that only moves when a test says so. Both readings move together on advance().
class ManualClock final : public Clock {
  public:
    /// Starts at wall time `start` (Unix seconds) and monotonic time `monotonicStart` ms.
    explicit ManualClock(loyalty::UnixSeconds start = 1'750'000'000, MonotonicMs monotonicStart = 0)
        : m_wallMs(start * 1000), m_monotonicMs(monotonicStart) {}

    [[nodiscard]] loyalty::UnixSeconds now() const override { return m_wallMs.load() / 1000; }
    [[nodiscard]] MonotonicMs monotonicMs() const override { return m_monotonicMs.load(); }

    /// Moves both readings forward by `step` (negative steps are ignored: monotonic time never goes
    /// back).
    void advance(std::chrono::milliseconds step);
    /// Sets the wall time only (as when NTP corrects the clock); monotonic time is not touched.
    void setWallTime(loyalty::UnixSeconds wall) { m_wallMs.store(wall * 1000); }

  private:
    std::atomic<std::int64_t> m_wallMs;
    std::atomic<MonotonicMs> m_monotonicMs;
};

}  // namespace hal
