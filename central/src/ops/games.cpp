#include "ops/games.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "loyalty/ledger.hpp"
#include "loyalty/time.hpp"
#include "loyalty/voucher.hpp"
#include "ops/access.hpp"
#include "store/ledger_store.hpp"
#include "store/member_store.hpp"
#include "store/transaction.hpp"
#include "store/voucher_store.hpp"

namespace central {
namespace {

constexpr std::int64_t kMemberDraws = 10;  ///< draws a member view lists

ApiError refused(int status, std::string_view code, std::string_view why) {
    return domainError(status, code, why);
}

bool playable(const Game& game, const std::string& store, loyalty::UnixSeconds now) {
    return game.startsAt <= now && now < game.endsAt &&
           std::find(game.stores.begin(), game.stores.end(), store) != game.stores.end();
}

/// The scopes of the prize's budget with their limits, in one fixed order (total, day, store) so two
/// draws never wait on each other's rows in opposite orders.
std::vector<std::pair<std::string, std::int64_t>> budgetScopes(const GamePrize& prize,
                                                               const std::string& store, std::int64_t day) {
    std::vector<std::pair<std::string, std::int64_t>> scopes;
    if (prize.budget.total) scopes.emplace_back("total", *prize.budget.total);
    if (prize.budget.perDay) scopes.emplace_back("day:" + std::to_string(day), *prize.budget.perDay);
    if (prize.budget.perStore) scopes.emplace_back("store:" + store, *prize.budget.perStore);
    return scopes;
}

/// Takes one of the prize from every scope of its budget, or from none: false when one is used up.
DbResult<bool> takeBudgets(GameStore& games, const std::string& gameId, const GamePrize& prize,
                           const std::string& store, std::int64_t day) {
    const auto scopes = budgetScopes(prize, store, day);
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        auto taken = games.takeBudget(gameId, prize.id, scopes[i].first, scopes[i].second);
        if (!taken) return std::unexpected(taken.error());
        if (*taken) continue;
        for (std::size_t j = 0; j < i; ++j)
            if (auto back = games.returnBudget(gameId, prize.id, scopes[j].first); !back)
                return std::unexpected(back.error());
        return false;
    }
    return true;
}

}  // namespace

std::optional<std::size_t> prizeAt(const std::vector<GamePrize>& prizes, std::uint32_t randomValue) {
    std::uint64_t upTo = 0;
    for (std::size_t i = 0; i < prizes.size(); ++i) {
        upTo += prizes[i].oddsPpm;
        if (randomValue < upTo) return i;
    }
    return std::nullopt;
}

std::int64_t localDay(loyalty::UnixSeconds at) {
    return (at + loyalty::kVietnamOffsetSeconds) / loyalty::kSecondsPerDay;
}

GameOps::GameOps(Database& db, const loyalty::Clock& clock, const loyalty::SigningKeyPair& voucherKeys,
                 RewardLookup rewards, SpendProof proof, ExpiryMonths expiryMonths)
    : m_db(db),
      m_clock(clock),
      m_voucherKeys(voucherKeys),
      m_rewards(std::move(rewards)),
      m_proof(std::move(proof)),
      m_expiryMonths(std::move(expiryMonths)) {}

std::expected<Game, ApiError> GameOps::configure(const Caller& caller, const Game& game) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    for (const auto& prize : game.prizes) {
        if (prize.kind != PrizeKind::Reward) continue;
        auto reward = m_rewards(prize.rewardId);
        if (!reward) return std::unexpected(reward.error());
        if (!*reward)
            return std::unexpected(
                refused(422, "reward_unknown", "a prize names a reward not in the catalogue"));
    }
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<Game, ApiError> {
        GameStore games(c);
        for (const auto& store : game.stores) {
            CENTRAL_TRY(known, games.storeExists(store));
            if (!*known) return std::unexpected(refused(422, "store_unknown", "no such store"));
        }
        CENTRAL_TRY(saved, games.save(game, now));
        return game;
    });
}

