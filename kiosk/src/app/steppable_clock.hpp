#pragma once
// The kiosk's one clock: the system clock, which the automation command {"cmd":"advance","ms":N} moves
// forward so an end-to-end test passes time without sleeping. The scanner's dedupe, the journey's idle
// timeout and the sync worker's backoff and intervals all read this one clock, so they move together.
// Without automation nothing advances it: it is the system clock. Any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "hal/clock.hpp"

namespace kiosk {

class SteppableClock final : public hal::Clock {
  public:
    [[nodiscard]] loyalty::UnixSeconds now() const override {
        return m_system.now() + m_offsetMs.load() / 1000;
    }
    [[nodiscard]] hal::MonotonicMs monotonicMs() const override {
        return m_system.monotonicMs() + m_offsetMs.load();
    }
    /// Moves both readings forward by `step` (never back: monotonic time does not go backwards).
    void advance(std::chrono::milliseconds step) {
        if (step.count() > 0) {
            m_offsetMs += step.count();
        }
    }

  private:
    hal::SystemClock m_system;
    std::atomic<std::int64_t> m_offsetMs{0};
};

}  // namespace kiosk
