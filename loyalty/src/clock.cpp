#include "loyalty/clock.hpp"

namespace loyalty {

UnixSeconds SystemClock::now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

MonotonicMs SystemClock::monotonicMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void ManualClock::advance(std::chrono::milliseconds step) {
    if (step.count() <= 0) return;
    m_wallMs.fetch_add(step.count());
    m_monotonicMs.fetch_add(step.count());
}

}  // namespace loyalty
