#pragma once
// The UI thread's inbox: workers post immutable events, the UI thread drains them once per frame.
// post() is thread-safe and wakes the UI loop through the callback given at construction.

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "kiosk/events.hpp"

namespace kiosk {

class Inbox {
  public:
    explicit Inbox(std::function<void()> wake) : m_wake(std::move(wake)) {}

    void post(Event event) {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        }
        m_wake();
    }

    [[nodiscard]] std::vector<Event> drain() {
        std::lock_guard lock(m_mutex);
        std::vector<Event> out;
        out.swap(m_events);
        return out;
    }

  private:
    std::function<void()> m_wake;
    std::mutex m_mutex;
    std::vector<Event> m_events;
};

}  // namespace kiosk
