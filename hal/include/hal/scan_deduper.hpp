#pragma once
// ScanDeduper — turns "this code is in the frame" sightings into scan events: a code becomes an
// event the first time it is seen, and again only after it was NOT seen for `forgetAfterMs`
// (it left the view, or the shopper put the receipt away and came back). A receipt held under the
// camera for five seconds is one event, not fifty.
//
// Pure logic on times the caller passes (hal::Clock::monotonicMs()); not synchronised.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hal/clock.hpp"

namespace hal {

class ScanDeduper {
  public:
    explicit ScanDeduper(std::int64_t forgetAfterMs) : m_forgetAfterMs(forgetAfterMs) {}

    /// Records a sighting of `text` at `now`; true if it is a new event.
    [[nodiscard]] bool sighted(std::string_view text, MonotonicMs now);
    /// `text`, if remembered, is known to be still in view at `now` without having been decoded again
    /// (the scene has not changed since it was): keeps it remembered; never an event.
    void refresh(std::string_view text, MonotonicMs now);

    /// Codes currently remembered (tests; bounded because forgotten ones are pruned).
    [[nodiscard]] std::size_t remembered() const { return m_lastSeen.size(); }

  private:
    void prune(MonotonicMs now);

    std::int64_t m_forgetAfterMs;
    std::unordered_map<std::string, MonotonicMs> m_lastSeen;
};

}  // namespace hal
