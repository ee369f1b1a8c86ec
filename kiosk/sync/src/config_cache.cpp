#include "kiosk/sync/config_cache.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::ioError;
using sqlite::Statement;

StoreResult<void> ConfigCache::saveConfig(const CachedConfig& config) {
    const auto db = m_database.lock();
    Statement upsert(
        db.get(),
        "INSERT INTO config(id, etag, body, fetched_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at");
    if (!upsert.ok()) return std::unexpected(ioError(db.get(), "save config"));
    upsert.bind(1, config.etag);
    upsert.bind(2, config.body);
    upsert.bind(3, config.fetchedAt);
    if (upsert.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "save config"));
    return {};
}

StoreResult<std::optional<CachedConfig>> ConfigCache::loadConfig() {
    const auto db = m_database.lock();
    Statement select(db.get(), "SELECT etag, body, fetched_at FROM config WHERE id = 1");
    if (!select.ok()) return std::unexpected(ioError(db.get(), "load config"));
    const int rc = select.step();
    if (rc == SQLITE_DONE) return std::optional<CachedConfig>();
    if (rc != SQLITE_ROW) return std::unexpected(ioError(db.get(), "load config"));
    return std::optional<CachedConfig>(CachedConfig{select.text(0), select.text(1), select.integer(2)});
}

}  // namespace kiosk::sync
