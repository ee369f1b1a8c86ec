#include "api/game_api.hpp"

#include <set>

#include "api/json_fields.hpp"

namespace central {
namespace {

/// Reads one field; on a refusal returns it from the enclosing function.
#define GAME_READ(var, expr) \
    auto var = (expr);       \
    if (!var) return std::unexpected(var.error())

constexpr std::int64_t kLatestTime = 4'102'444'800;  // 2100-01-01: no game runs longer
constexpr std::size_t kMaxPrizes = 32;
constexpr std::size_t kMaxStores = 1000;
constexpr std::int64_t kMaxBudget = 1'000'000'000;
constexpr std::int64_t kMaxGrant = 100'000;
constexpr std::int64_t kMaxPrice = 10'000'000;  ///< points a play may cost at most
constexpr std::int64_t kMaxAuditPage = 1000;

std::expected<loyalty::LocalizedText, ApiError> readText(const Json& body, const char* vi, const char* en,
                                                         std::size_t maxChars) {
    GAME_READ(textVi, requireString(body, vi, maxChars));
    GAME_READ(textEn, requireString(body, en, maxChars));
    return loyalty::LocalizedText{std::move(*textVi), std::move(*textEn)};
}

std::expected<PrizeBudget, ApiError> readBudget(const Json& prize) {
    const auto it = prize.find("budget");
    if (it == prize.end() || it->is_null()) return PrizeBudget{};
    if (!it->is_object()) return std::unexpected(invalidField("budget", "must be an object"));
    if (auto only = onlyFields(*it, {"per_day", "per_store", "total"}); !only)
        return std::unexpected(only.error());
    GAME_READ(perDay, optionalInt(*it, "per_day", 0, kMaxBudget));
    GAME_READ(perStore, optionalInt(*it, "per_store", 0, kMaxBudget));
    GAME_READ(total, optionalInt(*it, "total", 0, kMaxBudget));
    return PrizeBudget{*perDay, *perStore, *total};
}

/// The fields of a prize's kind (and only those).
std::expected<void, ApiError> readPrizeKind(const Json& json, GamePrize& prize) {
    const std::vector<std::string_view> common{"id", "kind", "name_vi", "name_en", "odds_ppm", "budget"};
    const auto allow = [&](std::initializer_list<std::string_view> extra) {
        std::vector<std::string_view> names = common;
        names.insert(names.end(), extra);
        for (const auto& [key, value] : json.items())
            if (std::find(names.begin(), names.end(), key) == names.end())
                return std::expected<void, ApiError>(
                    std::unexpected(apiError("unknown_field", Json{{"field", key}})));
        return std::expected<void, ApiError>{};
    };
    switch (prize.kind) {
        case PrizeKind::Points: {
            GAME_READ(points, requireInt(json, "points", 1, 1'000'000));
            prize.points = *points;
            return allow({"points"});
        }
        case PrizeKind::Reward: {
            GAME_READ(reward, requireString(json, "reward_id", loyalty::kMaxRewardIdChars));
            if (!loyalty::isValidRewardId(*reward))
                return std::unexpected(invalidField("reward_id", "1-16 of A-Z 0-9 -"));
            prize.rewardId = *reward;
            return allow({"reward_id"});
        }
        case PrizeKind::Gift: {
            GAME_READ(value, requireInt(json, "value_dong", 0, loyalty::kMaxDong.value));
            GAME_READ(days, requireInt(json, "voucher_validity_days", 1, 365));
            prize.valueDong = *value;
            prize.voucherValidityDays = static_cast<std::uint32_t>(*days);
            return allow({"value_dong", "voucher_validity_days"});
        }
        case PrizeKind::Nothing:
            return allow({});
    }
    return {};
}

std::expected<GamePrize, ApiError> readPrize(const Json& json) {
    if (!json.is_object()) return std::unexpected(invalidField("prizes[]", "must be an object"));
    GamePrize prize;
    GAME_READ(id, requireString(json, "id", loyalty::kMaxRewardIdChars));
    if (!loyalty::isValidRewardId(*id))
        return std::unexpected(invalidField("prizes[].id", "1-16 of A-Z 0-9 -"));
    prize.id = *id;
    GAME_READ(kindText, requireString(json, "kind", 16));
    const auto kind = prizeKindFromCode(*kindText);
    if (!kind) return std::unexpected(invalidField("kind", "points, reward, gift or nothing"));
    prize.kind = *kind;
    GAME_READ(name, readText(json, "name_vi", "name_en", 200));
    prize.name = std::move(*name);
    GAME_READ(odds, requireInt(json, "odds_ppm", 1, kOddsScale));
    prize.oddsPpm = static_cast<std::uint32_t>(*odds);
    GAME_READ(budget, readBudget(json));
    prize.budget = *budget;
    if (auto fields = readPrizeKind(json, prize); !fields) return std::unexpected(fields.error());
    return prize;
}

std::expected<std::vector<GamePrize>, ApiError> readPrizes(const Json& body) {
    const auto it = body.find("prizes");
    if (it == body.end() || !it->is_array() || it->empty() || it->size() > kMaxPrizes)
        return std::unexpected(invalidField("prizes", "an array of 1-32 prizes"));
    std::vector<GamePrize> prizes;
    std::set<std::string> ids;
    std::uint64_t odds = 0;
    for (const auto& one : *it) {
        GAME_READ(prize, readPrize(one));
        if (!ids.insert(prize->id).second) return std::unexpected(invalidField("prizes[].id", "duplicate"));
        odds += prize->oddsPpm;
        prizes.push_back(std::move(*prize));
    }
    if (odds > kOddsScale)
        return std::unexpected(invalidField("odds_ppm", "the prizes' odds exceed 1 000 000"));
    return prizes;
}

std::expected<std::vector<std::string>, ApiError> readStores(const Json& body) {
    const auto it = body.find("stores");
    if (it == body.end() || !it->is_array() || it->empty() || it->size() > kMaxStores)
        return std::unexpected(invalidField("stores", "an array of 1-1000 store ids"));
    std::set<std::string> stores;
    for (const auto& store : *it) {
        if (!store.is_string() || !isToken(store.get<std::string>(), 16))
            return std::unexpected(invalidField("stores[]", "1-16 of A-Z a-z 0-9 - _"));
        if (!stores.insert(store.get<std::string>()).second)
            return std::unexpected(invalidField("stores[]", "duplicate"));
    }
    return std::vector<std::string>(stores.begin(), stores.end());
}

std::expected<loyalty::PhoneNumber, ApiError> readPhone(const Json& body) {
    GAME_READ(text, requireString(body, "phone", 32));
    return parsePhoneField(*text);
}

std::expected<std::string, ApiError> readKey(const Json& body) {
    GAME_READ(key, requireString(body, "idempotency_key", 64));
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    return *key;
}

Json budgetJson(const PrizeBudget& b) {
    Json out = Json::object();
    if (b.perDay) out["per_day"] = *b.perDay;
    if (b.perStore) out["per_store"] = *b.perStore;
    if (b.total) out["total"] = *b.total;
    return out;
}

std::int64_t queryInt(const std::string& text, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        return fallback;
    return std::clamp<std::int64_t>(std::stoll(text), min, max);
}

}  // namespace

std::expected<Game, ApiError> gameFromJson(std::string_view id, const Json& body) {
    if (!body.is_object()) return std::unexpected(invalidField("body", "must be an object"));
    if (auto only = onlyFields(
            body, {"type", "name_vi", "name_en", "starts_at", "ends_at", "stores", "registration_number",
                   "prize_structure_vi", "prize_structure_en", "ticket_min_receipt_dong", "daily_play_limit",
                   "ticket_price_points", "prizes"});
        !only)
        return std::unexpected(only.error());
    Game game;
    if (!loyalty::isValidRewardId(id)) return std::unexpected(invalidField("id", "1-16 of A-Z 0-9 -"));
    game.id = std::string(id);
    GAME_READ(typeText, requireString(body, "type", 16));
    const auto type = gameTypeFromCode(*typeText);
    if (!type) return std::unexpected(invalidField("type", "wheel or scratch"));
    game.type = *type;
    GAME_READ(name, readText(body, "name_vi", "name_en", 200));
    game.name = std::move(*name);
    GAME_READ(starts, requireInt(body, "starts_at", 0, kLatestTime));
    GAME_READ(ends, requireInt(body, "ends_at", 0, kLatestTime));
    if (*ends <= *starts) return std::unexpected(invalidField("ends_at", "must be after starts_at"));
    game.startsAt = *starts;
    game.endsAt = *ends;
    GAME_READ(stores, readStores(body));
    game.stores = std::move(*stores);
    GAME_READ(registration, requireString(body, "registration_number", 64));
    game.registrationNumber = std::move(*registration);
    GAME_READ(structure, readText(body, "prize_structure_vi", "prize_structure_en", 4000));
    game.prizeStructure = std::move(*structure);
    GAME_READ(threshold, requireInt(body, "ticket_min_receipt_dong", 0, loyalty::kMaxDong.value));
    game.ticketMinReceiptDong = *threshold;
    GAME_READ(limit, requireInt(body, "daily_play_limit", 1, kMaxGrant));
    game.dailyPlayLimit = static_cast<std::uint32_t>(*limit);
    GAME_READ(price, optionalInt(body, "ticket_price_points", 1, kMaxPrice));
    game.ticketPricePoints = *price;
    GAME_READ(prizes, readPrizes(body));
    game.prizes = std::move(*prizes);
    return game;
}

Json gameToJson(const Game& g) {
    Json prizes = Json::array();
    std::uint64_t odds = 0;
    for (const auto& p : g.prizes) {
        Json prize{{"id", p.id},           {"kind", prizeKindCode(p.kind)}, {"name_vi", p.name.vi},
                   {"name_en", p.name.en}, {"odds_ppm", p.oddsPpm},         {"budget", budgetJson(p.budget)}};
        if (p.kind == PrizeKind::Points) prize["points"] = p.points;
        if (p.kind == PrizeKind::Reward) prize["reward_id"] = p.rewardId;
        if (p.kind == PrizeKind::Gift) {
            prize["value_dong"] = p.valueDong;
            prize["voucher_validity_days"] = p.voucherValidityDays;
        }
        odds += p.oddsPpm;
        prizes.push_back(std::move(prize));
    }
    return Json{{"id", g.id},
                {"type", gameTypeCode(g.type)},
                {"name_vi", g.name.vi},
                {"name_en", g.name.en},
                {"starts_at", g.startsAt},
                {"ends_at", g.endsAt},
                {"stores", g.stores},
                {"registration_number", g.registrationNumber},
                {"prize_structure_vi", g.prizeStructure.vi},
                {"prize_structure_en", g.prizeStructure.en},
                {"ticket_min_receipt_dong", g.ticketMinReceiptDong},
                {"daily_play_limit", g.dailyPlayLimit},
                {"ticket_price_points", g.ticketPricePoints ? Json(*g.ticketPricePoints) : Json()},
                {"prizes", std::move(prizes)},
                {"nothing_odds_ppm", kOddsScale - odds}};
}

Json drawToJson(const DrawRecord& d, bool replayed) {
    Json out{{"draw_id", d.drawId},
             {"idempotency_key", d.key},
             {"game_id", d.gameId},
             {"kiosk_id", d.kioskId},
             {"store", d.storeId},
             {"ticket_id", d.ticketId},
             {"random_value", d.randomValue},
             {"drawn_prize_id", d.drawnPrizeId},
             {"prize_id", d.prizeId},
             {"kind", prizeKindCode(d.kind)},
             {"name_vi", d.prizeName.vi},
             {"name_en", d.prizeName.en},
             {"points", d.points},
             {"value_dong", d.valueDong},
             {"balance", d.balance},
             {"drawn_at", d.drawnAt},
             {"displayed_at", d.displayedAt ? Json(*d.displayedAt) : Json()},
             {"replayed", replayed}};
    if (auto phone = parsePhoneField(d.phoneE164)) out["masked_phone"] = phone->masked();
    if (d.voucherCode)
        out["voucher"] = Json{{"code", *d.voucherCode},
                              {"qr_payload", d.voucherPayload.value_or("")},
                              {"value_dong", d.valueDong},
                              {"expires_at", d.voucherExpiresAt.value_or(0)}};
    return out;
}

namespace {

void addAdminRoutes(std::vector<Route>& routes, GameOps& games) {
    routes.push_back(
        {"PUT", "/v1/admin/games/{id}", Auth::Credential, Body::Required,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json& b) -> JsonResult {
             const auto id = pathParam(q);
             GAME_READ(game, gameFromJson(id, b));
             GAME_READ(saved, games.configure(c, *game));
             return Json{{"game", gameToJson(*saved)}};
         })});
    routes.push_back({"GET", "/v1/admin/games", Auth::Credential, Body::None,
                      jsonHandler([&games](const http::Request&, const Caller& c, const Json&) -> JsonResult {
                          GAME_READ(all, games.listAll(c));
                          Json out = Json::array();
                          for (const auto& state : *all) {
                              Json game = gameToJson(state.game);
                              game["budget_used"] = Json::array();
                              for (const auto& use : state.budgets)
                                  game["budget_used"].push_back(
                                      {{"prize_id", use.prizeId}, {"scope", use.scope}, {"used", use.used}});
                              out.push_back(std::move(game));
                          }
                          return Json{{"games", std::move(out)}};
                      })});
    routes.push_back(
        {"POST", "/v1/admin/games/{id}/tickets", Auth::Credential, Body::Required,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json& b) -> JsonResult {
             const auto id = pathParam(q);
             if (auto only = onlyFields(b, {"phone", "idempotency_key", "count"}); !only)
                 return std::unexpected(only.error());
             GAME_READ(phone, readPhone(b));
             GAME_READ(key, readKey(b));
             GAME_READ(count, requireInt(b, "count", 1, kMaxGrant));
             GAME_READ(added, games.grantTickets(c, id, *phone, *key, *count));
             return Json{{"added", *added}};
         })});
    routes.push_back(
        {"GET", "/v1/admin/games/{id}/draws", Auth::Credential, Body::None,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json&) -> JsonResult {
             const auto id = pathParam(q);
             const auto after = queryInt(q.get_param_value("after"), 0, 0, INT64_MAX);
             const auto limit = queryInt(q.get_param_value("limit"), kMaxAuditPage, 1, kMaxAuditPage);
             GAME_READ(draws, games.audit(c, id, after, limit));
             Json out = Json::array();
             for (const auto& d : *draws) {
                 Json row = drawToJson(d, false);
                 row["member_id"] = d.memberId;
                 out.push_back(std::move(row));
             }
             return Json{{"draws", std::move(out)}};
         })});
}

