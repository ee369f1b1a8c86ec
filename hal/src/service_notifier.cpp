#include "hal/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace hal {

ServiceNotifier::ServiceNotifier(const Clock& clock) : m_clock(clock) {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0) m_interval = std::chrono::microseconds{usec};
}

void ServiceNotifier::ready(std::string_view status) {
    sd_notify(0, ("READY=1\nSTATUS=" + std::string(status)).c_str());
}

void ServiceNotifier::status(std::string_view text) {
    sd_notify(0, ("STATUS=" + std::string(text)).c_str());
}

void ServiceNotifier::alive() {
    if (!watchdogEnabled()) return;
    const MonotonicMs now = m_clock.monotonicMs();
    if (m_pinged && now - m_lastPing < maxWait().count()) return;
    sd_notify(0, "WATCHDOG=1");
    m_lastPing = now;
    m_pinged = true;
}

void ServiceNotifier::stopping() {
    sd_notify(0, "STOPPING=1");
}

std::chrono::milliseconds ServiceNotifier::maxWait() const {
    if (!watchdogEnabled()) return std::chrono::milliseconds::max();
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_interval / 4);
}

}  // namespace hal
