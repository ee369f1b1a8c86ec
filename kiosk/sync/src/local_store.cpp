#include "kiosk/sync/local_store.hpp"

#include <sqlite3.h>

#include <array>
#include <utility>

#include "network/idempotency_key.hpp"

namespace kiosk::sync {
namespace {

constexpr int kPending = 0;
constexpr int kConfirmed = 1;
constexpr int kRefused = 2;

// Schema migrations, applied in order; PRAGMA user_version records how many ran.
constexpr std::array kMigrations = {
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
};

StoreError ioError(sqlite3* db, std::string_view what) {
    return StoreError{StoreError::Kind::Io, std::string(what) + ": " + sqlite3_errmsg(db)};
}

/// One prepared statement, finalized on scope exit. Binds are 1-based like SQLite's.
class Statement {
  public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) m_stmt = nullptr;
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    [[nodiscard]] bool ok() const { return m_stmt != nullptr; }
    void bind(int index, std::int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
    void bind(int index, const std::string& value) {
        sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    }
    /// SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    [[nodiscard]] std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
    [[nodiscard]] std::string text(int column) const {
        const auto* p = sqlite3_column_text(m_stmt, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string();
    }

  private:
    sqlite3_stmt* m_stmt = nullptr;
};

StoreResult<void> exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        StoreError error{StoreError::Kind::Io,
                         std::string(sql).substr(0, 40) + ": " + (message ? message : sqlite3_errmsg(db))};
        sqlite3_free(message);
        return std::unexpected(error);
    }
    return {};
}

/// BEGIN IMMEDIATE … COMMIT; rolls back unless commit() succeeded.
class Transaction {
  public:
    explicit Transaction(sqlite3* db) : m_db(db) { m_begun = exec(db, "BEGIN IMMEDIATE").has_value(); }
    ~Transaction() {
        if (m_begun && !m_committed) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    [[nodiscard]] bool begun() const { return m_begun; }
    [[nodiscard]] StoreResult<void> commit() {
        auto result = exec(m_db, "COMMIT");
        m_committed = result.has_value();
        return result;
    }

  private:
    sqlite3* m_db;
    bool m_begun = false;
    bool m_committed = false;
};

constexpr const char* kEntryColumns =
    "seq, idem_key, receipt_id, token, phone, consent_join, consent_marketing, consent_version, "
    "accepted_at, provisional_points, state, attempts, last_error, points_earned";

OutboxEntry readEntry(const Statement& row) {
    OutboxEntry entry;
    entry.seq = row.integer(0);
    entry.idempotencyKey = row.text(1);
    entry.claim.receiptId = row.text(2);
    entry.claim.token = row.text(3);
    entry.claim.phone = row.text(4);
    entry.claim.consentJoin = row.integer(5) != 0;
    entry.claim.consentMarketing = row.integer(6) != 0;
    entry.claim.consentTextVersion = row.text(7);
    entry.claim.acceptedAt = row.integer(8);
    entry.claim.provisionalPoints = row.integer(9);
    const auto state = row.integer(10);
    entry.state = state == kConfirmed ? EntryState::Confirmed
                  : state == kRefused ? EntryState::Refused
                                      : EntryState::Pending;
    entry.attempts = row.integer(11);
    entry.lastError = row.text(12);
    entry.pointsEarned = row.integer(13);
    return entry;
}

}  // namespace

StoreResult<std::unique_ptr<LocalStore>> LocalStore::open(const std::filesystem::path& file) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec)
        return std::unexpected(StoreError{
            StoreError::Kind::Io, "cannot create " + file.parent_path().string() + ": " + ec.message()});

    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        StoreError error{StoreError::Kind::Io,
                         "cannot open " + file.string() + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
        sqlite3_close(db);
        return std::unexpected(error);
    }
    std::unique_ptr<LocalStore> store(new LocalStore(db));

    // WAL + synchronous=FULL: a commit returns only after the WAL is fsync'd (docs/sync.md).
    {
        Statement journal(db, "PRAGMA journal_mode=WAL");
        if (!journal.ok() || journal.step() != SQLITE_ROW || journal.text(0) != "wal")
            return std::unexpected(ioError(db, "cannot switch " + file.string() + " to WAL"));
    }
    for (const char* pragma :
         {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"})
        if (auto result = exec(db, pragma); !result) return std::unexpected(result.error());

    std::int64_t applied = 0;
    {
        Statement version(db, "PRAGMA user_version");
        if (!version.ok() || version.step() != SQLITE_ROW)
            return std::unexpected(ioError(db, "cannot read schema version"));
        applied = version.integer(0);
    }
    if (applied > static_cast<std::int64_t>(kMigrations.size()))
        return std::unexpected(StoreError{
            StoreError::Kind::Io,
            file.string() + " was written by a newer kiosk (schema " + std::to_string(applied) + ")"});
    for (auto i = static_cast<std::size_t>(applied); i < kMigrations.size(); ++i) {
        Transaction tx(db);
        if (!tx.begun()) return std::unexpected(ioError(db, "cannot migrate"));
        if (auto result = exec(db, kMigrations[i]); !result) return std::unexpected(result.error());
        const auto bump = "PRAGMA user_version=" + std::to_string(i + 1);
        if (auto result = exec(db, bump.c_str()); !result) return std::unexpected(result.error());
        if (auto result = tx.commit(); !result) return std::unexpected(result.error());
    }
    return store;
}

LocalStore::LocalStore(sqlite3* db) : m_db(db) {}

LocalStore::~LocalStore() {
    sqlite3_close(m_db);
}

StoreResult<std::string> LocalStore::enqueue(const NewClaim& claim) {
    if (claim.receiptId.empty() || claim.token.empty() || claim.phone.empty())
        return std::unexpected(
            StoreError{StoreError::Kind::Invalid, "a claim needs a receipt id, a token and a phone"});
    std::lock_guard lock(m_mutex);
    Statement insert(
        m_db,
        "INSERT INTO outbox(idem_key, receipt_id, token, phone, consent_join, consent_marketing, "
        "consent_version, accepted_at, provisional_points) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return std::unexpected(ioError(m_db, "enqueue"));
    auto key = net::newIdempotencyKey();
    insert.bind(1, key);
    insert.bind(2, claim.receiptId);
    insert.bind(3, claim.token);
    insert.bind(4, claim.phone);
    insert.bind(5, std::int64_t{claim.consentJoin});
    insert.bind(6, std::int64_t{claim.consentMarketing});
    insert.bind(7, claim.consentTextVersion);
    insert.bind(8, claim.acceptedAt);
    insert.bind(9, claim.provisionalPoints);
    const int rc = insert.step();
    if (rc == SQLITE_CONSTRAINT)
        return std::unexpected(
            StoreError{StoreError::Kind::Duplicate, "receipt " + claim.receiptId + " is already queued"});
    if (rc != SQLITE_DONE) return std::unexpected(ioError(m_db, "enqueue"));
    return key;
}

StoreResult<std::vector<OutboxEntry>> LocalStore::pendingBatch(std::size_t max) {
    std::lock_guard lock(m_mutex);
    const auto sql =
        std::string("SELECT ") + kEntryColumns + " FROM outbox WHERE state = 0 ORDER BY seq LIMIT ?";
    Statement select(m_db, sql.c_str());
    if (!select.ok()) return std::unexpected(ioError(m_db, "pending batch"));
    select.bind(1, static_cast<std::int64_t>(max));
    std::vector<OutboxEntry> entries;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW) entries.push_back(readEntry(select));
    if (rc != SQLITE_DONE) return std::unexpected(ioError(m_db, "pending batch"));
    return entries;
}

StoreResult<void> LocalStore::settle(const std::vector<Settlement>& answers) {
    std::lock_guard lock(m_mutex);
    Transaction tx(m_db);
    if (!tx.begun()) return std::unexpected(ioError(m_db, "settle"));
    // Only a pending entry changes: a late duplicate answer never flips a settled one.
    Statement update(
        m_db,
        "UPDATE outbox SET state = ?, points_earned = ?, balance = ?, settled_at = ?, last_error = ? "
        "WHERE idem_key = ? AND state = 0");
    Statement audit(
        m_db,
        "INSERT INTO refusals(idem_key, receipt_id, phone, provisional_points, code, reason, refused_at) "
        "SELECT idem_key, receipt_id, phone, provisional_points, ?, ?, ? FROM outbox WHERE idem_key = ?");
    if (!update.ok() || !audit.ok()) return std::unexpected(ioError(m_db, "settle"));
    for (const auto& answer : answers) {
        update.bind(1, std::int64_t{answer.accepted ? kConfirmed : kRefused});
        update.bind(2, answer.accepted ? answer.pointsEarned : 0);
        update.bind(3, answer.accepted ? answer.balance : 0);
        update.bind(4, answer.at);
        update.bind(5, answer.accepted ? std::string() : answer.code + ": " + answer.reason);
        update.bind(6, answer.idempotencyKey);
        if (update.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "settle"));
        const bool changed = sqlite3_changes(m_db) > 0;
        update.reset();
        if (changed && !answer.accepted) {
            audit.bind(1, answer.code);
            audit.bind(2, answer.reason);
            audit.bind(3, answer.at);
            audit.bind(4, answer.idempotencyKey);
            if (audit.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "record refusal"));
            audit.reset();
        }
    }
    return tx.commit();
}

