#pragma once
// The JSON face of promo games (docs/api.md "Games"): the admin's game document read strictly (every
// field checked, unknown fields refused: a hostile document is a 400 and nothing is written), the
// kiosk's and admin's answers, and its routes. Private to central_core.

#include <string>
#include <vector>

#include "api/route.hpp"
#include "central/service.hpp"
#include "ops/games.hpp"

namespace central {

/// The game of `id` from the admin's JSON document (400 naming the field on anything wrong).
[[nodiscard]] std::expected<Game, ApiError> gameFromJson(std::string_view id, const Json& body);
/// A game as kiosks (and the admin) read it: rules, prizes with odds, the legal fields.
[[nodiscard]] Json gameToJson(const Game& game);
[[nodiscard]] Json drawToJson(const DrawRecord& draw, bool replayed);

/// The games routes (kiosks' and head office's); `games` must outlive them.
[[nodiscard]] std::vector<Route> gameRoutes(GameOps& games);

}  // namespace central