std::expected<std::vector<GameOps::GameState>, ApiError> GameOps::listAll(const Caller& caller) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    GameStore games(**lease);
    CENTRAL_TRY(all, games.list(std::nullopt, std::nullopt));
    std::vector<GameState> out;
    for (auto& game : *all) {
        CENTRAL_TRY(budgets, games.budgetUse(game.id));
        out.push_back({std::move(game), std::move(*budgets)});
    }
    return out;
}

std::expected<std::int64_t, ApiError> GameOps::grantTickets(const Caller& caller, const std::string& gameId,
                                                            const loyalty::PhoneNumber& phone,
                                                            const std::string& key, std::int64_t count) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<std::int64_t, ApiError> {
        CENTRAL_TRY(member, MemberStore(c).lock(phone.e164()));
        if (!*member) return std::unexpected(apiError("not_found"));
        GameStore games(c);
        CENTRAL_TRY(game, games.load(gameId));
        if (!*game) return std::unexpected(apiError("not_found"));
        CENTRAL_TRY(added, games.grantTickets(gameId, (*member)->memberId, key, count, now));
        return *added;
    });
}

std::expected<std::vector<DrawRecord>, ApiError> GameOps::audit(const Caller& caller,
                                                                const std::string& gameId, std::int64_t after,
                                                                std::int64_t limit) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(draws, GameStore(**lease).drawsOfGame(gameId, after, limit));
    return std::move(*draws);
}

std::expected<std::vector<Game>, ApiError> GameOps::active(const Caller& caller) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(games, GameStore(**lease).list(caller.store, m_clock.now()));
    return std::move(*games);
}

std::expected<GameOps::MemberGames, ApiError> GameOps::member(const Caller& caller,
                                                              const loyalty::PhoneNumber& phone) {
    return transact(m_db, [&](Connection& c) -> std::expected<MemberGames, ApiError> {
        CENTRAL_TRY(found, MemberStore(c).lock(phone.e164()));
        if (!*found) return std::unexpected(apiError("not_found"));
        GameStore games(c);
        MemberGames out;
        CENTRAL_TRY(tickets, games.ticketsOf((*found)->memberId));
        CENTRAL_TRY(draws, games.drawsOf((*found)->memberId, kMemberDraws));
        out.tickets = std::move(*tickets);
        // A kiosk sees the draws of its own store only; staff (admin) see them all, to reprint.
        for (auto& d : *draws)
            if (caller.kind == Caller::Kind::Admin || d.storeId == caller.store)
                out.draws.push_back(std::move(d));
        return out;
    });
}

/// What a prize gave the member.
struct GameOps::Award {
    loyalty::Points balance = 0;
    std::optional<std::string> code;
    std::optional<std::string> payload;
    std::optional<loyalty::UnixSeconds> expiresAt;
    std::int64_t valueDong = 0;
};

