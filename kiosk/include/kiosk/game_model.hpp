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
};

}  // namespace kiosk