void addKioskRoutes(std::vector<Route>& routes, GameOps& games) {
    routes.push_back({"GET", "/v1/games", Auth::Credential, Body::None,
                      jsonHandler([&games](const http::Request&, const Caller& c, const Json&) -> JsonResult {
                          GAME_READ(active, games.active(c));
                          Json out = Json::array();
                          for (const auto& g : *active) out.push_back(gameToJson(g));
                          return Json{{"games", std::move(out)}};
                      })});
    routes.push_back(
        {"GET", "/v1/members/{phone}/games", Auth::Credential, Body::None,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json&) -> JsonResult {
             const auto phoneText = pathParam(q);
             GAME_READ(phone, parsePhoneField(phoneText));
             GAME_READ(member, games.member(c, *phone));
             Json tickets = Json::array();
             for (const auto& [game, count] : member->tickets)
                 tickets.push_back({{"game_id", game}, {"count", count}});
             Json draws = Json::array();
             for (const auto& d : member->draws) draws.push_back(drawToJson(d, false));
             return Json{{"tickets", std::move(tickets)}, {"draws", std::move(draws)}};
         })});
    routes.push_back(
        {"POST", "/v1/games/{id}/draws", Auth::Credential, Body::Required,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json& b) -> JsonResult {
             const auto id = pathParam(q);
             if (auto only = onlyFields(b, {"phone", "idempotency_key"}); !only)
                 return std::unexpected(only.error());
             GAME_READ(phone, readPhone(b));
             GAME_READ(key, readKey(b));
             GAME_READ(drawn, games.draw(c, {*key, *phone, id}));
             return drawToJson(drawn->record, drawn->replayed);
         })});
    routes.push_back(
        {"POST", "/v1/games/{id}/tickets", Auth::Credential, Body::Required,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json& b) -> JsonResult {
             const auto id = pathParam(q);
             if (auto only = onlyFields(b, {"phone", "idempotency_key", "otp"}); !only)
                 return std::unexpected(only.error());
             GAME_READ(phone, readPhone(b));
             GAME_READ(key, readKey(b));
             GAME_READ(otp, requireString(b, "otp", 16));
             GAME_READ(bought, games.buyTicket(c, {*key, *phone, id, *otp}));
             return Json{{"game_id", id},
                         {"points_spent", bought->price},
                         {"balance", bought->balance},
                         {"tickets", bought->tickets},
                         {"replayed", bought->replayed}};
         })});
    routes.push_back(
        {"POST", "/v1/games/draws/{key}/displayed", Auth::Credential, Body::Required,
         jsonHandler([&games](const http::Request& q, const Caller& c, const Json& b) -> JsonResult {
             const auto key = pathParam(q);
             if (auto only = onlyFields(b, {"phone"}); !only) return std::unexpected(only.error());
             GAME_READ(phone, readPhone(b));
             GAME_READ(shown, games.displayed(c, *phone, key));
             return Json::object();
         })});
}

}  // namespace

std::vector<Route> gameRoutes(GameOps& games) {
    std::vector<Route> routes;
    addAdminRoutes(routes, games);
    addKioskRoutes(routes, games);
    return routes;
}

}  // namespace central
