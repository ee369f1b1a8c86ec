#pragma once
// Promo games (docs/games.md): head office configures them, kiosks list them, members spend tickets
// on draws. A draw is ONE transaction: lock the member, replay by key, check the game and the daily
// limit, spend a ticket, draw with libsodium's CSPRNG, take the prize's budgets (a prize whose budget
// is spent gives nothing: its odds are never moved onto other prizes), credit the prize (points through
// the ledger, vouchers signed like any voucher) and write the audit row. Private to central_core.
//
// Threads: any; every call BLOCKS on the database.

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/service.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/reward.hpp"
#include "loyalty/signing.hpp"
#include "store/game_store.hpp"

namespace central {

/// Odds are parts per million; the draw is uniform in [0, kOddsScale).
inline constexpr std::uint32_t kOddsScale = 1'000'000;

/// The prize `randomValue` (< kOddsScale) falls on: prizes take consecutive ranges of the scale in
/// their order, the rest of the scale is nothing (nullopt).
[[nodiscard]] std::optional<std::size_t> prizeAt(const std::vector<GamePrize>& prizes,
                                                 std::uint32_t randomValue);
/// The local (Vietnam) day number of `at`: budgets per day and the daily play limit count by it.
[[nodiscard]] std::int64_t localDay(loyalty::UnixSeconds at);

class GameOps {
  public:
    /// A catalogue reward by id (nullopt: not in the catalogue).
    using RewardLookup =
        std::function<std::expected<std::optional<loyalty::Reward>, ApiError>(const std::string&)>;
    /// The member's proof of the phone before points are spent (the one-time code of a redemption,
    /// used up when it matches), checked inside the spending transaction of `c`; `scope` names what is
    /// bought (for the lockout after wrong codes).
    using SpendProof = std::function<std::expected<void, ApiError>(
        Connection& c, const Caller& caller, const std::string& e164, const std::string& scope,
        const std::string& otp, loyalty::UnixSeconds now)>;
    /// The campaign's points expiry in months (0: never); read before a purchase's transaction.
    using ExpiryMonths = std::function<unsigned()>;
    /// Everything given must outlive this.
    GameOps(Database& db, const loyalty::Clock& clock, const loyalty::SigningKeyPair& voucherKeys,
            RewardLookup rewards, SpendProof proof, ExpiryMonths expiryMonths);

    // Head office (the caller must be Admin).
    /// Checks what needs the database (stores exist, rewards are in the catalogue) and saves.
    [[nodiscard]] std::expected<Game, ApiError> configure(const Caller& caller, const Game& game);
    struct GameState {
        Game game;
        std::vector<GameStore::BudgetUse> budgets;
    };
    [[nodiscard]] std::expected<std::vector<GameState>, ApiError> listAll(const Caller& caller);
    /// `count` tickets for the member, once per `key`: how many were added now.
    [[nodiscard]] std::expected<std::int64_t, ApiError> grantTickets(const Caller& caller,
                                                                     const std::string& gameId,
                                                                     const loyalty::PhoneNumber& phone,
                                                                     const std::string& key,
                                                                     std::int64_t count);
    [[nodiscard]] std::expected<std::vector<DrawRecord>, ApiError> audit(const Caller& caller,
                                                                         const std::string& gameId,
                                                                         std::int64_t after,
                                                                         std::int64_t limit);

    // Kiosks.
    /// The games playable at the kiosk's store now.
    [[nodiscard]] std::expected<std::vector<Game>, ApiError> active(const Caller& caller);
    struct MemberGames {
        std::vector<std::pair<std::string, std::int64_t>> tickets;  ///< unused tickets per game
        std::vector<DrawRecord> draws;  ///< undisplayed first, then the latest displayed
    };
    /// A kiosk or staff (admin) view of the member's tickets and draws.
    [[nodiscard]] std::expected<MemberGames, ApiError> member(const Caller& caller,
                                                              const loyalty::PhoneNumber& phone);
    struct DrawRequest {
        std::string key;
        loyalty::PhoneNumber phone;
        std::string gameId;
    };
    struct Drawn {
        DrawRecord record;
        bool replayed = false;
    };
    [[nodiscard]] std::expected<Drawn, ApiError> draw(const Caller& caller, const DrawRequest& request);
    struct BuyRequest {
        std::string key;
        loyalty::PhoneNumber phone;
        std::string gameId;
        std::string otp;
    };
    struct Bought {
        loyalty::Points price = 0;    ///< points the play cost
        loyalty::Points balance = 0;  ///< the member's balance now
        std::int64_t tickets = 0;     ///< the member's unused tickets of the game now
        bool replayed = false;
    };
    /// One ticket of the game for its `ticket_price_points`, in ONE transaction with the ledger debit,
    /// once per key; refused when the game sells none, the member could not play it today (plays today
    /// plus unused tickets reach the daily limit), the proof fails or the points are short.
    [[nodiscard]] std::expected<Bought, ApiError> buyTicket(const Caller& caller, const BuyRequest& request);
    /// The kiosk showed the draw of `key` to the member.
    [[nodiscard]] std::expected<void, ApiError> displayed(const Caller& caller,
                                                          const loyalty::PhoneNumber& phone,
                                                          const std::string& key);

  private:
    struct Award;
    [[nodiscard]] std::expected<Award, ApiError> award(Connection& c, const DrawRecord& d,
                                                       const GamePrize& prize,
                                                       const loyalty::PhoneNumber& phone);

    Database& m_db;
    const loyalty::Clock& m_clock;
    const loyalty::SigningKeyPair& m_voucherKeys;
    RewardLookup m_rewards;
    SpendProof m_proof;
    ExpiryMonths m_expiryMonths;
};

}  // namespace central