std::expected<GameOps::Award, ApiError> GameOps::award(Connection& c, const DrawRecord& d,
                                                       const GamePrize& prize,
                                                       const loyalty::PhoneNumber& phone) {
    Award out;
    if (prize.kind == PrizeKind::Points) {
        const loyalty::LedgerEntry entry{"game:" + d.key, loyalty::EntryKind::GamePrize, prize.points,
                                         d.drawnAt,       d.gameId + "/" + prize.id,     false};
        CENTRAL_TRY(appended, appendEntry(c, d.memberId, entry, d.storeId, d.kioskId));
        CENTRAL_TRY(balance, MemberStore(c).credit(d.memberId, prize.points));
        out.balance = *balance;
        return out;
    }
    loyalty::Reward reward;
    if (prize.kind == PrizeKind::Reward) {
        auto found = m_rewards(prize.rewardId);
        if (!found) return std::unexpected(found.error());
        if (!*found)
            return std::unexpected(
                refused(409, "game_prize_unavailable", "the prize's reward left the catalogue"));
        reward = **found;
    } else {
        reward.id = prize.id;
        reward.name = prize.name;
        reward.value = loyalty::Dong{prize.valueDong};
        reward.voucherValidityDays = prize.voucherValidityDays;
    }
    VoucherStore vouchers(c);
    for (int attempt = 0; attempt < 5 && !out.code; ++attempt) {
        std::array<std::uint8_t, loyalty::kVoucherCodeRandomBytes> random{};
        randombytes_buf(random.data(), random.size());
        const auto voucher =
            loyalty::issueVoucher(reward, loyalty::makeVoucherCode(random), d.drawnAt, phone);
        auto payload = loyalty::encodeVoucherPayload(voucher, m_voucherKeys);
        if (!payload) return std::unexpected(apiError("internal"));
        // The draw row is the replay of a game voucher; the voucher keeps an empty answer.
        CENTRAL_TRY(inserted, vouchers.insert(VoucherStore::New{
                                  voucher.code.text(), "game:" + d.key, reward.id, d.memberId, d.kioskId,
                                  reward.value.value, 0, d.drawnAt, voucher.expiresAt, "{}"}));
        if (!*inserted) continue;  // a code collision: draw another
        out.code = voucher.code.text();
        out.payload = std::move(*payload);
        out.expiresAt = voucher.expiresAt;
        out.valueDong = reward.value.value;
    }
    if (!out.code) return std::unexpected(apiError("storage_unavailable"));
    out.balance = d.balance;
    return out;
}

std::expected<GameOps::Drawn, ApiError> GameOps::draw(const Caller& caller, const DrawRequest& request) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    const auto now = m_clock.now();
    const auto e164 = request.phone.e164();
    return transact(m_db, [&](Connection& c) -> std::expected<Drawn, ApiError> {
        CENTRAL_TRY(member, MemberStore(c).lock(e164));
        if (!*member) return std::unexpected(apiError("not_found"));
        GameStore games(c);
        CENTRAL_TRY(earlier, games.drawByKey(request.key));
        if (*earlier) {
            const auto& e = **earlier;
            if (e.memberId != (*member)->memberId || e.gameId != request.gameId ||
                e.kioskId != caller.kioskId)
                return std::unexpected(apiError("idempotency_conflict"));
            return Drawn{e, true};
        }
        CENTRAL_TRY(game, games.load(request.gameId));
        if (!*game || !playable(**game, caller.store, now))
            return std::unexpected(refused(410, "game_not_available", "the game is not playable here now"));
        DrawRecord d;
        d.key = request.key;
        d.gameId = request.gameId;
        d.memberId = (*member)->memberId;
        d.phoneE164 = e164;
        d.kioskId = caller.kioskId;
        d.storeId = caller.store;
        d.drawnAt = now;
        d.day = localDay(now);
        d.balance = (*member)->balance;
        CENTRAL_TRY(plays, games.playsOn(d.gameId, d.memberId, d.day));
        if (*plays >= (*game)->dailyPlayLimit)
            return std::unexpected(refused(409, "game_daily_limit", "the member has played enough today"));
        CENTRAL_TRY(ticket, games.spendTicket(d.gameId, d.memberId, now));
        if (!*ticket) return std::unexpected(refused(409, "game_no_ticket", "the member has no ticket"));
        d.ticketId = **ticket;
        d.randomValue = randombytes_uniform(kOddsScale);
        if (const auto index = prizeAt((*game)->prizes, static_cast<std::uint32_t>(d.randomValue))) {
            const auto& prize = (*game)->prizes[*index];
            d.drawnPrizeId = prize.id;
            CENTRAL_TRY(inStock, takeBudgets(games, d.gameId, prize, d.storeId, d.day));
            if (*inStock && prize.kind != PrizeKind::Nothing) {
                auto won = award(c, d, prize, request.phone);
                if (!won) return std::unexpected(won.error());
                d.prizeId = prize.id;
                d.kind = prize.kind;
                d.prizeName = prize.name;
                d.points = prize.kind == PrizeKind::Points ? prize.points : 0;
                d.valueDong = won->valueDong;
                d.voucherCode = won->code;
                d.voucherPayload = won->payload;
                d.voucherExpiresAt = won->expiresAt;
                d.balance = won->balance;
            }
        }
        CENTRAL_TRY(recorded, games.recordDraw(d));
        CENTRAL_TRY(stored, games.drawByKey(d.key));
        if (!*stored) return std::unexpected(apiError("internal"));
        return Drawn{std::move(**stored), false};
    });
}

