#pragma once
// The last good copy of the configuration central sent, so an offline kiosk still runs on it.
//
// Contract: as LocalStore (any thread, blocks on disk I/O, errors are values).

#include <optional>
#include <string>

#include "kiosk/sync/database.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk::sync {

struct CachedConfig {
    std::string etag;
    std::string body;  ///< JSON text as central sent it
    loyalty::UnixSeconds fetchedAt = 0;
};

class ConfigCache {
  public:
    /// `database` must outlive this part.
    explicit ConfigCache(Database& database) : m_database(database) {}

    /// Replaces the stored copy in one statement.
    [[nodiscard]] StoreResult<void> saveConfig(const CachedConfig& config);
    [[nodiscard]] StoreResult<std::optional<CachedConfig>> loadConfig();

  private:
    Database& m_database;
};

}  // namespace kiosk::sync
