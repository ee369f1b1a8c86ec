#pragma once
// The kiosk's own SQLite file: six parts over one shared connection (Database) —
//   Outbox          accepted receipts until central settles them
//   RefusalAudit    claims central refused, for staff
//   VoucherArchive  vouchers issued here, for staff to reprint
//   ConfigCache     the last good configuration
//   SyncState       small sync state (learned clock offset)
//   StaffLog        staff actions until central has them, the out-of-service state
// LocalStore opens the file, applies the schema migrations and is all five: the kiosk calls
// `store.enqueue(…)` as it always did, while code that needs one concern takes only that part (the
// sync worker's outbox pusher takes an Outbox&).
// Durability design and what "confirmed" means: docs/sync.md.
//
// Contract
// - Thread-safe: every method may be called from any thread (the kiosk core enqueues, the SyncWorker
//   drains); calls are serialised on the one connection.
// - Every method BLOCKS on disk I/O. A write returns only after SQLite committed it with
//   synchronous=FULL in WAL mode, i.e. after fsync: once `enqueue` has returned, the claim survives
//   kill -9 and a power cut. Tell the shopper "done" only after it returned a value.
// - Errors are values; a failed write changes nothing (one transaction per call).

#include <filesystem>
#include <memory>

#include "kiosk/sync/config_cache.hpp"
#include "kiosk/sync/database.hpp"
#include "kiosk/sync/outbox.hpp"
#include "kiosk/sync/refusal_audit.hpp"
#include "kiosk/sync/staff_log.hpp"
#include "kiosk/sync/sync_state.hpp"
#include "kiosk/sync/voucher_archive.hpp"

namespace kiosk::sync {

class LocalStore : public Outbox,
                   public RefusalAudit,
                   public VoucherArchive,
                   public ConfigCache,
                   public SyncState,
                   public StaffLog {
  public:
    /// Opens or creates the store (and its folder), applies pending schema migrations.
    [[nodiscard]] static StoreResult<std::unique_ptr<LocalStore>> open(const std::filesystem::path& file);
    LocalStore(const LocalStore&) = delete;
    LocalStore& operator=(const LocalStore&) = delete;

  private:
    explicit LocalStore(std::unique_ptr<Database> database);
    /// Declared after the parts' bases, so it is destroyed (and the connection closed) first; the parts
    /// only hold a reference to it.
    std::unique_ptr<Database> m_database;
};

}  // namespace kiosk::sync