StoreResult<void> LocalStore::noteAttempt(const std::vector<std::string>& keys, const std::string& error) {
    std::lock_guard lock(m_mutex);
    Transaction tx(m_db);
    if (!tx.begun()) return std::unexpected(ioError(m_db, "note attempt"));
    Statement update(
        m_db, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE idem_key = ? AND state = 0");
    if (!update.ok()) return std::unexpected(ioError(m_db, "note attempt"));
    for (const auto& key : keys) {
        update.bind(1, error);
        update.bind(2, key);
        if (update.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "note attempt"));
        update.reset();
    }
    return tx.commit();
}

StoreResult<std::size_t> LocalStore::pruneSettled(loyalty::UnixSeconds settledBefore, std::size_t max) {
    std::lock_guard lock(m_mutex);
    Transaction tx(m_db);
    if (!tx.begun()) return std::unexpected(ioError(m_db, "prune"));
    // Refusals first: an acknowledged one no longer holds its outbox entry (the foreign key).
    Statement refusals(m_db,
                       "DELETE FROM refusals WHERE id IN (SELECT id FROM refusals WHERE acknowledged = 1 "
                       "AND refused_at < ? ORDER BY id LIMIT ?)");
    Statement entries(m_db,
                      "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state IN (1, 2) "
                      "AND settled_at < ? AND NOT EXISTS (SELECT 1 FROM refusals r WHERE r.idem_key = "
                      "outbox.idem_key) ORDER BY seq LIMIT ?)");
    if (!refusals.ok() || !entries.ok()) return std::unexpected(ioError(m_db, "prune"));
    std::size_t removed = 0;
    for (Statement* statement : {&refusals, &entries}) {
        statement->bind(1, settledBefore);
        statement->bind(2, static_cast<std::int64_t>(max));
        if (statement->step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "prune"));
        removed += static_cast<std::size_t>(sqlite3_changes(m_db));
    }
    if (auto committed = tx.commit(); !committed) return std::unexpected(committed.error());
    return removed;
}

