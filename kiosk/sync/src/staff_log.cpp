#include "kiosk/sync/staff_log.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::ioError;
using sqlite::Statement;

StoreResult<void> StaffLog::recordStaffAction(const StaffAction& a) {
    if (a.key.empty() || a.staffId.empty() || a.action.empty())
        return std::unexpected(
            StoreError{StoreError::Kind::Invalid, "a staff action needs key, staff and action"});
    const auto db = m_database.lock();
    Statement insert(db.get(),
                     "INSERT INTO staff_actions(key, staff_id, action, detail, at) VALUES (?, ?, ?, ?, ?) "
                     "ON CONFLICT(key) DO NOTHING");
    if (!insert.ok()) return std::unexpected(ioError(db.get(), "record staff action"));
    insert.bind(1, a.key);
    insert.bind(2, a.staffId);
    insert.bind(3, a.action);
    insert.bind(4, a.detail);
    insert.bind(5, a.at);
    if (insert.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "record staff action"));
    return {};
}

StoreResult<std::vector<StaffAction>> StaffLog::unsentStaffActions(std::size_t limit) {
    const auto db = m_database.lock();
    Statement select(db.get(),
                     "SELECT seq, key, staff_id, action, detail, at FROM staff_actions ORDER BY seq LIMIT ?");
    if (!select.ok()) return std::unexpected(ioError(db.get(), "staff actions"));
    select.bind(1, static_cast<std::int64_t>(limit));
    std::vector<StaffAction> rows;
    int rc;
    while ((rc = select.step()) == SQLITE_ROW)
        rows.push_back(StaffAction{select.integer(0), select.text(1), select.text(2), select.text(3),
                                   select.text(4), select.integer(5)});
    if (rc != SQLITE_DONE) return std::unexpected(ioError(db.get(), "staff actions"));
    return rows;
}

StoreResult<void> StaffLog::staffActionsSent(const std::vector<std::int64_t>& seqs) {
    const auto db = m_database.lock();
    sqlite::Transaction tx(db.get());
    if (!tx.begun()) return std::unexpected(ioError(db.get(), "staff actions sent"));
    Statement remove(db.get(), "DELETE FROM staff_actions WHERE seq = ?");
    if (!remove.ok()) return std::unexpected(ioError(db.get(), "staff actions sent"));
    for (const auto seq : seqs) {
        remove.reset();
        remove.bind(1, seq);
        if (remove.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "staff actions sent"));
    }
    return tx.commit();
}

StoreResult<std::int64_t> StaffLog::unsentStaffActionCount() {
    const auto db = m_database.lock();
    Statement count(db.get(), "SELECT COUNT(*) FROM staff_actions");
    if (!count.ok() || count.step() != SQLITE_ROW) return std::unexpected(ioError(db.get(), "staff actions"));
    return count.integer(0);
}

StoreResult<void> StaffLog::saveServiceState(const ServiceState& s) {
    const auto db = m_database.lock();
    Statement upsert(
        db.get(),
        "INSERT INTO service_state(id, out_of_service, message_vi, message_en, set_by) "
        "VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET out_of_service = excluded.out_of_service, "
        "message_vi = excluded.message_vi, message_en = excluded.message_en, set_by = excluded.set_by");
    if (!upsert.ok()) return std::unexpected(ioError(db.get(), "save service state"));
    upsert.bind(1, std::int64_t{s.outOfService});
    upsert.bind(2, s.message.vi);
    upsert.bind(3, s.message.en);
    upsert.bind(4, s.by);
    if (upsert.step() != SQLITE_DONE) return std::unexpected(ioError(db.get(), "save service state"));
    return {};
}

StoreResult<ServiceState> StaffLog::loadServiceState() {
    const auto db = m_database.lock();
    Statement select(db.get(),
                     "SELECT out_of_service, message_vi, message_en, set_by FROM service_state WHERE id = 1");
    if (!select.ok()) return std::unexpected(ioError(db.get(), "load service state"));
    const int rc = select.step();
    if (rc == SQLITE_DONE) return ServiceState{};
    if (rc != SQLITE_ROW) return std::unexpected(ioError(db.get(), "load service state"));
    return ServiceState{select.integer(0) != 0, {select.text(1), select.text(2)}, select.text(3)};
}

}  // namespace kiosk::sync
