// CentralClient's promo-game calls (docs/api.md "Promo games"). Every answer is read strictly: a
// game or a draw that does not make sense is a BadResponse, never something the kiosk would animate.

#include <utility>

#include "json_read.hpp"
#include "network/games.hpp"

namespace net {
namespace {

/// `<key>_vi` and `<key>_en`; English falls back to Vietnamese (central may leave it out).
loyalty::LocalizedText localized(const Json& item, const std::string& key) {
    loyalty::LocalizedText text{readStringOr(item, (key + "_vi").c_str()), {}};
    text.en = readStringOr(item, (key + "_en").c_str(), text.vi);
    return text;
}

bool isPrizeKind(const std::string& kind) {
    return kind == "points" || kind == "reward" || kind == "gift" || kind == "nothing";
}

std::optional<GamePrize> parsePrize(const Json& item) {
    if (!item.is_object()) return std::nullopt;
    GamePrize prize;
    auto id = readString(item, "id");
    auto kind = readString(item, "kind");
    const auto odds = readInt(item, "odds_ppm");
    if (!id || id->empty() || !kind || !isPrizeKind(*kind) || !odds || *odds < 1 || *odds > kOddsScale)
        return std::nullopt;
    prize.id = std::move(*id);
    prize.kind = std::move(*kind);
    prize.oddsPpm = *odds;
    prize.name = localized(item, "name");
    prize.points = readInt(item, "points").value_or(0);
    prize.valueDong = readInt(item, "value_dong").value_or(0);
    if (prize.points < 0 || prize.valueDong < 0) return std::nullopt;
    return prize;
}

/// A game the kiosk can show: its legal fields present and its odds adding up.
std::optional<Game> parseGame(const Json& item) {
    if (!item.is_object()) return std::nullopt;
    Game game;
    auto id = readString(item, "id");
    auto type = readString(item, "type");
    auto registration = readString(item, "registration_number");
    const auto nothing = readInt(item, "nothing_odds_ppm");
    const auto prizes = item.find("prizes");
    if (!id || !isSafePathSegment(*id, 64) || !type || (*type != "wheel" && *type != "scratch") ||
        !registration || registration->empty() || !nothing || *nothing < 0 || prizes == item.end() ||
        !prizes->is_array() || prizes->empty() || prizes->size() > kMaxGamePrizes)
        return std::nullopt;
    std::int64_t odds = *nothing;
    for (const auto& p : *prizes) {
        auto prize = parsePrize(p);
        if (!prize) return std::nullopt;
        odds += prize->oddsPpm;
        game.prizes.push_back(std::move(*prize));
    }
    if (odds != kOddsScale) return std::nullopt;
    game.id = std::move(*id);
    game.type = std::move(*type);
    game.registrationNumber = std::move(*registration);
    game.nothingOddsPpm = *nothing;
    game.name = localized(item, "name");
    game.prizeStructure = localized(item, "prize_structure");
    game.dailyPlayLimit = readInt(item, "daily_play_limit").value_or(0);
    game.endsAt = readInt(item, "ends_at").value_or(0);
    if (const auto price = item.find("ticket_price_points"); price != item.end() && !price->is_null()) {
        game.ticketPricePoints = readInt(item, "ticket_price_points");
        if (!game.ticketPricePoints || *game.ticketPricePoints < 1) return std::nullopt;
    }
    return game;
}

std::optional<GameVoucher> parseVoucher(const Json& item) {
    if (!item.is_object()) return std::nullopt;
    auto code = readString(item, "code");
    auto qr = readString(item, "qr_payload");
    if (!code || code->empty() || !qr || qr->empty()) return std::nullopt;
    return GameVoucher{std::move(*code), std::move(*qr), readInt(item, "value_dong").value_or(0),
                       readInt(item, "expires_at").value_or(0)};
}

std::optional<GameDraw> parseDraw(const Json& item) {
    if (!item.is_object()) return std::nullopt;
    GameDraw draw;
    auto key = readString(item, "idempotency_key");
    auto game = readString(item, "game_id");
    auto prize = readString(item, "prize_id");
    const auto balance = readInt(item, "balance");
    if (!key || key->empty() || !game || !prize || !balance) return std::nullopt;
    draw.idempotencyKey = std::move(*key);
    draw.gameId = std::move(*game);
    draw.prizeId = std::move(*prize);
    draw.kind = draw.prizeId.empty() ? "nothing" : readStringOr(item, "kind");
    if (!isPrizeKind(draw.kind)) return std::nullopt;
    draw.name = localized(item, "name");
    draw.points = readInt(item, "points").value_or(0);
    draw.valueDong = readInt(item, "value_dong").value_or(0);
    draw.balance = *balance;
    draw.drawnAt = readInt(item, "drawn_at").value_or(0);
    const auto displayed = item.find("displayed_at");
    draw.displayed = displayed != item.end() && !displayed->is_null();
    draw.replayed = readBool(item, "replayed").value_or(false);
    if (const auto voucher = item.find("voucher"); voucher != item.end()) {
        draw.voucher = parseVoucher(*voucher);
        if (!draw.voucher) return std::nullopt;
    }
    // A voucher prize without its voucher could not be printed: never show it as won.
    if ((draw.kind == "reward" || draw.kind == "gift") && !draw.voucher) return std::nullopt;
    if (draw.points < 0) return std::nullopt;
    return draw;
}

Result<void> needPhone(const std::string& phone) {
    if (!isSafePathSegment(phone, 20))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not a phone number"));
    return {};
}

}  // namespace

Result<GameList> CentralClient::games() {
    GameList list;
    auto json = jsonCall("GET", "/v1/games", nullptr, list);
    if (!json) return std::unexpected(json.error());
    const auto games = json->find("games");
    if (games == json->end() || !games->is_array())
        return std::unexpected(badResponse("games that are not a list"));
    for (const auto& item : *games) {
        auto game = parseGame(item);
        if (!game) return std::unexpected(badResponse("a malformed game"));
        list.games.push_back(std::move(*game));
    }
    return list;
}

Result<MemberGames> CentralClient::memberGames(const std::string& phone) {
    if (auto ok = needPhone(phone); !ok) return std::unexpected(ok.error());
    MemberGames answer;
    auto json = jsonCall("GET", "/v1/members/" + phone + "/games", nullptr, answer);
    if (!json) return std::unexpected(json.error());
    const auto tickets = json->find("tickets");
    const auto draws = json->find("draws");
    if (tickets == json->end() || !tickets->is_array() || draws == json->end() || !draws->is_array())
        return std::unexpected(badResponse("a member's games without tickets and draws"));
    for (const auto& item : *tickets) {
        auto game = item.is_object() ? readString(item, "game_id") : std::nullopt;
        const auto count = item.is_object() ? readInt(item, "count") : std::nullopt;
        if (!game || !count || *count < 0) return std::unexpected(badResponse("malformed tickets"));
        answer.tickets.push_back(GameTickets{std::move(*game), *count});
    }
    for (const auto& item : *draws) {
        auto draw = parseDraw(item);
        if (!draw) return std::unexpected(badResponse("a malformed draw"));
        answer.draws.push_back(std::move(*draw));
    }
    return answer;
}

Result<DrawAnswer> CentralClient::draw(const std::string& gameId, const std::string& phone,
                                       const std::string& idempotencyKey) {
    if (auto ok = needPhone(phone); !ok) return std::unexpected(ok.error());
    if (!isSafePathSegment(gameId, 64) || !isSafePathSegment(idempotencyKey, 64))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not a game id or idempotency key"));
    const Json body{{"phone", phone}, {"idempotency_key", idempotencyKey}};
    DrawAnswer answer;
    auto json = jsonCall("POST", "/v1/games/" + gameId + "/draws", &body, answer);
    if (!json) return std::unexpected(json.error());
    auto draw = parseDraw(*json);
    if (!draw || draw->idempotencyKey != idempotencyKey || draw->gameId != gameId)
        return std::unexpected(badResponse("a draw that is not the one asked for"));
    answer.draw = std::move(*draw);
    return answer;
}

Result<TicketPurchase> CentralClient::buyTicket(const std::string& gameId, const std::string& phone,
                                                const std::string& otp, const std::string& idempotencyKey) {
    if (auto ok = needPhone(phone); !ok) return std::unexpected(ok.error());
    if (!isSafePathSegment(gameId, 64) || !isSafePathSegment(idempotencyKey, 64) || otp.empty() ||
        otp.size() > 16)
        return std::unexpected(
            makeError(ErrorKind::InvalidRequest, "not a game id, code or idempotency key"));
    const Json body{{"phone", phone}, {"idempotency_key", idempotencyKey}, {"otp", otp}};
    TicketPurchase answer;
    auto json = jsonCall("POST", "/v1/games/" + gameId + "/tickets", &body, answer);
    if (!json) return std::unexpected(json.error());
    const auto spent = readInt(*json, "points_spent");
    const auto balance = readInt(*json, "balance");
    const auto tickets = readInt(*json, "tickets");
    if (readStringOr(*json, "game_id") != gameId || !spent || *spent < 1 || !balance || *balance < 0 ||
        !tickets || *tickets < 1)
        return std::unexpected(badResponse("a purchase that is not the one asked for"));
    answer.gameId = gameId;
    answer.pointsSpent = *spent;
    answer.balance = *balance;
    answer.tickets = *tickets;
    answer.replayed = readBool(*json, "replayed").value_or(false);
    return answer;
}

Result<Answer> CentralClient::markDisplayed(const std::string& idempotencyKey, const std::string& phone) {
    if (auto ok = needPhone(phone); !ok) return std::unexpected(ok.error());
    if (!isSafePathSegment(idempotencyKey, 64))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not an idempotency key"));
    const Json body{{"phone", phone}};
    Answer answer;
    auto json = jsonCall("POST", "/v1/games/draws/" + idempotencyKey + "/displayed", &body, answer);
    if (!json) return std::unexpected(json.error());
    return answer;
}

}  // namespace net
