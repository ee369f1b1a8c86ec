#include "store/ledger_store.hpp"

namespace central {

DbResult<std::vector<loyalty::LedgerEntry>> loadQualifyingEntries(Connection& c, std::int64_t memberId,
                                                                  loyalty::UnixSeconds since) {
    auto rows = c.query(
        "SELECT kind, points, at, reference FROM ledger WHERE member_id = $1 AND at > $2 AND kind IN "
        "('earn', 'game_prize', 'return')",
        {memberId, since});
    if (!rows) return std::unexpected(rows.error());
    std::vector<loyalty::LedgerEntry> entries;
    entries.reserve(rows->size());
    for (const auto& row : *rows) {
        loyalty::LedgerEntry e;
        e.kind = loyalty::entryKindFromCode(row.text(0)).value_or(loyalty::EntryKind::Earn);
        e.points = row.integer(1);
        e.at = row.integer(2);
        e.reference = row.text(3);
        entries.push_back(std::move(e));
    }
    return entries;
}

DbResult<std::vector<RecentEntry>> recentEntries(Connection& c, std::int64_t memberId, std::int64_t limit) {
    auto rows = c.query(
        "SELECT at, kind, points, reference FROM ledger WHERE member_id = $1 ORDER BY at DESC, entry_id DESC "
        "LIMIT $2",
        {memberId, limit});
    if (!rows) return std::unexpected(rows.error());
    std::vector<RecentEntry> entries;
    entries.reserve(rows->size());
    for (const auto& row : *rows)
        entries.push_back({row.integer(0), row.text(1), row.integer(2), row.text(3)});
    return entries;
}

DbResult<loyalty::Points> expireDuePoints(Connection& c, std::int64_t memberId, unsigned expiryMonths,
                                          loyalty::UnixSeconds now, bool apply) {
    if (expiryMonths == 0) return loyalty::Points{0};
    auto rows = c.query(
        "SELECT kind, points, at, idempotency_key, reference FROM ledger WHERE member_id = $1 "
        "ORDER BY entry_id",
        {memberId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<loyalty::LedgerEntry> entries;
    entries.reserve(rows->size());
    for (const auto& row : *rows) {
        auto kind = loyalty::entryKindFromCode(row.text(0));
        if (!kind) continue;
        entries.push_back(
            loyalty::LedgerEntry{row.text(3), *kind, row.integer(1), row.integer(2), row.text(4), false});
    }
    loyalty::Points expired = 0;
    for (const auto& due : loyalty::dueExpiries(entries, expiryMonths, now)) {
        if (apply) {
            auto added = c.query(
                "INSERT INTO ledger (member_id, kind, points, at, idempotency_key, reference) "
                "VALUES ($1, 'expiry', $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING entry_id",
                {memberId, due.points, due.at, due.idempotencyKey, due.reference});
            if (!added) return std::unexpected(added.error());
            if (added->empty()) continue;  // applied by a concurrent transaction
            auto lowered = c.query("UPDATE members SET balance = balance + $1 WHERE member_id = $2",
                                   {due.points, memberId});
            if (!lowered) return std::unexpected(lowered.error());
        }
        expired -= due.points;
    }
    return expired;
}

DbResult<void> appendEntry(Connection& c, std::int64_t memberId, const loyalty::LedgerEntry& entry,
                           const std::string& store, const std::string& kiosk, const std::string& reason) {
    if (auto valid = loyalty::validateEntry(entry); !valid)
        return std::unexpected(
            DbError{DbError::Kind::Other, "ledger entry " + entry.idempotencyKey +
                                              " refused: " + std::string(loyalty::describe(valid.error()))});
    auto added = c.query(
        "INSERT INTO ledger (member_id, kind, points, at, idempotency_key, reference, store_id, kiosk_id, "
        "reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {memberId, std::string(loyalty::entryKindCode(entry.kind)), entry.points, entry.at,
         entry.idempotencyKey, entry.reference, store, kiosk, reason});
    if (!added) return std::unexpected(added.error());
    return {};
}

}  // namespace central
