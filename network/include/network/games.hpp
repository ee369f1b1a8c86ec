#pragma once
// The promo-game answers of central (docs/api.md "Promo games", docs/games.md), as the kiosk reads
// them. Central decides every outcome; these types only carry what it said. Plain data: any thread.
// The calls that return them are CentralClient's (central_client.hpp, games section).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/localized_text.hpp"
#include "loyalty/receipt.hpp"
#include "network/central_client.hpp"

namespace net {

/// Largest number of prizes a game may have (central refuses more; an answer with more is bad).
inline constexpr std::size_t kMaxGamePrizes = 32;
/// Odds are parts per million: a game's prizes and "nothing" add up to this.
inline constexpr std::int64_t kOddsScale = 1'000'000;

struct GamePrize {
    std::string id;               ///< "P100"; the wheel's sector, in the game's order
    std::string kind;             ///< "points", "reward", "gift" or "nothing"
    loyalty::LocalizedText name;  ///< name_vi / _en (English falls back to Vietnamese)
    std::int64_t oddsPpm = 0;     ///< 1..kOddsScale
    std::int64_t points = 0;      ///< points prizes
    std::int64_t valueDong = 0;   ///< gift prizes, dong
};

/// One game playable at this kiosk's store now, with the fields Decree 81/2018 has the kiosk show.
struct Game {
    std::string id;
    std::string type;             ///< "wheel" or "scratch"
    loyalty::LocalizedText name;  ///< name_vi / _en (English falls back to Vietnamese)
    std::string registrationNumber;
    loyalty::LocalizedText prizeStructure;  ///< prize_structure_vi / _en (the same fallback)
    std::int64_t dailyPlayLimit = 0;
    std::optional<std::int64_t> ticketPricePoints;  ///< a play bought with points costs this; none: not sold
    loyalty::UnixSeconds endsAt = 0;
    std::vector<GamePrize> prizes;  ///< 1..kMaxGamePrizes, in sector order
    std::int64_t nothingOddsPpm = 0;
};

struct GameList : Answer {
    std::vector<Game> games;
};

struct GameVoucher {
    std::string code;
    std::string qrPayload;  ///< signed by central, as any voucher
    std::int64_t valueDong = 0;
    loyalty::UnixSeconds expiresAt = 0;
};

/// One draw as central recorded it.
struct GameDraw {
    std::string idempotencyKey;
    std::string gameId;
    std::string prizeId;          ///< what was won; "" = nothing
    std::string kind;             ///< the won prize's kind ("nothing" when prizeId is "")
    loyalty::LocalizedText name;  ///< the won prize's name_vi / _en
    std::int64_t points = 0;      ///< points credited
    std::int64_t valueDong = 0;
    std::int64_t balance = 0;  ///< the member's balance after the draw, points
    loyalty::UnixSeconds drawnAt = 0;
    bool displayed = false;              ///< a kiosk already showed it
    bool replayed = false;               ///< central answered an earlier draw of this key again
    std::optional<GameVoucher> voucher;  ///< reward and gift prizes
};

struct DrawAnswer : Answer {
    GameDraw draw;
};

struct GameTickets {
    std::string gameId;
    std::int64_t count = 0;
};

/// A play bought with points: what central took and what the member holds now.
struct TicketPurchase : Answer {
    std::string gameId;
    std::int64_t pointsSpent = 0;
    std::int64_t balance = 0;  ///< the member's balance after the purchase, points
    std::int64_t tickets = 0;  ///< the member's unused tickets of the game now
    bool replayed = false;     ///< central answered an earlier purchase of this key again
};

/// The member's unused tickets, and their draws: undisplayed first, then the latest.
struct MemberGames : Answer {
    std::vector<GameTickets> tickets;
    std::vector<GameDraw> draws;
};

}  // namespace net
