#include "store/member_store.hpp"

namespace central {

DbResult<std::optional<MemberStore::Locked>> MemberStore::lock(const std::string& phoneE164) {
    auto rows = m_c.query(
        "UPDATE members SET balance = balance WHERE phone = $1 RETURNING member_id, balance", {phoneE164});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Locked>{};
    return std::optional<Locked>(Locked{rows->front().integer(0), rows->front().integer(1)});
}

DbResult<std::optional<loyalty::Points>> MemberStore::spend(std::int64_t memberId, loyalty::Points cost) {
    auto rows = m_c.query(
        "UPDATE members SET balance = balance - $1 WHERE member_id = $2 AND balance >= $1 RETURNING balance",
        {cost, memberId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<loyalty::Points>{};
    return std::optional<loyalty::Points>(rows->front().integer(0));
}

DbResult<loyalty::Points> MemberStore::credit(std::int64_t memberId, loyalty::Points points) {
    auto rows = m_c.query("UPDATE members SET balance = balance + $1 WHERE member_id = $2 RETURNING balance",
                          {points, memberId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::unexpected(DbError{DbError::Kind::Other, "no such member"});
    return rows->front().integer(0);
}

}  // namespace central
