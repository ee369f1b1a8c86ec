#include "store/voucher_store.hpp"

namespace central {

DbResult<std::optional<VoucherStore::Issued>> VoucherStore::findByKey(const std::string& idempotencyKey) {
    auto rows = m_c.query(
        "SELECT v.result, v.reward_id, m.phone, v.kiosk_id FROM vouchers v JOIN members m ON "
        "m.member_id = v.member_id WHERE v.idempotency_key = $1",
        {idempotencyKey});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Issued>{};
    const auto& row = rows->front();
    return std::optional<Issued>(Issued{row.text(0), row.text(1), row.text(2), row.text(3)});
}

DbResult<std::uint32_t> VoucherStore::countOf(std::int64_t memberId, const std::string& rewardId) {
    auto rows = m_c.query("SELECT COUNT(*) FROM vouchers WHERE member_id = $1 AND reward_id = $2",
                          {memberId, rewardId});
    if (!rows) return std::unexpected(rows.error());
    return static_cast<std::uint32_t>(rows->front().integer(0));
}

DbResult<bool> VoucherStore::insert(const New& v) {
    auto rows = m_c.query(
        "INSERT INTO vouchers (code, idempotency_key, reward_id, member_id, kiosk_id, value_dong, "
        "points_spent, issued_at, expires_at, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT DO NOTHING RETURNING code",
        {v.code, v.idempotencyKey, v.rewardId, v.memberId, v.kioskId, v.valueDong, v.pointsSpent, v.issuedAt,
         v.expiresAt, v.result});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<std::optional<VoucherStore::Consumed>> VoucherStore::consume(const std::string& code,
                                                                      loyalty::UnixSeconds now,
                                                                      const std::string& store,
                                                                      const std::string& reference) {
    auto rows = m_c.query(
        "UPDATE vouchers SET consumed_at = $1, consumed_store = $2, consumed_reference = $3 "
        "WHERE code = $4 AND consumed_at IS NULL AND expires_at > $1 RETURNING value_dong, reward_id",
        {now, store, reference, code});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Consumed>{};
    return std::optional<Consumed>(Consumed{rows->front().integer(0), rows->front().text(1)});
}

DbResult<std::optional<VoucherStore::State>> VoucherStore::stateOf(const std::string& code) {
    auto rows = m_c.query("SELECT consumed_at, expires_at FROM vouchers WHERE code = $1", {code});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<State>{};
    return std::optional<State>(State{rows->front().optionalInteger(0), rows->front().integer(1)});
}

DbResult<bool> VoucherStore::storeExists(const std::string& storeId) {
    auto rows = m_c.query("SELECT 1 FROM stores WHERE store_id = $1", {storeId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<std::optional<std::optional<std::int64_t>>> VoucherStore::stockOf(const std::string& rewardId) {
    auto rows = m_c.query("SELECT stock FROM rewards WHERE reward_id = $1", {rewardId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::optional<std::int64_t>>{};
    return std::optional<std::optional<std::int64_t>>(rows->front().optionalInteger(0));
}

DbResult<bool> VoucherStore::takeFromStock(const std::string& rewardId) {
    auto rows =
        m_c.query("UPDATE rewards SET stock = stock - 1 WHERE reward_id = $1 AND stock > 0 RETURNING stock",
                  {rewardId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

}  // namespace central
