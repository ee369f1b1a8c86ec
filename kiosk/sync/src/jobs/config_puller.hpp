#pragma once
// The config puller job: asks central for the kiosk's configuration with the stored copy's ETag every
// interval and when nudged (a "reload_config" command); a new copy that the kiosk can run on replaces
// the last good one (docs/sync.md, Config).

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "kiosk/sync/scheduler.hpp"

namespace kiosk::sync {

class Link;
class ConfigCache;
struct CachedConfig;

class ConfigPuller final : public Job {
  public:
    using Validate = std::function<std::optional<std::string>(const std::string& body)>;

    /// `validate` says why a body is unusable (empty: any JSON object); `changed` hears a stored copy.
    ConfigPuller(Link& link, ConfigCache& cache, std::chrono::milliseconds interval, Validate validate,
                 std::function<void(const CachedConfig&)> changed);

    [[nodiscard]] std::string_view name() const override { return "config"; }
    [[nodiscard]] bool ready() const override;
    [[nodiscard]] Next run() override;

  private:
    Link& m_link;
    ConfigCache& m_cache;
    std::chrono::milliseconds m_interval;
    Validate m_validate;
    std::function<void(const CachedConfig&)> m_changed;
};

}  // namespace kiosk::sync
