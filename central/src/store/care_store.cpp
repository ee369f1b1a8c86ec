#include "store/care_store.hpp"

#include <array>

namespace central {
namespace {

using K = DataKind;
constexpr std::array kLedger{DataColumn{"at", K::Integer},      DataColumn{"kind", K::Text},
                             DataColumn{"points", K::Integer},  DataColumn{"reference", K::Text},
                             DataColumn{"voucher", K::Voucher}, DataColumn{"store", K::Text},
                             DataColumn{"kiosk", K::Text},      DataColumn{"reason", K::Text}};
constexpr std::array kClaims{DataColumn{"receipt_id", K::Text},     DataColumn{"store", K::Text},
                             DataColumn{"amount_dong", K::Integer}, DataColumn{"issued_at", K::Integer},
                             DataColumn{"kiosk", K::Text},          DataColumn{"points", K::Integer},
                             DataColumn{"claimed_at", K::Integer}};
constexpr std::array kReturns{DataColumn{"receipt_id", K::Text}, DataColumn{"amount_dong", K::Integer},
                              DataColumn{"points", K::Integer}, DataColumn{"at", K::Integer},
                              DataColumn{"reason", K::Text}};
constexpr std::array kVouchers{DataColumn{"code", K::Voucher},        DataColumn{"reward_id", K::Text},
                               DataColumn{"value_dong", K::Integer},  DataColumn{"points_spent", K::Integer},
                               DataColumn{"issued_at", K::Integer},   DataColumn{"expires_at", K::Integer},
                               DataColumn{"consumed_at", K::Integer}, DataColumn{"consumed_store", K::Text}};
constexpr std::array kDraws{DataColumn{"game_id", K::Text},         DataColumn{"store", K::Text},
                            DataColumn{"prize_id", K::Text},        DataColumn{"prize_name_vi", K::Text},
                            DataColumn{"points", K::Integer},       DataColumn{"value_dong", K::Integer},
                            DataColumn{"voucher_code", K::Voucher}, DataColumn{"drawn_at", K::Integer}};
constexpr std::array kMessages{DataColumn{"event", K::Text}, DataColumn{"marketing", K::Integer},
                               DataColumn{"created_at", K::Integer}, DataColumn{"state", K::Text},
                               DataColumn{"sent_at", K::Integer}};

struct Query {
    std::string_view name;
    std::string_view sql;  ///< $1 = member_id
    std::span<const DataColumn> columns;
};
// A redeem entry's reference is its voucher code: it goes in the "voucher" column, to be masked.
const std::array kQueries{
    Query{"ledger",
          "SELECT at, kind, points, CASE WHEN kind = 'redeem' THEN '' ELSE reference END, CASE WHEN kind = "
          "'redeem' THEN reference ELSE '' END, store_id, kiosk_id, reason FROM ledger WHERE member_id = $1 "
          "ORDER BY entry_id",
          kLedger},
    Query{
        "claims",
        "SELECT receipt_id, store_id, amount_dong, issued_at, kiosk_id, points, claimed_at FROM claims WHERE "
        "member_id = $1 ORDER BY claimed_at",
        kClaims},
    Query{"returns",
          "SELECT receipt_id, amount_dong, points, at, reason FROM receipt_returns WHERE member_id = $1 "
          "ORDER BY at",
          kReturns},
    Query{"vouchers",
          "SELECT code, reward_id, value_dong, points_spent, issued_at, expires_at, consumed_at, "
          "consumed_store "
          "FROM vouchers WHERE member_id = $1 ORDER BY issued_at",
          kVouchers},
    Query{
        "game_draws",
        "SELECT game_id, store_id, prize_id, prize_name_vi, points, value_dong, voucher_code, drawn_at FROM "
        "game_draws WHERE member_id = $1 ORDER BY drawn_at",
        kDraws},
    Query{
        "messages",
        "SELECT event, marketing, created_at, state, sent_at FROM notif_outbox WHERE member_id = $1 ORDER BY "
        "message_id",
        kMessages},
};

}  // namespace

DbResult<std::optional<CareStore::Claim>> CareStore::claim(const std::string& receiptId) {
    auto rows = m_c.query(
        "SELECT c.member_id, c.amount_dong, c.points, c.store_id, c.kiosk_id, m.phone FROM claims c JOIN "
        "members m "
        "ON m.member_id = c.member_id WHERE c.receipt_id = $1",
        {receiptId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Claim>{};
    const auto& r = rows->front();
    return Claim{r.integer(0), r.integer(1), r.integer(2), r.text(3), r.text(4), r.text(5)};
}

DbResult<std::optional<CareStore::Return>> CareStore::findReturn(const std::string& key) {
    auto rows = m_c.query(
        "SELECT receipt_id, member_id, amount_dong, points, at, reason, actor, result FROM receipt_returns "
        "WHERE "
        "idempotency_key = $1",
        {key});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Return>{};
    const auto& r = rows->front();
    return Return{key,          r.text(0), r.integer(1), r.integer(2), r.integer(3),
                  r.integer(4), r.text(5), r.text(6),    r.text(7)};
}

DbResult<CareStore::Returned> CareStore::returnedSoFar(const std::string& receiptId) {
    auto rows = m_c.query(
        "SELECT COALESCE(SUM(amount_dong), 0), COALESCE(SUM(points), 0) FROM receipt_returns WHERE "
        "receipt_id = $1",
        {receiptId});
    if (!rows) return std::unexpected(rows.error());
    return Returned{rows->front().integer(0), rows->front().integer(1)};
}

DbResult<void> CareStore::saveReturn(const Return& r) {
    auto saved = m_c.query(
        "INSERT INTO receipt_returns (idempotency_key, receipt_id, member_id, amount_dong, points, at, "
        "reason, "
        "actor, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {r.key, r.receiptId, r.memberId, r.amountDong, r.points, r.at, r.reason, r.actor, r.result});
    if (!saved) return std::unexpected(saved.error());
    return {};
}

DbResult<std::optional<MemberRecord>> CareStore::member(const std::string& phoneE164) {
    auto rows = m_c.query(
        "SELECT member_id, balance, created_at, consent_join, consent_marketing, consent_text_version, "
        "consent_at, "
        "consent_kiosk FROM members WHERE phone = $1",
        {phoneE164});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<MemberRecord>{};
    const auto& r = rows->front();
    return MemberRecord{r.integer(0),      r.integer(1), r.integer(2), r.integer(3) != 0,
                        r.integer(4) != 0, r.text(5),    r.integer(6), r.text(7)};
}

DbResult<std::vector<DataSection>> CareStore::memberData(std::int64_t memberId) {
    std::vector<DataSection> out;
    for (const auto& q : kQueries) {
        auto rows = m_c.query(q.sql, {memberId});
        if (!rows) return std::unexpected(rows.error());
        out.push_back(DataSection{q.name, q.columns, std::move(*rows)});
    }
    return out;
}

DbResult<void> CareStore::erase(std::int64_t memberId, const std::string& tag, const std::string& phoneE164) {
    struct Step {
        const char* sql;
        std::vector<Param> params;
    };
    const std::vector<Step> steps{
        {"UPDATE members SET phone = $1, consent_join = 0, consent_marketing = 0, consent_text_version = '', "
         "consent_at = 0, consent_kiosk = '' WHERE member_id = $2",
         {tag, memberId}},
        {"UPDATE ledger SET reason = '' WHERE member_id = $1 AND idempotency_key <> $2", {memberId, tag}},
        {"UPDATE receipt_returns SET reason = '' WHERE member_id = $1", {memberId}},
        {"DELETE FROM notif_outbox WHERE member_id = $1", {memberId}},
        {"DELETE FROM otp_codes WHERE phone = $1", {phoneE164}},
        {"DELETE FROM otp_events WHERE phone = $1", {phoneE164}},
    };
    for (const auto& step : steps) {
        auto done = m_c.query(step.sql, step.params);
        if (!done) return std::unexpected(done.error());
    }
    return {};
}

}  // namespace central