std::expected<GameOps::Bought, ApiError> GameOps::buyTicket(const Caller& caller, const BuyRequest& request) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    const auto now = m_clock.now();
    const auto e164 = request.phone.e164();
    const unsigned expiryMonths = m_expiryMonths();
    const std::string source = "buy:" + request.key;
    return transact(m_db, [&](Connection& c) -> std::expected<Bought, ApiError> {
        MemberStore members(c);
        CENTRAL_TRY(member, members.lock(e164));
        if (!*member) return std::unexpected(apiError("not_found"));
        const auto memberId = (*member)->memberId;
        GameStore games(c);
        CENTRAL_TRY(game, games.load(request.gameId));
        CENTRAL_TRY(earlier, games.ticketBySource(source));
        if (*earlier) {
            if ((*earlier)->first != request.gameId || (*earlier)->second != memberId)
                return std::unexpected(apiError("idempotency_conflict"));
            CENTRAL_TRY(held, games.unusedTickets(request.gameId, memberId));
            return Bought{(*game)->ticketPricePoints.value_or(0), (*member)->balance, *held, true};
        }
        if (!*game || !playable(**game, caller.store, now))
            return std::unexpected(refused(410, "game_not_available", "the game is not playable here now"));
        if (!(*game)->ticketPricePoints)
            return std::unexpected(refused(409, "game_ticket_not_for_sale", "this game sells no plays"));
        const auto price = *(*game)->ticketPricePoints;
        CENTRAL_TRY(plays, games.playsOn(request.gameId, memberId, localDay(now)));
        CENTRAL_TRY(held, games.unusedTickets(request.gameId, memberId));
        if (*plays + *held >= (*game)->dailyPlayLimit)
            return std::unexpected(refused(409, "game_daily_limit", "the member has played enough today"));
        if (auto proved = m_proof(c, caller, e164, "game:" + request.gameId, request.otp, now); !proved)
            return std::unexpected(proved.error());
        // Points past their expiry cannot be spent: expire them first, as a redemption does.
        CENTRAL_TRY(expired, expireDuePoints(c, memberId, expiryMonths, now, true));
        CENTRAL_TRY(left, members.spend(memberId, price));
        if (!*left) {
            auto e = refused(409, "game_insufficient_points", "not enough points for a play");
            e.details = Json{{"balance", (*member)->balance - *expired}, {"cost", price}};
            return std::unexpected(e);
        }
        const loyalty::LedgerEntry entry{
            "game-ticket:" + request.key, loyalty::EntryKind::Redeem, -price, now, request.gameId, false};
        CENTRAL_TRY(appended, appendEntry(c, memberId, entry, caller.store, caller.kioskId));
        CENTRAL_TRY(ticket, games.addTicket(request.gameId, memberId, source, now));
        if (!*ticket) return std::unexpected(apiError("internal"));
        return Bought{price, **left, *held + 1, false};
    });
}

std::expected<void, ApiError> GameOps::displayed(const Caller& caller, const loyalty::PhoneNumber& phone,
                                                 const std::string& key) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        CENTRAL_TRY(member, MemberStore(c).lock(phone.e164()));
        if (!*member) return std::unexpected(apiError("not_found"));
        CENTRAL_TRY(marked, GameStore(c).markDisplayed(key, (*member)->memberId, now));
        if (!*marked) return std::unexpected(apiError("not_found"));
        return {};
    });
}

}  // namespace central
