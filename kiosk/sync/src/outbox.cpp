#include "kiosk/sync/outbox.hpp"

#include "kiosk/sync/refusal_audit.hpp"
#include "network/idempotency_key.hpp"
#include "sqlite.hpp"

namespace kiosk::sync {
namespace {

using sqlite::ioError;
using sqlite::Statement;
using sqlite::Transaction;

constexpr int kConfirmed = 1;
constexpr int kRefused = 2;

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

StoreResult<std::string> Outbox::enqueue(const NewClaim& claim) {
    if (claim.receiptId.empty() || claim.token.empty() || claim.phone.empty())
        return std::unexpected(
            StoreError{StoreError::Kind::Invalid, "a claim needs a receipt id, a token and a phone"});
    const auto db = m_database.lock();
    Statement insert(
        db.get(),
        "INSERT INTO outbox(idem_key, receipt_id, token, phone, consent_join, consent_marketing, "
        "consent_version, accepted_at, provisional_points) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return std::unexpected(ioError(db.get(), "enqueue"));
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
    if (rc != SQLITE_DONE) return std::unexpected(ioError(db.get(), "enqueue"));
    return key;
}

StoreResult<std::vector<OutboxEntry>> Outbox::pendingBatch(std::size_t max) {
    const auto db = m_database.lock();
    const auto sql =
        std::string("SELECT ") + kEntryColumns + " FROM outbox WHERE state = 0 ORDER BY seq LIMIT ?";
    Statement select(db.get(), sql.c_str());
    if (!select.ok()) return std::unexpected(ioError(db.get(), "pending batch"));
    select.bind(1, static_cast<std::int64_t>(max));
    std::vector<OutboxEntry> entries;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW) entries.push_back(readEntry(select));
    if (rc != SQLITE_DONE) return std::unexpected(ioError(db.get(), "pending batch"));
    return entries;
}

StoreResult<void> Outbox::settle(const std::vector<Settlement>& answers) {
    const auto db = m_database.lock();
    Transaction tx(db.get());
    if (!tx.begun()) return std::unexpected(ioError(db.get(), "settle"));
    // Only a pending entry changes: a late duplicate answer never flips a settled one.
    Statement update(
        db.get(),
        "UPDATE outbox SET state = ?, points_earned = ?, balance = ?, settled_at = ?, last_error = ? "
        "WHERE idem_key = ? AND state = 0");
    if (!update.ok()) return std::unexpected(ioError(db.get(), "settle"));
    for (const auto& answer : answers) {
        update.bind(1, std::int64_t{answer.accepted ? kConfirmed : kRefused});
        update.bind(2, answer.accepted ? answer.pointsEarned : 0);
        update.bind(3, answer.accepted ? answer.balance : 0);
        update.bind(4, answer.at);
        update.bind(5, answer.accepted ? std::string() : answer.code + ": " + answer.reason);
        update.bind(6, answer.idempotencyKey);
        if (update.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "settle"));
        const bool changed = sqlite3_changes(db.get()) > 0;
        update.reset();
        if (changed && !answer.accepted) {
            auto audited =
                RefusalAudit::record(db, answer.idempotencyKey, answer.code, answer.reason, answer.at);
            if (!audited) return audited;
        }
    }
    return tx.commit();
}

StoreResult<void> Outbox::noteAttempt(const std::vector<std::string>& keys, const std::string& error) {
    const auto db = m_database.lock();
    Transaction tx(db.get());
    if (!tx.begun()) return std::unexpected(ioError(db.get(), "note attempt"));
    Statement update(
        db.get(),
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE idem_key = ? AND state = 0");
    if (!update.ok()) return std::unexpected(ioError(db.get(), "note attempt"));
    for (const auto& key : keys) {
        update.bind(1, error);
        update.bind(2, key);
        if (update.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "note attempt"));
        update.reset();
    }
    return tx.commit();
}

StoreResult<std::size_t> Outbox::pruneSettled(loyalty::UnixSeconds settledBefore, std::size_t max) {
    const auto db = m_database.lock();
    Transaction tx(db.get());
    if (!tx.begun()) return std::unexpected(ioError(db.get(), "prune"));
    // Refusals first: an acknowledged one no longer holds its outbox entry (the foreign key).
    auto removed = RefusalAudit::pruneAcknowledged(db, settledBefore, max);
    if (!removed) return removed;
    Statement entries(db.get(),
                      "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE state IN (1, 2) "
                      "AND settled_at < ? AND NOT EXISTS (SELECT 1 FROM refusals r WHERE r.idem_key = "
                      "outbox.idem_key) ORDER BY seq LIMIT ?)");
    if (!entries.ok()) return std::unexpected(ioError(db.get(), "prune"));
    entries.bind(1, settledBefore);
    entries.bind(2, static_cast<std::int64_t>(max));
    if (entries.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "prune"));
    *removed += static_cast<std::size_t>(sqlite3_changes(db.get()));
    if (auto committed = tx.commit(); !committed) return std::unexpected(committed.error());
    return removed;
}

StoreResult<OutboxEntry> Outbox::entry(const std::string& idempotencyKey) {
    const auto db = m_database.lock();
    const auto sql = std::string("SELECT ") + kEntryColumns + " FROM outbox WHERE idem_key = ?";
    Statement select(db.get(), sql.c_str());
    if (!select.ok()) return std::unexpected(ioError(db.get(), "entry"));
    select.bind(1, idempotencyKey);
    const int rc = select.step();
    if (rc == SQLITE_DONE)
        return std::unexpected(StoreError{StoreError::Kind::NotFound, "no outbox entry " + idempotencyKey});
    if (rc != SQLITE_ROW) return std::unexpected(ioError(db.get(), "entry"));
    return readEntry(select);
}

StoreResult<std::int64_t> Outbox::outboxDepth() {
    const auto db = m_database.lock();
    Statement count(db.get(), "SELECT count(*) FROM outbox WHERE state = 0");
    if (!count.ok() || count.step() != SQLITE_ROW) return std::unexpected(ioError(db.get(), "outbox depth"));
    return count.integer(0);
}

StoreResult<std::int64_t> Outbox::pendingPoints(const std::string& phone) {
    const auto db = m_database.lock();
    Statement sum(db.get(),
                  "SELECT coalesce(sum(provisional_points), 0) FROM outbox WHERE phone = ? AND state = 0");
    if (!sum.ok()) return std::unexpected(ioError(db.get(), "pending points"));
    sum.bind(1, phone);
    if (sum.step() != SQLITE_ROW) return std::unexpected(ioError(db.get(), "pending points"));
    return sum.integer(0);
}

}  // namespace kiosk::sync
