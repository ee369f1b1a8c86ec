#include "store/game_store.hpp"

#include <array>
#include <utility>

namespace central {
namespace {

constexpr std::array<std::pair<GameType, std::string_view>, 2> kTypes{
    {{GameType::Wheel, "wheel"}, {GameType::Scratch, "scratch"}}};
constexpr std::array<std::pair<PrizeKind, std::string_view>, 4> kKinds{{{PrizeKind::Points, "points"},
                                                                        {PrizeKind::Reward, "reward"},
                                                                        {PrizeKind::Gift, "gift"},
                                                                        {PrizeKind::Nothing, "nothing"}}};

Param optionalParam(const std::optional<std::int64_t>& value) {
    if (value) return *value;
    return nullptr;
}
Param optionalParam(const std::optional<std::string>& value) {
    if (value) return *value;
    return nullptr;
}

constexpr const char* kGameColumns =
    "SELECT game_id, type, name_vi, name_en, starts_at, ends_at, registration_number, prize_structure_vi, "
    "prize_structure_en, ticket_min_receipt_dong, daily_play_limit, ticket_price_points FROM games";

Game gameFromRow(const Row& row) {
    Game g;
    g.id = row.text(0);
    g.type = gameTypeFromCode(row.text(1)).value_or(GameType::Wheel);
    g.name = {row.text(2), row.text(3)};
    g.startsAt = row.integer(4);
    g.endsAt = row.integer(5);
    g.registrationNumber = row.text(6);
    g.prizeStructure = {row.text(7), row.text(8)};
    g.ticketMinReceiptDong = row.integer(9);
    g.dailyPlayLimit = static_cast<std::uint32_t>(row.integer(10));
    g.ticketPricePoints = row.optionalInteger(11);
    return g;
}

constexpr const char* kDrawColumns =
    "SELECT d.draw_id, d.idempotency_key, d.game_id, d.member_id, m.phone, d.kiosk_id, d.store_id, "
    "d.ticket_id, d.random_value, d.drawn_prize_id, d.prize_id, d.prize_kind, d.prize_name_vi, "
    "d.prize_name_en, d.points, d.value_dong, d.voucher_code, d.voucher_payload, d.voucher_expires_at, "
    "d.balance, d.drawn_at, d.day, d.displayed_at FROM game_draws d JOIN members m ON m.member_id = "
    "d.member_id ";

DrawRecord drawFromRow(const Row& row) {
    DrawRecord d;
    d.drawId = row.integer(0);
    d.key = row.text(1);
    d.gameId = row.text(2);
    d.memberId = row.integer(3);
    d.phoneE164 = row.text(4);
    d.kioskId = row.text(5);
    d.storeId = row.text(6);
    d.ticketId = row.integer(7);
    d.randomValue = row.integer(8);
    d.drawnPrizeId = row.text(9);
    d.prizeId = row.text(10);
    d.kind = prizeKindFromCode(row.text(11)).value_or(PrizeKind::Nothing);
    d.prizeName = {row.text(12), row.text(13)};
    d.points = row.integer(14);
    d.valueDong = row.integer(15);
    if (!row.isNull(16)) d.voucherCode = row.text(16);
    if (!row.isNull(17)) d.voucherPayload = row.text(17);
    d.voucherExpiresAt = row.optionalInteger(18);
    d.balance = row.integer(19);
    d.drawnAt = row.integer(20);
    d.day = row.integer(21);
    d.displayedAt = row.optionalInteger(22);
    return d;
}

DbResult<std::vector<DrawRecord>> draws(DbResult<Rows> rows) {
    if (!rows) return std::unexpected(rows.error());
    std::vector<DrawRecord> out;
    for (const auto& row : *rows) out.push_back(drawFromRow(row));
    return out;
}

}  // namespace

std::string_view gameTypeCode(GameType type) {
    for (const auto& [t, code] : kTypes)
        if (t == type) return code;
    return "wheel";
}
std::optional<GameType> gameTypeFromCode(std::string_view code) {
    for (const auto& [t, text] : kTypes)
        if (text == code) return t;
    return std::nullopt;
}
std::string_view prizeKindCode(PrizeKind kind) {
    for (const auto& [k, code] : kKinds)
        if (k == kind) return code;
    return "nothing";
}
std::optional<PrizeKind> prizeKindFromCode(std::string_view code) {
    for (const auto& [k, text] : kKinds)
        if (text == code) return k;
    return std::nullopt;
}

DbResult<void> GameStore::save(const Game& g, loyalty::UnixSeconds now) {
    auto up = m_c.query(
        "INSERT INTO games (game_id, type, name_vi, name_en, starts_at, ends_at, registration_number, "
        "prize_structure_vi, prize_structure_en, ticket_min_receipt_dong, daily_play_limit, updated_at, "
        "ticket_price_points) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT "
        "(game_id) DO UPDATE SET "
        "type = $2, name_vi = $3, name_en = $4, starts_at = $5, ends_at = $6, registration_number = $7, "
        "prize_structure_vi = $8, prize_structure_en = $9, ticket_min_receipt_dong = $10, "
        "daily_play_limit = $11, updated_at = $12, ticket_price_points = $13",
        {g.id, std::string(gameTypeCode(g.type)), g.name.vi, g.name.en, g.startsAt, g.endsAt,
         g.registrationNumber, g.prizeStructure.vi, g.prizeStructure.en, g.ticketMinReceiptDong,
         std::int64_t{g.dailyPlayLimit}, now, optionalParam(g.ticketPricePoints)});
    if (!up) return std::unexpected(up.error());
    for (const char* sql :
         {"DELETE FROM game_stores WHERE game_id = $1", "DELETE FROM game_prizes WHERE game_id = $1"})
        if (auto gone = m_c.query(sql, {g.id}); !gone) return std::unexpected(gone.error());
    for (const auto& store : g.stores)
        if (auto in = m_c.query("INSERT INTO game_stores (game_id, store_id) VALUES ($1, $2)", {g.id, store});
            !in)
            return std::unexpected(in.error());
    std::int64_t position = 0;
    for (const auto& p : g.prizes) {
        auto in = m_c.query(
            "INSERT INTO game_prizes (game_id, prize_id, position, kind, name_vi, name_en, points, "
            "reward_id, "
            "value_dong, validity_days, odds_ppm, budget_per_day, budget_per_store, budget_total) VALUES "
            "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            {g.id, p.id, position++, std::string(prizeKindCode(p.kind)), p.name.vi, p.name.en, p.points,
             p.rewardId, p.valueDong, std::int64_t{p.voucherValidityDays}, std::int64_t{p.oddsPpm},
             optionalParam(p.budget.perDay), optionalParam(p.budget.perStore),
             optionalParam(p.budget.total)});
        if (!in) return std::unexpected(in.error());
    }
    return {};
}

