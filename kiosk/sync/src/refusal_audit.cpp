#include "kiosk/sync/refusal_audit.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::ioError;
using sqlite::Statement;

StoreResult<std::vector<Refusal>> RefusalAudit::refusals(bool all, std::size_t limit) {
    const auto db = m_database.lock();
    Statement select(
        db.get(),
        "SELECT id, receipt_id, phone, provisional_points, code, reason, refused_at, acknowledged "
        "FROM refusals WHERE ? OR acknowledged = 0 ORDER BY id DESC LIMIT ?");
    if (!select.ok()) return std::unexpected(ioError(db.get(), "refusals"));
    select.bind(1, std::int64_t{all});
    select.bind(2, static_cast<std::int64_t>(limit));
    std::vector<Refusal> rows;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW)
        rows.push_back(Refusal{select.integer(0), select.text(1), select.text(2), select.integer(3),
                               select.text(4), select.text(5), select.integer(6), select.integer(7) != 0});
    if (rc != SQLITE_DONE) return std::unexpected(ioError(db.get(), "refusals"));
    return rows;
}

StoreResult<void> RefusalAudit::acknowledgeRefusal(std::int64_t id) {
    const auto db = m_database.lock();
    Statement update(db.get(), "UPDATE refusals SET acknowledged = 1 WHERE id = ?");
    if (!update.ok()) return std::unexpected(ioError(db.get(), "acknowledge refusal"));
    update.bind(1, id);
    if (update.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "acknowledge refusal"));
    if (sqlite3_changes(db.get()) == 0)
        return std::unexpected(StoreError{StoreError::Kind::NotFound, "no refusal " + std::to_string(id)});
    return {};
}

StoreResult<void> RefusalAudit::record(const Connection& connection, const std::string& idempotencyKey,
                                       const std::string& code, const std::string& reason,
                                       loyalty::UnixSeconds at) {
    Statement audit(
        connection.get(),
        "INSERT INTO refusals(idem_key, receipt_id, phone, provisional_points, code, reason, refused_at) "
        "SELECT idem_key, receipt_id, phone, provisional_points, ?, ?, ? FROM outbox WHERE idem_key = ?");
    if (!audit.ok()) return std::unexpected(ioError(connection.get(), "record refusal"));
    audit.bind(1, code);
    audit.bind(2, reason);
    audit.bind(3, at);
    audit.bind(4, idempotencyKey);
    if (audit.step() != SQLITE_DONE) return std::unexpected(ioError(connection.get(), "record refusal"));
    return {};
}

StoreResult<std::size_t> RefusalAudit::pruneAcknowledged(const Connection& connection,
                                                         loyalty::UnixSeconds before, std::size_t max) {
    Statement prune(connection.get(),
                    "DELETE FROM refusals WHERE id IN (SELECT id FROM refusals WHERE acknowledged = 1 "
                    "AND refused_at < ? ORDER BY id LIMIT ?)");
    if (!prune.ok()) return std::unexpected(ioError(connection.get(), "prune"));
    prune.bind(1, before);
    prune.bind(2, static_cast<std::int64_t>(max));
    if (prune.step() != SQLITE_DONE) return std::unexpected(ioError(connection.get(), "prune"));
    return static_cast<std::size_t>(sqlite3_changes(connection.get()));
}

}  // namespace kiosk::sync
