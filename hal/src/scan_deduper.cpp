#include "hal/scan_deduper.hpp"

namespace hal {

bool ScanDeduper::sighted(std::string_view text, MonotonicMs now) {
    prune(now);
    const auto [it, inserted] = m_lastSeen.try_emplace(std::string(text), now);
    it->second = now;  // every sighting keeps a held receipt remembered
    return inserted;
}

void ScanDeduper::refresh(std::string_view text, MonotonicMs now) {
    if (const auto it = m_lastSeen.find(std::string(text)); it != m_lastSeen.end()) it->second = now;
}

void ScanDeduper::prune(MonotonicMs now) {
    std::erase_if(m_lastSeen, [&](const auto& entry) { return now - entry.second > m_forgetAfterMs; });
}

}  // namespace hal
