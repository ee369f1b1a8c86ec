#pragma once
// Small state the kiosk keeps across restarts: the clock offset to central the sync worker learned, so
// a restarted kiosk that is offline still knows central's time, and until when staff postponed the
// update agent's switch (docs/fleet.md, "Staff: the update on the maintenance screen").
//
// Contract: as LocalStore (any thread, blocks on disk I/O, errors are values). Each value is saved in
// one write.

#include <cstdint>
#include <string>

#include "kiosk/sync/database.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk::sync {

class SyncState {
  public:
    /// `database` must outlive this part.
    explicit SyncState(Database& database) : m_database(database) {}

    /// central time minus kiosk time, seconds, as last learned (0 if never).
    [[nodiscard]] StoreResult<void> saveClockOffset(std::int64_t seconds);
    [[nodiscard]] StoreResult<std::int64_t> loadClockOffset();

    /// Central's time until which no quiet moment switches to an installed release (0: not postponed).
    [[nodiscard]] StoreResult<void> saveUpdatePostponedUntil(loyalty::UnixSeconds until);
    [[nodiscard]] StoreResult<loyalty::UnixSeconds> loadUpdatePostponedUntil();

  private:
    [[nodiscard]] StoreResult<void> saveMeta(const std::string& key, std::int64_t value, const char* what);
    /// 0 when never saved.
    [[nodiscard]] StoreResult<std::int64_t> loadMeta(const std::string& key, const char* what);

    Database& m_database;
};

}  // namespace kiosk::sync
