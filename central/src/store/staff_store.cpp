#include "store/staff_store.hpp"

namespace central {

DbResult<bool> StaffStore::add(const Member& m) {
    auto rows = m_c.query(
        "INSERT INTO staff_members (staff_id, name, pin_hash, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (staff_id) DO NOTHING RETURNING staff_id",
        {m.id, m.name, m.pinHash, m.createdAt});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<std::optional<StaffStore::Member>> StaffStore::revoke(const std::string& id,
                                                               loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "UPDATE staff_members SET revoked_at = COALESCE(revoked_at, $1) WHERE staff_id = $2 "
        "RETURNING staff_id, name, pin_hash, created_at, revoked_at",
        {now, id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Member>{};
    const Row& row = rows->front();
    return std::optional<Member>(
        Member{row.text(0), row.text(1), row.text(2), row.integer(3), row.optionalInteger(4)});
}

DbResult<std::vector<StaffStore::Member>> StaffStore::list(bool activeOnly) {
    auto rows =
        m_c.query(std::string("SELECT staff_id, name, pin_hash, created_at, revoked_at FROM staff_members") +
                  (activeOnly ? " WHERE revoked_at IS NULL" : "") + " ORDER BY staff_id");
    if (!rows) return std::unexpected(rows.error());
    std::vector<Member> out;
    for (const auto& row : *rows)
        out.push_back(Member{row.text(0), row.text(1), row.text(2), row.integer(3), row.optionalInteger(4)});
    return out;
}

DbResult<bool> StaffStore::addAction(const Action& a, loyalty::UnixSeconds receivedAt) {
    auto rows = m_c.query(
        "INSERT INTO staff_actions (kiosk_id, action_key, staff_id, action, detail, at, received_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kiosk_id, action_key) DO NOTHING RETURNING "
        "action_key",
        {a.kioskId, a.key, a.staffId, a.action, a.detail, a.at, receivedAt});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

}  // namespace central
