#pragma once
// Promo games as stored (docs/games.md): a game with its stores and prizes, the tickets members hold,
// the budget each prize has used, and the audit of every draw. Runs in the caller's open transaction
// on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/localized_text.hpp"
#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"

namespace central {

enum class GameType { Wheel, Scratch };
enum class PrizeKind { Points, Reward, Gift, Nothing };

/// A prize's budgets: how many may be won per local day (chain-wide), per store (over the game's
/// life) and in total. nullopt = no limit in that scope.
struct PrizeBudget {
    std::optional<std::int64_t> perDay;
    std::optional<std::int64_t> perStore;
    std::optional<std::int64_t> total;
};

struct GamePrize {
    std::string id;  ///< also the reward id of a Gift's voucher ([A-Z0-9-], ≤ 16)
    PrizeKind kind = PrizeKind::Nothing;
    loyalty::LocalizedText name;
    loyalty::Points points = 0;             ///< Points: credited through the ledger
    std::string rewardId;                   ///< Reward: the catalogue reward whose voucher is won
    std::int64_t valueDong = 0;             ///< Gift: what its voucher is worth at the POS (0: goods)
    std::uint32_t voucherValidityDays = 0;  ///< Gift: as a reward's voucher_validity_days
    std::uint32_t oddsPpm = 0;              ///< chance in parts per million
    PrizeBudget budget;
};

struct Game {
    std::string id;
    GameType type = GameType::Wheel;
    loyalty::LocalizedText name;
    loyalty::UnixSeconds startsAt = 0;  ///< first second it may be played
    loyalty::UnixSeconds endsAt = 0;    ///< first second it may no longer be played
    std::vector<std::string> stores;
    std::string registrationNumber;         ///< the promotion's registration (Decree 81/2018)
    loyalty::LocalizedText prizeStructure;  ///< the announced prize structure, as registered
    std::int64_t ticketMinReceiptDong = 0;  ///< a receipt of at least this earns one play; 0 = none
    std::uint32_t dailyPlayLimit = 0;       ///< plays per member per local day
    std::optional<loyalty::Points> ticketPricePoints;  ///< a play sold for this many points; none: not sold
    std::vector<GamePrize> prizes;                     ///< in sector / display order
};

/// One draw as audited: who, where, which ticket, the random value, what was drawn and won.
struct DrawRecord {
    std::int64_t drawId = 0;
    std::string key;  ///< the kiosk's idempotency key
    std::string gameId;
    std::int64_t memberId = 0;
    std::string phoneE164;
    std::string kioskId;
    std::string storeId;
    std::int64_t ticketId = 0;
    std::int64_t randomValue = 0;  ///< uniform in [0, 1 000 000)
    std::string drawnPrizeId;      ///< what the random value fell on ("" = the odds left to nothing)
    std::string prizeId;           ///< what was won ("" = nothing: no prize, or its budget was spent)
    PrizeKind kind = PrizeKind::Nothing;
    loyalty::LocalizedText prizeName;
    loyalty::Points points = 0;
    std::int64_t valueDong = 0;
    std::optional<std::string> voucherCode;
    std::optional<std::string> voucherPayload;
    std::optional<loyalty::UnixSeconds> voucherExpiresAt;
    loyalty::Points balance = 0;  ///< the member's balance after the draw
    loyalty::UnixSeconds drawnAt = 0;
    std::int64_t day = 0;  ///< local (Vietnam) day number of drawnAt
    std::optional<loyalty::UnixSeconds> displayedAt;
};

class GameStore {
  public:
    explicit GameStore(Connection& c) : m_c(c) {}

    /// Replaces the game of `game.id` (its stores and prizes); budgets used so far are kept.
    [[nodiscard]] DbResult<void> save(const Game& game, loyalty::UnixSeconds now);
    [[nodiscard]] DbResult<std::optional<Game>> load(const std::string& gameId);
    /// Every game, or those playable at `store` at `now` when `store` is set.
    [[nodiscard]] DbResult<std::vector<Game>> list(const std::optional<std::string>& store,
                                                   std::optional<loyalty::UnixSeconds> now);
    [[nodiscard]] DbResult<bool> storeExists(const std::string& storeId);

