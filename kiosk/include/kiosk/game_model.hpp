#pragma once
// The journey's vocabulary of promo games (docs/games.md): what central said about the games of this
// store, a member's tickets and draws. Central decides every outcome; the core only shows it. The app's
// adapter maps the network client's types to these.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/model.hpp"
#include "loyalty/localized_text.hpp"

namespace kiosk {

struct GamePrizeInfo {
    std::string id;    ///< a wheel sector, in the game's order
    std::string kind;  ///< "points", "reward", "gift", "nothing"
    loyalty::LocalizedText name;
    std::int64_t oddsPpm = 0;  ///< parts per million
};

/// A game playable at this store now, with the fields Decree 81/2018 has the kiosk show.
struct GameInfo {
    std::string id;
    bool wheel = true;  ///< false: a scratch card
    loyalty::LocalizedText name;
    std::string registrationNumber;
    loyalty::LocalizedText prizeStructure;
    std::vector<GamePrizeInfo> prizes;
    std::int64_t nothingOddsPpm = 0;
    std::optional<std::int64_t> ticketPricePoints;  ///< a play bought with points costs this; none: not sold
};

/// One draw as central recorded it.
struct GameDrawInfo {
    std::string key;  ///< its idempotency key (marks it displayed)
    std::string gameId;
    std::string prizeId;  ///< "" = nothing won
    std::string kind;     ///< "points", "reward", "gift", "nothing"
    loyalty::LocalizedText prizeName;
    std::int64_t points = 0;
    std::int64_t balance = 0;  ///< the member's balance after it
    bool displayed = false;
    std::optional<Voucher> voucher;  ///< reward and gift prizes: what the slip prints
};

/// A play bought with points, as central answered it.
struct TicketPurchase {
    std::string gameId;
    std::int64_t pointsSpent = 0;
    std::int64_t balance = 0;  ///< the member's balance after it
    std::int64_t tickets = 0;  ///< the member's unused tickets of the game now
};

/// What a member can play here: the store's games, their tickets, their draws never displayed.
struct GameOffer {
    std::vector<GameInfo> games;
    std::vector<std::pair<std::string, std::int64_t>> tickets;  ///< game id, unused tickets
    std::vector<GameDrawInfo> undisplayed;                      ///< oldest central listed first

    [[nodiscard]] std::int64_t ticketsFor(const std::string& gameId) const {
        for (const auto& [game, count] : tickets) {
            if (game == gameId) {
                return count;
            }
        }
        return 0;
    }
    /// The game whose play this member could buy now: sold for points they have, and no ticket held
    /// for any game (a held ticket is played first). nullptr: none.
    [[nodiscard]] const GameInfo* playForSale(std::int64_t balance) const {
        for (const auto& [game, count] : tickets) {
            if (count > 0) {
                return nullptr;
            }
        }
        for (const auto& game : games) {
            if (game.ticketPricePoints && *game.ticketPricePoints <= balance) {
                return &game;
            }
        }
        return nullptr;
    }
    /// Central's count of the member's unused tickets of `gameId` after a purchase.
    void setTickets(const std::string& gameId, std::int64_t count) {
        for (auto& [game, held] : tickets) {
            if (game == gameId) {
                held = count;
                return;
            }
        }
        tickets.emplace_back(gameId, count);
    }
};

}  // namespace kiosk