StoreResult<OutboxEntry> LocalStore::entry(const std::string& idempotencyKey) {
    std::lock_guard lock(m_mutex);
    const auto sql = std::string("SELECT ") + kEntryColumns + " FROM outbox WHERE idem_key = ?";
    Statement select(m_db, sql.c_str());
    if (!select.ok()) return std::unexpected(ioError(m_db, "entry"));
    select.bind(1, idempotencyKey);
    const int rc = select.step();
    if (rc == SQLITE_DONE)
        return std::unexpected(StoreError{StoreError::Kind::NotFound, "no outbox entry " + idempotencyKey});
    if (rc != SQLITE_ROW) return std::unexpected(ioError(m_db, "entry"));
    return readEntry(select);
}

StoreResult<std::int64_t> LocalStore::outboxDepth() {
    std::lock_guard lock(m_mutex);
    Statement count(m_db, "SELECT count(*) FROM outbox WHERE state = 0");
    if (!count.ok() || count.step() != SQLITE_ROW) return std::unexpected(ioError(m_db, "outbox depth"));
    return count.integer(0);
}

StoreResult<std::int64_t> LocalStore::pendingPoints(const std::string& phone) {
    std::lock_guard lock(m_mutex);
    Statement sum(m_db,
                  "SELECT coalesce(sum(provisional_points), 0) FROM outbox WHERE phone = ? AND state = 0");
    if (!sum.ok()) return std::unexpected(ioError(m_db, "pending points"));
    sum.bind(1, phone);
    if (sum.step() != SQLITE_ROW) return std::unexpected(ioError(m_db, "pending points"));
    return sum.integer(0);
}

