#pragma once
// ServiceNotifier — the kiosk's side of systemd's notify protocol (sd_notify(3)): READY=1 once the
// first frame is on screen, WATCHDOG=1 from the UI loop so a hung UI thread gets the service restarted,
// STATUS= lines a technician reads in `systemctl status`, STOPPING=1 on the way out.
//
// Outside systemd (no NOTIFY_SOCKET) every call is a harmless no-op. Time comes from a hal::Clock, so
// a test moves it by hand.
//
// Threads: one owner — the UI thread. Never blocks (a datagram send to a local socket).

#include <chrono>
#include <string_view>

#include "hal/clock.hpp"

namespace hal {

class ServiceNotifier {
  public:
    /// Reads WATCHDOG_USEC / WATCHDOG_PID of the environment (sd_watchdog_enabled(3)); the watchdog is
    /// off when they are absent or meant for another process.
    explicit ServiceNotifier(const Clock& clock);

    /// READY=1 with a STATUS line. Call once, after the first frame was drawn.
    void ready(std::string_view status);
    /// A STATUS line (e.g. "enrolled, central reachable", "printer out of paper").
    void status(std::string_view text);
    /// Once per UI-loop iteration, drawn or idle: sends WATCHDOG=1 when a quarter of the watchdog
    /// interval has passed since the last ping. A loop that sleeps at most maxWait() thus pings at
    /// least every half interval, even when a wake-up comes a little early and is skipped.
    void alive();
    /// STOPPING=1. Call when the UI loop ends.
    void stopping();

    /// The longest the UI loop may sleep between two alive() calls: a quarter of the watchdog interval,
    /// or std::chrono::milliseconds::max() when there is no watchdog.
    [[nodiscard]] std::chrono::milliseconds maxWait() const;
    [[nodiscard]] bool watchdogEnabled() const { return m_interval.count() > 0; }

  private:
    const Clock& m_clock;
    std::chrono::microseconds m_interval{0};
    MonotonicMs m_lastPing = 0;
    bool m_pinged = false;
};

}  // namespace hal