    /// One ticket of every game playable at `store` at `now` whose threshold `amountDong` reaches,
    /// keyed by the receipt (a replayed claim earns nothing twice). The number of tickets written.
    [[nodiscard]] DbResult<std::int64_t> earnTickets(std::int64_t memberId, const std::string& receiptId,
                                                     const std::string& store, std::int64_t amountDong,
                                                     loyalty::UnixSeconds now);
    /// `count` tickets keyed `key`:1…`key`:count (a resent grant adds none). Tickets written.
    [[nodiscard]] DbResult<std::int64_t> grantTickets(const std::string& gameId, std::int64_t memberId,
                                                      const std::string& key, std::int64_t count,
                                                      loyalty::UnixSeconds now);
    /// One ticket keyed `sourceKey` (a ticket bought with points: "buy:" + the idempotency key): its
    /// id, or nullopt when that key holds a ticket already.
    [[nodiscard]] DbResult<std::optional<std::int64_t>> addTicket(const std::string& gameId,
                                                                  std::int64_t memberId,
                                                                  const std::string& sourceKey,
                                                                  loyalty::UnixSeconds now);
    /// The (game, member) of the ticket keyed `sourceKey`, if there is one.
    [[nodiscard]] DbResult<std::optional<std::pair<std::string, std::int64_t>>> ticketBySource(
        const std::string& sourceKey);
    /// The member's unused tickets of one game.
    [[nodiscard]] DbResult<std::int64_t> unusedTickets(const std::string& gameId, std::int64_t memberId);
    /// Unused tickets of the member per game id.
    [[nodiscard]] DbResult<std::vector<std::pair<std::string, std::int64_t>>> ticketsOf(
        std::int64_t memberId);
    /// Spends the member's oldest unused ticket of the game: its id, or nullopt when none is left.
    [[nodiscard]] DbResult<std::optional<std::int64_t>> spendTicket(const std::string& gameId,
                                                                    std::int64_t memberId,
                                                                    loyalty::UnixSeconds now);
    [[nodiscard]] DbResult<std::int64_t> playsOn(const std::string& gameId, std::int64_t memberId,
                                                 std::int64_t day);

    /// Takes one from the prize's budget in `scope` unless `limit` is used up: false when none is left.
    [[nodiscard]] DbResult<bool> takeBudget(const std::string& gameId, const std::string& prizeId,
                                            const std::string& scope, std::int64_t limit);
    /// Gives back one taken in this transaction (another scope of the same prize was used up).
    [[nodiscard]] DbResult<void> returnBudget(const std::string& gameId, const std::string& prizeId,
                                              const std::string& scope);
    /// (prize, scope, used) of every budget row of the game.
    struct BudgetUse {
        std::string prizeId;
        std::string scope;
        std::int64_t used = 0;
    };
    [[nodiscard]] DbResult<std::vector<BudgetUse>> budgetUse(const std::string& gameId);

    [[nodiscard]] DbResult<void> recordDraw(const DrawRecord& draw);
    [[nodiscard]] DbResult<std::optional<DrawRecord>> drawByKey(const std::string& key);
    /// The member's draws not yet displayed, then the latest displayed ones, at most `limit` in all,
    /// newest first.
    [[nodiscard]] DbResult<std::vector<DrawRecord>> drawsOf(std::int64_t memberId, std::int64_t limit);
    /// The game's audit, oldest first, from draw id `after` (exclusive), at most `limit`.
    [[nodiscard]] DbResult<std::vector<DrawRecord>> drawsOfGame(const std::string& gameId, std::int64_t after,
                                                                std::int64_t limit);
    /// Marks the draw displayed (first time only). False: no draw of that key for the member.
    [[nodiscard]] DbResult<bool> markDisplayed(const std::string& key, std::int64_t memberId,
                                               loyalty::UnixSeconds now);

  private:
    Connection& m_c;
};

[[nodiscard]] std::string_view gameTypeCode(GameType type);
[[nodiscard]] std::optional<GameType> gameTypeFromCode(std::string_view code);
[[nodiscard]] std::string_view prizeKindCode(PrizeKind kind);
[[nodiscard]] std::optional<PrizeKind> prizeKindFromCode(std::string_view code);

}  // namespace central
