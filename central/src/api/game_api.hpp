#pragma once
// The JSON face of promo games (docs/api.md "Games"): the admin's game document read strictly (every
// field checked, unknown fields refused: a hostile document is a 400 and nothing is written), the
// kiosk's and admin's answers, and the routes that http_api.cpp registers. Private to central_core.

#include <functional>
#include <string>
#include <vector>

#include "central/service.hpp"
#include "ops/games.hpp"

namespace central {

/// The game of `id` from the admin's JSON document (400 naming the field on anything wrong).
[[nodiscard]] std::expected<Game, ApiError> gameFromJson(std::string_view id, const Json& body);
/// A game as kiosks (and the admin) read it: rules, prizes with odds, the legal fields.
[[nodiscard]] Json gameToJson(const Game& game);
[[nodiscard]] Json drawToJson(const DrawRecord& draw, bool replayed);

/// One route of the games API. `handle` gets the first group of the path pattern (or ""), the query
/// string's parameters it asks for through `param`, the caller and the parsed body.
struct GameRoute {
    const char* method;
    const char* pattern;
    const char* name;  ///< as in metrics and logs
    bool bodyRequired;
    std::function<JsonResult(const std::string& path, const std::function<std::string(const char*)>& param,
                             const Caller& caller, const Json& body)>
        handle;
};
[[nodiscard]] std::vector<GameRoute> gameRoutes(GameOps& games);

}  // namespace central