StoreResult<std::vector<Refusal>> LocalStore::refusals(bool all, std::size_t limit) {
    std::lock_guard lock(m_mutex);
    Statement select(
        m_db,
        "SELECT id, receipt_id, phone, provisional_points, code, reason, refused_at, acknowledged "
        "FROM refusals WHERE ? OR acknowledged = 0 ORDER BY id DESC LIMIT ?");
    if (!select.ok()) return std::unexpected(ioError(m_db, "refusals"));
    select.bind(1, std::int64_t{all});
    select.bind(2, static_cast<std::int64_t>(limit));
    std::vector<Refusal> rows;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW)
        rows.push_back(Refusal{select.integer(0), select.text(1), select.text(2), select.integer(3),
                               select.text(4), select.text(5), select.integer(6), select.integer(7) != 0});
    if (rc != SQLITE_DONE) return std::unexpected(ioError(m_db, "refusals"));
    return rows;
}

StoreResult<void> LocalStore::acknowledgeRefusal(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    Statement update(m_db, "UPDATE refusals SET acknowledged = 1 WHERE id = ?");
    if (!update.ok()) return std::unexpected(ioError(m_db, "acknowledge refusal"));
    update.bind(1, id);
    if (update.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "acknowledge refusal"));
    if (sqlite3_changes(m_db) == 0)
        return std::unexpected(StoreError{StoreError::Kind::NotFound, "no refusal " + std::to_string(id)});
    return {};
}

StoreResult<void> LocalStore::saveConfig(const CachedConfig& config) {
    std::lock_guard lock(m_mutex);
    Statement upsert(
        m_db,
        "INSERT INTO config(id, etag, body, fetched_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at");
    if (!upsert.ok()) return std::unexpected(ioError(m_db, "save config"));
    upsert.bind(1, config.etag);
    upsert.bind(2, config.body);
    upsert.bind(3, config.fetchedAt);
    if (upsert.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "save config"));
    return {};
}

StoreResult<std::optional<CachedConfig>> LocalStore::loadConfig() {
    std::lock_guard lock(m_mutex);
    Statement select(m_db, "SELECT etag, body, fetched_at FROM config WHERE id = 1");
    if (!select.ok()) return std::unexpected(ioError(m_db, "load config"));
    const int rc = select.step();
    if (rc == SQLITE_DONE) return std::optional<CachedConfig>();
    if (rc != SQLITE_ROW) return std::unexpected(ioError(m_db, "load config"));
    return std::optional<CachedConfig>(CachedConfig{select.text(0), select.text(1), select.integer(2)});
}

