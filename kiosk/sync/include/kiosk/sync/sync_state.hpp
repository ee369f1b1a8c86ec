#pragma once
// Small state the sync worker keeps across restarts: the clock offset to central it learned, so a
// restarted kiosk that is offline still knows central's time.
//
// Contract: as LocalStore (any thread, blocks on disk I/O, errors are values).

#include <cstdint>

#include "kiosk/sync/database.hpp"

namespace kiosk::sync {

class SyncState {
  public:
    /// `database` must outlive this part.
    explicit SyncState(Database& database) : m_database(database) {}

    /// central time minus kiosk time, seconds, as last learned (0 if never).
    [[nodiscard]] StoreResult<void> saveClockOffset(std::int64_t seconds);
    [[nodiscard]] StoreResult<std::int64_t> loadClockOffset();

  private:
    Database& m_database;
};

}  // namespace kiosk::sync
