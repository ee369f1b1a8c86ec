#include "store/notif_store.hpp"

#include <map>
#include <tuple>

namespace central {
namespace {

constexpr const char* kColumns =
    "message_id, idempotency_key, member_id, phone, event, marketing, params, created_at, state, attempts, "
    "next_attempt_at, last_error, receipt_status";

NotifMessage messageOf(const Row& row) {
    return NotifMessage{row.integer(0),      row.text(1),  row.integer(2), row.text(3), row.text(4),
                        row.integer(5) != 0, row.text(6),  row.integer(7), row.text(8), row.integer(9),
                        row.integer(10),     row.text(11), row.text(12)};
}

DbResult<std::vector<NotifMessage>> messagesOf(DbResult<Rows> rows) {
    if (!rows) return std::unexpected(rows.error());
    std::vector<NotifMessage> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) out.push_back(messageOf(row));
    return out;
}

}  // namespace

DbResult<bool> NotifStore::enqueue(const NotifMessage& m, loyalty::UnixSeconds at) {
    auto rows = m_c.query(
        "INSERT INTO notif_outbox (idempotency_key, member_id, phone, event, marketing, params, created_at, "
        "state, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING message_id",
        {m.key, m.memberId, m.phone, m.event, std::int64_t{m.marketing ? 1 : 0}, m.params, m.createdAt, at});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<std::vector<NotifMessage>> NotifStore::claimDue(loyalty::UnixSeconds now,
                                                         loyalty::UnixSeconds leaseUntil, std::size_t limit) {
    // The due condition is repeated in the outer WHERE: on PostgreSQL a row another worker leased
    // between the subquery and the update is re-checked and skipped.
    return messagesOf(m_c.query(
        std::string("UPDATE notif_outbox SET next_attempt_at = $2 WHERE message_id IN (SELECT message_id "
                    "FROM notif_outbox WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY "
                    "next_attempt_at, message_id LIMIT $3) AND state = 'pending' AND next_attempt_at <= $1 "
                    "RETURNING ") +
            kColumns,
        {now, leaseUntil, static_cast<std::int64_t>(limit)}));
}

DbResult<void> NotifStore::settle(std::span<const NotifOutcome> outcomes, loyalty::UnixSeconds now) {
    using What = std::tuple<std::string, loyalty::UnixSeconds, std::string, bool>;
    std::map<What, std::vector<std::int64_t>> groups;
    for (const auto& o : outcomes)
        groups[What{o.state, o.nextAttemptAt, o.error, o.attempted}].push_back(o.id);
    for (const auto& [what, ids] : groups) {
        const auto& [state, nextAttemptAt, error, attempted] = what;
        std::vector<Param> params{state, nextAttemptAt, error, std::int64_t{attempted ? 1 : 0}, now};
        params.reserve(params.size() + ids.size());
        std::string sql =
            "UPDATE notif_outbox SET state = $1, next_attempt_at = $2, last_error = $3, attempts = attempts "
            "+ "
            "$4, sent_at = CASE WHEN $1 = 'sent' THEN $5 ELSE sent_at END WHERE message_id IN (";
        for (const auto id : ids) {
            sql += (params.size() > 5 ? ", $" : "$") + std::to_string(params.size() + 1);
            params.emplace_back(id);
        }
        sql += ")";
        if (auto rows = m_c.query(sql, params); !rows) return std::unexpected(rows.error());
    }
    return {};
}

DbResult<std::vector<NotifMessage>> NotifStore::list(const std::string& state, std::size_t limit) {
    return messagesOf(m_c.query(std::string("SELECT ") + kColumns +
                                    " FROM notif_outbox WHERE ($1 = '' OR state = $1) ORDER BY message_id "
                                    "DESC LIMIT $2",
                                {state, static_cast<std::int64_t>(limit)}));
}

DbResult<bool> NotifStore::replay(std::int64_t id, loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "UPDATE notif_outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, last_error = '' "
        "WHERE message_id = $1 AND state = 'dead' RETURNING message_id",
        {id, now});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<bool> NotifStore::recordReceipt(const std::string& key, const std::string& status,
                                         loyalty::UnixSeconds at) {
    auto known = m_c.query("SELECT 1 FROM notif_outbox WHERE idempotency_key = $1", {key});
    if (!known) return std::unexpected(known.error());
    if (known->empty()) return false;
    auto added = m_c.query(
        "INSERT INTO notif_receipts (idempotency_key, status, at) VALUES ($1, $2, $3) ON CONFLICT DO "
        "NOTHING RETURNING idempotency_key",
        {key, status, at});
    if (!added) return std::unexpected(added.error());
    if (added->empty()) return false;
    auto updated =
        m_c.query("UPDATE notif_outbox SET receipt_status = $2 WHERE idempotency_key = $1", {key, status});
    if (!updated) return std::unexpected(updated.error());
    return true;
}

DbResult<std::int64_t> NotifStore::marketingSentSince(std::int64_t memberId, loyalty::UnixSeconds since) {
    auto rows = m_c.query(
        "SELECT COUNT(*) FROM notif_outbox WHERE member_id = $1 AND marketing = 1 AND state = 'sent' AND "
        "sent_at >= $2",
        {memberId, since});
    if (!rows) return std::unexpected(rows.error());
    return rows->empty() ? 0 : rows->front().integer(0);
}

DbResult<bool> NotifStore::marketingConsent(std::int64_t memberId) {
    auto rows = m_c.query("SELECT consent_marketing FROM members WHERE member_id = $1", {memberId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty() && rows->front().integer(0) != 0;
}

DbResult<std::optional<NotifStore::Consent>> NotifStore::withdrawMarketing(const std::string& phone,
                                                                           loyalty::UnixSeconds at,
                                                                           const std::string& source) {
    auto rows = m_c.query(
        "UPDATE members SET consent_marketing = 0, consent_at = $2, consent_source = $3 WHERE phone = $1 AND "
        "consent_marketing <> 0",
        {phone, at, source});
    if (!rows) return std::unexpected(rows.error());
    return consentOf(phone);
}

DbResult<std::optional<NotifStore::Consent>> NotifStore::consentOf(const std::string& phone) {
    auto rows = m_c.query(
        "SELECT consent_marketing, consent_at, consent_source, consent_kiosk FROM members WHERE phone = $1",
        {phone});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::nullopt;
    const auto& row = rows->front();
    return Consent{row.integer(0) != 0, row.integer(1),
                   row.text(2).empty() ? "kiosk:" + row.text(3) : row.text(2)};
}

DbResult<std::vector<loyalty::LedgerEntry>> NotifStore::entriesOf(std::int64_t memberId) {
    auto rows = m_c.query(
        "SELECT kind, points, at, idempotency_key, reference FROM ledger WHERE member_id = $1 ORDER BY "
        "entry_id",
        {memberId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<loyalty::LedgerEntry> entries;
    entries.reserve(rows->size());
    for (const auto& row : *rows)
        if (auto kind = loyalty::entryKindFromCode(row.text(0)))
            entries.push_back({row.text(3), *kind, row.integer(1), row.integer(2), row.text(4), false});
    return entries;
}

DbResult<std::vector<NotifStore::Recipient>> NotifStore::membersToRemind(std::int64_t afterId,
                                                                         loyalty::UnixSeconds earnedSince,
                                                                         std::size_t limit) {
    auto rows = m_c.query(
        "SELECT m.member_id, m.phone FROM members m WHERE m.member_id > $1 AND (m.balance > 0 OR EXISTS "
        "(SELECT 1 FROM ledger l WHERE l.member_id = m.member_id AND l.points > 0 AND l.at > $2)) ORDER BY "
        "m.member_id LIMIT $3",
        {afterId, earnedSince, static_cast<std::int64_t>(limit)});
    if (!rows) return std::unexpected(rows.error());
    std::vector<Recipient> out;
    for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1)});
    return out;
}

DbResult<std::vector<NotifStore::Recipient>> NotifStore::marketingMembers() {
    auto rows =
        m_c.query("SELECT member_id, phone FROM members WHERE consent_marketing = 1 ORDER BY member_id");
    if (!rows) return std::unexpected(rows.error());
    std::vector<Recipient> out;
    for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1)});
    return out;
}

DbResult<std::vector<NotifStore::ExpiringVoucher>> NotifStore::vouchersExpiring(loyalty::UnixSeconds from,
                                                                                loyalty::UnixSeconds to) {
    auto rows = m_c.query(
        "SELECT v.member_id, m.phone, v.code, v.reward_id, v.value_dong, v.expires_at FROM vouchers v JOIN "
        "members m ON m.member_id = v.member_id WHERE v.consumed_at IS NULL AND v.expires_at > $1 AND "
        "v.expires_at <= $2 ORDER BY v.expires_at",
        {from, to});
    if (!rows) return std::unexpected(rows.error());
    std::vector<ExpiringVoucher> out;
    for (const auto& row : *rows)
        out.push_back(
            {{row.integer(0), row.text(1)}, row.text(2), row.text(3), row.integer(4), row.integer(5)});
    return out;
}

}  // namespace central
