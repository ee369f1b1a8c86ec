#include "kiosk/sync/sync_state.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::ioError;
using sqlite::Statement;

StoreResult<void> SyncState::saveClockOffset(std::int64_t seconds) {
    const auto db = m_database.lock();
    Statement upsert(db.get(),
                     "INSERT INTO meta(key, value) VALUES ('clock_offset', ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!upsert.ok()) return std::unexpected(ioError(db.get(), "save clock offset"));
    upsert.bind(1, seconds);
    if (upsert.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "save clock offset"));
    return {};
}

StoreResult<std::int64_t> SyncState::loadClockOffset() {
    const auto db = m_database.lock();
    Statement select(db.get(), "SELECT value FROM meta WHERE key = 'clock_offset'");
    if (!select.ok()) return std::unexpected(ioError(db.get(), "load clock offset"));
    const int rc = select.step();
    if (rc == SQLITE_DONE) return std::int64_t{0};
    if (rc != SQLITE_ROW) return std::unexpected(ioError(db.get(), "load clock offset"));
    return select.integer(0);
}

}  // namespace kiosk::sync