DbResult<std::optional<Game>> GameStore::load(const std::string& gameId) {
    auto rows = m_c.query(std::string(kGameColumns) + " WHERE game_id = $1", {gameId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Game>{};
    Game g = gameFromRow(rows->front());
    auto stores =
        m_c.query("SELECT store_id FROM game_stores WHERE game_id = $1 ORDER BY store_id", {gameId});
    if (!stores) return std::unexpected(stores.error());
    for (const auto& row : *stores) g.stores.push_back(row.text(0));
    auto prizes = m_c.query(
        "SELECT prize_id, kind, name_vi, name_en, points, reward_id, value_dong, validity_days, odds_ppm, "
        "budget_per_day, budget_per_store, budget_total FROM game_prizes WHERE game_id = $1 ORDER BY "
        "position",
        {gameId});
    if (!prizes) return std::unexpected(prizes.error());
    for (const auto& row : *prizes) {
        GamePrize p;
        p.id = row.text(0);
        p.kind = prizeKindFromCode(row.text(1)).value_or(PrizeKind::Nothing);
        p.name = {row.text(2), row.text(3)};
        p.points = row.integer(4);
        p.rewardId = row.text(5);
        p.valueDong = row.integer(6);
        p.voucherValidityDays = static_cast<std::uint32_t>(row.integer(7));
        p.oddsPpm = static_cast<std::uint32_t>(row.integer(8));
        p.budget = {row.optionalInteger(9), row.optionalInteger(10), row.optionalInteger(11)};
        g.prizes.push_back(std::move(p));
    }
    return std::optional<Game>(std::move(g));
}

DbResult<std::vector<Game>> GameStore::list(const std::optional<std::string>& store,
                                            std::optional<loyalty::UnixSeconds> now) {
    auto ids = store ? m_c.query(
                           "SELECT g.game_id FROM games g JOIN game_stores s ON s.game_id = g.game_id "
                           "WHERE s.store_id = $1 AND g.starts_at <= $2 AND g.ends_at > $2 "
                           "ORDER BY g.game_id",
                           {*store, now.value_or(0)})
                     : m_c.query("SELECT game_id FROM games ORDER BY game_id");
    if (!ids) return std::unexpected(ids.error());
    std::vector<Game> out;
    for (const auto& row : *ids) {
        auto game = load(row.text(0));
        if (!game) return std::unexpected(game.error());
        if (*game) out.push_back(std::move(**game));
    }
    return out;
}

DbResult<bool> GameStore::storeExists(const std::string& storeId) {
    auto rows = m_c.query("SELECT 1 FROM stores WHERE store_id = $1", {storeId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<std::int64_t> GameStore::earnTickets(std::int64_t memberId, const std::string& receiptId,
                                              const std::string& store, std::int64_t amountDong,
                                              loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "INSERT INTO game_tickets (game_id, member_id, source_key, created_at) SELECT g.game_id, $1, "
        "$2 || g.game_id, $3 FROM games g JOIN game_stores s ON s.game_id = g.game_id "
        "WHERE s.store_id = $4 AND g.ticket_min_receipt_dong > 0 AND g.ticket_min_receipt_dong <= $5 AND "
        "g.starts_at <= $3 AND g.ends_at > $3 ON CONFLICT DO NOTHING RETURNING ticket_id",
        {memberId, "receipt:" + receiptId + ":", now, store, amountDong});
    if (!rows) return std::unexpected(rows.error());
    return static_cast<std::int64_t>(rows->size());
}

DbResult<std::int64_t> GameStore::grantTickets(const std::string& gameId, std::int64_t memberId,
                                               const std::string& key, std::int64_t count,
                                               loyalty::UnixSeconds now) {
    std::int64_t written = 0;
    for (std::int64_t i = 1; i <= count; ++i) {
        auto rows = m_c.query(
            "INSERT INTO game_tickets (game_id, member_id, source_key, created_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING RETURNING ticket_id",
            {gameId, memberId, "grant:" + key + ":" + std::to_string(i), now});
        if (!rows) return std::unexpected(rows.error());
        written += static_cast<std::int64_t>(rows->size());
    }
    return written;
}

DbResult<std::optional<std::int64_t>> GameStore::addTicket(const std::string& gameId, std::int64_t memberId,
                                                           const std::string& sourceKey,
                                                           loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "INSERT INTO game_tickets (game_id, member_id, source_key, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING RETURNING ticket_id",
        {gameId, memberId, sourceKey, now});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows->front().integer(0));
}

DbResult<std::optional<std::pair<std::string, std::int64_t>>> GameStore::ticketBySource(
    const std::string& sourceKey) {
    auto rows = m_c.query("SELECT game_id, member_id FROM game_tickets WHERE source_key = $1", {sourceKey});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::pair<std::string, std::int64_t>>{};
    return std::optional(std::make_pair(rows->front().text(0), rows->front().integer(1)));
}

DbResult<std::int64_t> GameStore::unusedTickets(const std::string& gameId, std::int64_t memberId) {
    auto rows = m_c.query(
        "SELECT COUNT(*) FROM game_tickets WHERE member_id = $1 AND game_id = $2 AND used_at IS NULL",
        {memberId, gameId});
    if (!rows) return std::unexpected(rows.error());
    return rows->front().integer(0);
}

DbResult<std::vector<std::pair<std::string, std::int64_t>>> GameStore::ticketsOf(std::int64_t memberId) {
    auto rows = m_c.query(
        "SELECT game_id, COUNT(*) FROM game_tickets WHERE member_id = $1 AND used_at IS NULL GROUP BY "
        "game_id "
        "ORDER BY game_id",
        {memberId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& row : *rows) out.emplace_back(row.text(0), row.integer(1));
    return out;
}

DbResult<std::optional<std::int64_t>> GameStore::spendTicket(const std::string& gameId, std::int64_t memberId,
                                                             loyalty::UnixSeconds now) {
    // The caller holds the member's row lock, so no other draw of this member races for the ticket;
    // the condition on used_at still refuses a ticket spent already.
    auto rows = m_c.query(
        "UPDATE game_tickets SET used_at = $1 WHERE ticket_id = (SELECT MIN(ticket_id) FROM game_tickets "
        "WHERE game_id = $2 AND member_id = $3 AND used_at IS NULL) AND used_at IS NULL RETURNING ticket_id",
        {now, gameId, memberId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows->front().integer(0));
}

DbResult<std::int64_t> GameStore::playsOn(const std::string& gameId, std::int64_t memberId,
                                          std::int64_t day) {
    auto rows =
        m_c.query("SELECT COUNT(*) FROM game_draws WHERE game_id = $1 AND member_id = $2 AND day = $3",
                  {gameId, memberId, day});
    if (!rows) return std::unexpected(rows.error());
    return rows->front().integer(0);
}

DbResult<bool> GameStore::takeBudget(const std::string& gameId, const std::string& prizeId,
                                     const std::string& scope, std::int64_t limit) {
    auto row = m_c.query(
        "INSERT INTO game_budget (game_id, prize_id, scope, used) VALUES ($1, $2, $3, 0) ON CONFLICT DO "
        "NOTHING",
        {gameId, prizeId, scope});
    if (!row) return std::unexpected(row.error());
    // The conditional update decides a race for the last prize, across processes too.
    auto taken = m_c.query(
        "UPDATE game_budget SET used = used + 1 WHERE game_id = $1 AND prize_id = $2 AND scope = $3 AND "
        "used < $4 RETURNING used",
        {gameId, prizeId, scope, limit});
    if (!taken) return std::unexpected(taken.error());
    return !taken->empty();
}

DbResult<void> GameStore::returnBudget(const std::string& gameId, const std::string& prizeId,
                                       const std::string& scope) {
    auto back = m_c.query(
        "UPDATE game_budget SET used = used - 1 WHERE game_id = $1 AND prize_id = $2 AND scope = $3",
        {gameId, prizeId, scope});
    if (!back) return std::unexpected(back.error());
    return {};
}

DbResult<std::vector<GameStore::BudgetUse>> GameStore::budgetUse(const std::string& gameId) {
    auto rows =
        m_c.query("SELECT prize_id, scope, used FROM game_budget WHERE game_id = $1 ORDER BY prize_id, scope",
                  {gameId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<BudgetUse> out;
    for (const auto& row : *rows) out.push_back({row.text(0), row.text(1), row.integer(2)});
    return out;
}

DbResult<void> GameStore::recordDraw(const DrawRecord& d) {
    auto rows = m_c.query(
        "INSERT INTO game_draws (idempotency_key, game_id, member_id, kiosk_id, store_id, ticket_id, "
        "random_value, drawn_prize_id, prize_id, prize_kind, prize_name_vi, prize_name_en, points, "
        "value_dong, voucher_code, voucher_payload, voucher_expires_at, balance, drawn_at, day) VALUES ($1, "
        "$2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        {d.key,
         d.gameId,
         d.memberId,
         d.kioskId,
         d.storeId,
         d.ticketId,
         d.randomValue,
         d.drawnPrizeId,
         d.prizeId,
         std::string(prizeKindCode(d.kind)),
         d.prizeName.vi,
         d.prizeName.en,
         d.points,
         d.valueDong,
         optionalParam(d.voucherCode),
         optionalParam(d.voucherPayload),
         optionalParam(d.voucherExpiresAt),
         d.balance,
         d.drawnAt,
         d.day});
    if (!rows) return std::unexpected(rows.error());
    return {};
}

DbResult<std::optional<DrawRecord>> GameStore::drawByKey(const std::string& key) {
    auto found = draws(m_c.query(std::string(kDrawColumns) + "WHERE d.idempotency_key = $1", {key}));
    if (!found) return std::unexpected(found.error());
    if (found->empty()) return std::optional<DrawRecord>{};
    return std::optional<DrawRecord>(std::move(found->front()));
}

DbResult<std::vector<DrawRecord>> GameStore::drawsOf(std::int64_t memberId, std::int64_t limit) {
    return draws(
        m_c.query(std::string(kDrawColumns) +
                      "WHERE d.member_id = $1 ORDER BY CASE WHEN d.displayed_at IS NULL THEN 0 ELSE 1 "
                      "END, d.draw_id DESC LIMIT $2",
                  {memberId, limit}));
}

DbResult<std::vector<DrawRecord>> GameStore::drawsOfGame(const std::string& gameId, std::int64_t after,
                                                         std::int64_t limit) {
    return draws(m_c.query(
        std::string(kDrawColumns) + "WHERE d.game_id = $1 AND d.draw_id > $2 ORDER BY d.draw_id LIMIT $3",
        {gameId, after, limit}));
}

DbResult<bool> GameStore::markDisplayed(const std::string& key, std::int64_t memberId,
                                        loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "UPDATE game_draws SET displayed_at = COALESCE(displayed_at, $1) WHERE idempotency_key = $2 AND "
        "member_id = $3 RETURNING draw_id",
        {now, key, memberId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

}  // namespace central
