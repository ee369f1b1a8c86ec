#include "kiosk/sync/sync_state.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::ioError;
using sqlite::Statement;

StoreResult<void> SyncState::saveMeta(const std::string& key, std::int64_t value, const char* what) {
    const auto db = m_database.lock();
    Statement upsert(db.get(),
                     "INSERT INTO meta(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!upsert.ok()) return std::unexpected(ioError(db.get(), what));
    upsert.bind(1, key);
    upsert.bind(2, value);
    if (upsert.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), what));
    return {};
}

StoreResult<std::int64_t> SyncState::loadMeta(const std::string& key, const char* what) {
    const auto db = m_database.lock();
    Statement select(db.get(), "SELECT value FROM meta WHERE key = ?");
    if (!select.ok()) return std::unexpected(ioError(db.get(), what));
    select.bind(1, key);
    const int rc = select.step();
    if (rc == SQLITE_DONE) return std::int64_t{0};
    if (rc != SQLITE_ROW) return std::unexpected(ioError(db.get(), what));
    return select.integer(0);
}

StoreResult<void> SyncState::saveClockOffset(std::int64_t seconds) {
    return saveMeta("clock_offset", seconds, "save clock offset");
}

StoreResult<std::int64_t> SyncState::loadClockOffset() {
    return loadMeta("clock_offset", "load clock offset");
}

StoreResult<void> SyncState::saveUpdatePostponedUntil(loyalty::UnixSeconds until) {
    return saveMeta("update_postponed_until", until, "save update postponement");
}

StoreResult<loyalty::UnixSeconds> SyncState::loadUpdatePostponedUntil() {
    return loadMeta("update_postponed_until", "load update postponement");
}

}  // namespace kiosk::sync
