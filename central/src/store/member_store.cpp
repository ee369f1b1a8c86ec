#include "store/member_store.hpp"

namespace central {

DbResult<std::optional<MemberStore::Found>> MemberStore::find(const std::string& phoneE164) {
    auto rows = m_c.query("SELECT member_id, balance FROM members WHERE phone = $1", {phoneE164});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Found>{};
    return std::optional<Found>(Found{rows->front().integer(0), rows->front().integer(1)});
}

DbResult<std::optional<std::int64_t>> MemberStore::join(const Joining& member) {
    auto rows = m_c.query(
        "INSERT INTO members (phone, balance, created_at, consent_join, consent_marketing, "
        "consent_text_version, "
        "consent_at, consent_kiosk) VALUES ($1, 0, $2, 1, $3, $4, $5, $6) ON CONFLICT (phone) DO NOTHING "
        "RETURNING member_id",
        {member.phoneE164, member.createdAt, std::int64_t{member.marketing ? 1 : 0},
         member.consentTextVersion, member.consentAt, member.consentKiosk});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows->front().integer(0));
}

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
