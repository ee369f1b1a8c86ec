#include "store/claim_store.hpp"

namespace central {
namespace {

constexpr const char* kStoredColumns =
    "SELECT idempotency_key, receipt_id, claimed_at, kiosk_store, kiosk_id, result FROM claims ";

ClaimStore::Stored storedOf(const Row& row) {
    return {row.text(0), row.text(1), row.integer(2), row.text(3), row.text(4), row.text(5)};
}

}  // namespace

DbResult<std::optional<ClaimStore::Stored>> ClaimStore::findByKey(const std::string& idempotencyKey) {
    auto rows = m_c.query(std::string(kStoredColumns) + "WHERE idempotency_key = $1", {idempotencyKey});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Stored>{};
    return std::optional<Stored>(storedOf(rows->front()));
}

DbResult<std::vector<ClaimStore::Stored>> ClaimStore::holding(const std::string& idempotencyKey,
                                                              const std::string& receiptId) {
    auto rows = m_c.query(std::string(kStoredColumns) + "WHERE idempotency_key = $1 OR receipt_id = $2",
                          {idempotencyKey, receiptId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<Stored> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) out.push_back(storedOf(row));
    return out;
}

DbResult<bool> ClaimStore::insert(const New& claim) {
    auto rows = m_c.query(
        "INSERT INTO claims (receipt_id, idempotency_key, store_id, receipt_number, amount_dong, issued_at, "
        "kiosk_id, kiosk_store, member_id, points, claimed_at, kiosk_time, result) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8, $9, $10, $11, $12, '{}') ON CONFLICT DO NOTHING RETURNING receipt_id",
        {claim.receiptId, claim.idempotencyKey, claim.store, claim.receiptNumber, claim.amountDong,
         claim.issuedAt, claim.kioskId, claim.kioskStore, claim.memberId, claim.points, claim.claimedAt,
         claim.kioskTime});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<void> ClaimStore::saveAnswer(const std::string& receiptId, const std::string& answer) {
    auto saved = m_c.query("UPDATE claims SET result = $1 WHERE receipt_id = $2", {answer, receiptId});
    if (!saved) return std::unexpected(saved.error());
    return {};
}

}  // namespace central
