#include "config_puller.hpp"

#include <algorithm>

#include "../link.hpp"
#include "kiosk/sync/config_cache.hpp"

namespace kiosk::sync {
namespace {

/// Config pull retry after a failure, instead of the full interval.
constexpr std::chrono::milliseconds kRetry{30'000};

}  // namespace

ConfigPuller::ConfigPuller(Link& link, ConfigCache& cache, std::chrono::milliseconds interval,
                           Validate validate, std::function<void(const CachedConfig&)> changed)
    : m_link(link),
      m_cache(cache),
      m_interval(interval),
      m_validate(std::move(validate)),
      m_changed(std::move(changed)) {}

bool ConfigPuller::ready() const {
    return m_link.mayCallCentral();
}

Next ConfigPuller::run() {
    std::string etag;
    if (auto cached = m_cache.loadConfig(); cached && cached->has_value()) etag = (*cached)->etag;
    auto answer = m_link.exchange([&](net::CentralClient& client) { return client.pullConfig(etag); });
    if (!answer) {
        m_link.callFailed("config: ", answer.error());
        return Next::after(std::min(m_interval, kRetry));
    }
    if (answer->notModified) return Next::after(m_interval);
    // A configuration the kiosk cannot run on never replaces the last good one; asked again at the next
    // interval (central's ETag changes once someone fixes it).
    if (m_validate) {
        if (auto why = m_validate(answer->body)) {
            m_link.setError("config refused: " + *why);
            return Next::after(m_interval);
        }
    }
    CachedConfig config{answer->etag, answer->body, m_link.centralNow()};
    if (auto saved = m_cache.saveConfig(config); !saved) {
        m_link.setError("config: " + saved.error().message);
        return Next::after(kRetry);
    }
    if (m_changed) m_changed(config);
    return Next::after(m_interval);
}

}  // namespace kiosk::sync
