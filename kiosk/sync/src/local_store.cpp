#include "kiosk/sync/local_store.hpp"

#include <array>

namespace kiosk::sync {
namespace {

// Schema migrations, applied in order; PRAGMA user_version records how many ran.
constexpr std::array<const char*, 3> kMigrations = {
    R"sql(
    CREATE TABLE outbox(
        seq                INTEGER PRIMARY KEY AUTOINCREMENT,
        idem_key           TEXT NOT NULL UNIQUE,
        receipt_id         TEXT NOT NULL UNIQUE,
        token              TEXT NOT NULL,
        phone              TEXT NOT NULL,
        consent_join       INTEGER NOT NULL,
        consent_marketing  INTEGER NOT NULL,
        consent_version    TEXT NOT NULL,
        accepted_at        INTEGER NOT NULL,
        provisional_points INTEGER NOT NULL,
        state              INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),
        attempts           INTEGER NOT NULL DEFAULT 0,
        last_error         TEXT NOT NULL DEFAULT '',
        points_earned      INTEGER NOT NULL DEFAULT 0,
        balance            INTEGER NOT NULL DEFAULT 0,
        settled_at         INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX outbox_state ON outbox(state, seq);
    CREATE INDEX outbox_phone ON outbox(phone, state);
    CREATE TABLE refusals(
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        idem_key           TEXT NOT NULL UNIQUE REFERENCES outbox(idem_key),
        receipt_id         TEXT NOT NULL,
        phone              TEXT NOT NULL,
        provisional_points INTEGER NOT NULL,
        code               TEXT NOT NULL,
        reason             TEXT NOT NULL,
        refused_at         INTEGER NOT NULL,
        acknowledged       INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE config(
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        etag       TEXT NOT NULL,
        body       TEXT NOT NULL,
        fetched_at INTEGER NOT NULL);
    CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    )sql",
    // 2: the vouchers central issued through this kiosk, so staff can reprint one whose print failed.
    R"sql(
    CREATE TABLE vouchers(
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        code        TEXT NOT NULL UNIQUE,
        qr_payload  TEXT NOT NULL,
        title_vi    TEXT NOT NULL,
        title_en    TEXT NOT NULL,
        value_dong  INTEGER NOT NULL,
        issued_at   INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        terms_vi    TEXT NOT NULL,
        terms_en    TEXT NOT NULL,
        printed     INTEGER NOT NULL DEFAULT 0 CHECK (printed IN (0, 1)));
    )sql",
    // 3: staff actions until central has them, and the out-of-service state (issue 13).
    R"sql(
    CREATE TABLE staff_actions(
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        key      TEXT NOT NULL UNIQUE,
        staff_id TEXT NOT NULL,
        action   TEXT NOT NULL,
        detail   TEXT NOT NULL,
        at       INTEGER NOT NULL);
    CREATE TABLE service_state(
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        out_of_service INTEGER NOT NULL CHECK (out_of_service IN (0, 1)),
        message_vi     TEXT NOT NULL,
        message_en     TEXT NOT NULL,
        set_by         TEXT NOT NULL);
    )sql",
};

}  // namespace

StoreResult<std::unique_ptr<LocalStore>> LocalStore::open(const std::filesystem::path& file) {
    auto database = Database::open(file, kMigrations);
    if (!database) return std::unexpected(database.error());
    return std::unique_ptr<LocalStore>(new LocalStore(std::move(*database)));
}

// The bases bind to the Database object itself, which the unique_ptr member then owns: its address
// does not change when the pointer moves.
LocalStore::LocalStore(std::unique_ptr<Database> database)
    : Outbox(*database),
      RefusalAudit(*database),
      VoucherArchive(*database),
      ConfigCache(*database),
      SyncState(*database),
      StaffLog(*database),
      m_database(std::move(database)) {}

}  // namespace kiosk::sync
