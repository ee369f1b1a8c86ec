#pragma once
// The UI thread's one inbox: workers, the scanner and the sync thread post immutable values (the
// journey's events, central's parsed configuration), the UI thread drains them once per loop.
// post() is thread-safe and wakes the UI loop through the callback given at construction.

#include <functional>
#include <mutex>
#include <utility>
#include <variant>
#include <vector>

#include "central_config.hpp"
#include "kiosk/events.hpp"

namespace kiosk {

/// What reaches the UI thread: an event for the journey, or central's new configuration for the app.
using Inbound = std::variant<Event, CentralConfig>;

class Inbox {
  public:
    explicit Inbox(std::function<void()> wake) : m_wake(std::move(wake)) {}

    void post(Event event) { push(Inbound{std::in_place_type<Event>, std::move(event)}); }
    void post(CentralConfig config) { push(Inbound{std::in_place_type<CentralConfig>, std::move(config)}); }

    [[nodiscard]] std::vector<Inbound> drain() {
        std::lock_guard lock(m_mutex);
        std::vector<Inbound> out;
        out.swap(m_events);
        return out;
    }

  private:
    void push(Inbound item) {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(item));
        }
        m_wake();
    }

    std::function<void()> m_wake;
    std::mutex m_mutex;
    std::vector<Inbound> m_events;
};

}  // namespace kiosk