StoreResult<void> LocalStore::saveClockOffset(std::int64_t seconds) {
    std::lock_guard lock(m_mutex);
    Statement upsert(m_db,
                     "INSERT INTO meta(key, value) VALUES ('clock_offset', ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!upsert.ok()) return std::unexpected(ioError(m_db, "save clock offset"));
    upsert.bind(1, seconds);
    if (upsert.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "save clock offset"));
    return {};
}

StoreResult<std::int64_t> LocalStore::loadClockOffset() {
    std::lock_guard lock(m_mutex);
    Statement select(m_db, "SELECT value FROM meta WHERE key = 'clock_offset'");
    if (!select.ok()) return std::unexpected(ioError(m_db, "load clock offset"));
    const int rc = select.step();
    if (rc == SQLITE_DONE) return std::int64_t{0};
    if (rc != SQLITE_ROW) return std::unexpected(ioError(m_db, "load clock offset"));
    return select.integer(0);
}

StoreResult<void> LocalStore::saveVoucher(const IssuedVoucher& voucher) {
    if (voucher.code.empty() || voucher.qrPayload.empty())
        return std::unexpected(
            StoreError{StoreError::Kind::Invalid, "a voucher needs its code and QR payload"});
    std::lock_guard lock(m_mutex);
    // Central answers a retried redemption with the same voucher: the first copy (and its printed
    // flag) stays.
    Statement insert(m_db,
                     "INSERT INTO vouchers(code, qr_payload, title_vi, title_en, value_dong, issued_at, "
                     "expires_at, terms_vi, terms_en, printed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT(code) DO NOTHING");
    if (!insert.ok()) return std::unexpected(ioError(m_db, "save voucher"));
    insert.bind(1, voucher.code);
    insert.bind(2, voucher.qrPayload);
    insert.bind(3, voucher.titleVi);
    insert.bind(4, voucher.titleEn);
    insert.bind(5, voucher.valueDong);
    insert.bind(6, voucher.issuedAt);
    insert.bind(7, voucher.expiresAt);
    insert.bind(8, voucher.termsVi);
    insert.bind(9, voucher.termsEn);
    insert.bind(10, std::int64_t{voucher.printed});
    if (insert.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "save voucher"));
    return {};
}

StoreResult<void> LocalStore::markVoucherPrinted(const std::string& code) {
    std::lock_guard lock(m_mutex);
    Statement update(m_db, "UPDATE vouchers SET printed = 1 WHERE code = ?");
    if (!update.ok()) return std::unexpected(ioError(m_db, "mark voucher printed"));
    update.bind(1, code);
    if (update.step() != SQLITE_DONE) return std::unexpected(ioError(m_db, "mark voucher printed"));
    if (sqlite3_changes(m_db) == 0)
        return std::unexpected(StoreError{StoreError::Kind::NotFound, "no voucher " + code});
    return {};
}

StoreResult<std::vector<IssuedVoucher>> LocalStore::vouchers(std::size_t limit) {
    std::lock_guard lock(m_mutex);
    Statement select(m_db,
                     "SELECT code, qr_payload, title_vi, title_en, value_dong, issued_at, expires_at, "
                     "terms_vi, terms_en, printed FROM vouchers ORDER BY printed, id DESC LIMIT ?");
    if (!select.ok()) return std::unexpected(ioError(m_db, "vouchers"));
    select.bind(1, static_cast<std::int64_t>(limit));
    std::vector<IssuedVoucher> rows;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW)
        rows.push_back(IssuedVoucher{select.text(0), select.text(1), select.text(2), select.text(3),
                                     select.integer(4), select.integer(5), select.integer(6), select.text(7),
                                     select.text(8), select.integer(9) != 0});
    if (rc != SQLITE_DONE) return std::unexpected(ioError(m_db, "vouchers"));
    return rows;
}

}  // namespace kiosk::sync
