#include "api/claims_api.hpp"

#include <array>
#include <optional>
#include <string>
#include <variant>

#include "api/json_fields.hpp"
#include "api/notif_api.hpp"
#include "loyalty/time.hpp"
#include "ops/secrets.hpp"

namespace central {
namespace {

constexpr std::size_t kMaxBatch = 200;

std::string_view lineKind(loyalty::EarnLineKind kind) {
    switch (kind) {
        case loyalty::EarnLineKind::Base:
            return "base";
        case loyalty::EarnLineKind::Items:
            return "items";
        case loyalty::EarnLineKind::TierBonus:
            return "tier_bonus";
        case loyalty::EarnLineKind::Promotion:
            return "promotion";
        case loyalty::EarnLineKind::Cap:
            return "cap";
        case loyalty::EarnLineKind::SignUpBonus:
            return "sign_up_bonus";
    }
    return "base";
}

std::string two(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

ApiError alreadyClaimed(const ClaimTaken& taken) {
    const auto local = loyalty::localDateTime(taken.at);
    const std::string time = two(local.hour) + ":" + two(local.minute);
    const auto& [at, store, kiosk] = taken;
    auto e = apiError("already_claimed", Json{{"claimed_at", at}, {"store", store}, {"kiosk_id", kiosk}});
    e.messageVi = "Hoá đơn này đã được tích điểm ngày " + loyalty::formatLocalDateVi(local.date) + " lúc " +
                  time + " tại cửa hàng " + store + " (kiosk " + kiosk + ").";
    e.messageEn = "This receipt was already claimed on " + loyalty::formatLocalDate(local.date) + " at " +
                  time + " at store " + store + " (kiosk " + kiosk + ").";
    return e;
}

/// An accepted claim's answer as it is stored for replays (without "replayed").
Json acceptedJson(const ClaimAccepted& a) {
    Json breakdown = Json::array();
    for (const auto& line : a.earning.lines)
        breakdown.push_back(Json{{"kind", lineKind(line.kind)},
                                 {"label", line.label.vi},
                                 {"label_en", line.label.en},
                                 {"points", line.points}});
    Json out{{"idempotency_key", a.key},
             {"status", "accepted"},
             {"receipt_id", a.receiptId},
             {"points", a.earning.total},
             {"breakdown", std::move(breakdown)},
             {"explain_vi", a.earning.explain(loyalty::Language::Vietnamese)},
             {"explain_en", a.earning.explain(loyalty::Language::English)},
             {"balance", a.balance},
             {"new_member", a.newMember},
             {"claimed_at", a.claimedAt}};
    addTierFields(out, a.tier.status, a.tier.nextTierAt);
    out["game_tickets"] = a.gameTickets;
    return out;
}

std::string storedAnswer(const ClaimAccepted& accepted) {
    return acceptedJson(accepted).dump();
}

/// One claim of the body, its fields read strictly (400 naming the field).
ClaimInput readClaim(const Json& claim) {
    if (!claim.is_object()) return std::unexpected(invalidField("claims[]", "must be an object"));
    ClaimRequest in;
    auto key = requireString(claim, "idempotency_key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    in.key = std::move(*key);
    auto token = requireString(claim, "token", 1024);
    if (!token) return std::unexpected(token.error());
    in.token = std::move(*token);
    auto phone = requireString(claim, "phone", 32);
    if (!phone) return std::unexpected(phone.error());
    in.phone = std::move(*phone);
    auto kioskTime = optionalInt(claim, "kiosk_time", 0, 4'294'967'295LL);
    if (!kioskTime) return std::unexpected(kioskTime.error());
    in.kioskTime = *kioskTime;
    if (const auto it = claim.find("consent"); it != claim.end() && !it->is_null()) {
        if (!it->is_object()) return std::unexpected(invalidField("consent", "must be an object"));
        auto join = optionalBool(*it, "join", false);
        auto marketing = optionalBool(*it, "marketing", false);
        auto version = optionalString(*it, "text_version", 32);
        if (!join) return std::unexpected(join.error());
        if (!marketing) return std::unexpected(marketing.error());
        if (!version) return std::unexpected(version.error());
        in.consent = ClaimConsent{*join, *marketing, std::move(*version)};
    }
    return in;
}

/// A claim's answer: accepted (live or replayed), or its refusal.
JsonResult answerOf(ClaimResult result) {
    if (!result) return std::unexpected(result.error());
    if (auto* taken = std::get_if<ClaimTaken>(&*result)) return std::unexpected(alreadyClaimed(*taken));
    if (auto* replay = std::get_if<ClaimReplay>(&*result)) {
        auto stored = Json::parse(replay->answer, nullptr, false);
        if (stored.is_discarded() || !stored.is_object()) stored = Json::object();
        stored["replayed"] = true;
        return stored;
    }
    auto live = acceptedJson(std::get<ClaimAccepted>(*result));
    live["replayed"] = false;
    return live;
}

/// Counts one claim by its outcome: "accepted", "replayed", "refused" or "retry".
void countClaim(Metrics& metrics, const ClaimResult& result) {
    if (!result)
        metrics.countClaim(result.error().status >= 500 ? "retry" : "refused");
    else if (std::holds_alternative<ClaimAccepted>(*result))
        metrics.countClaim("accepted");
    else if (std::holds_alternative<ClaimReplay>(*result))
        metrics.countClaim("replayed");
    else
        metrics.countClaim("refused");
}

/// A batch's answers: each claim's answer, or {"status": "refused"|"retry", "error", "idempotency_key"}.
Json batchAnswer(const Json::array_t& claims, std::vector<ClaimResult> results) {
    Json out = Json::array();
    for (std::size_t i = 0; i < claims.size(); ++i) {
        auto answer = answerOf(std::move(results[i]));
        if (answer) {
            out.push_back(std::move(*answer));
            continue;
        }
        Json refused{{"status", answer.error().status >= 500 ? "retry" : "refused"},
                     {"error", answer.error().body()["error"]}};
        if (claims[i].is_object())
            if (const auto key = claims[i].find("idempotency_key");
                key != claims[i].end() && key->is_string())
                refused["idempotency_key"] = *key;
        out.push_back(std::move(refused));
    }
    return out;
}

/// POST /v1/claims: one claim (its answer, or its refusal as the request's) or {"claims": [...]}.
/// The claims answered are counted here; a refused request is counted by its caller.
JsonResult postClaims(ClaimOps& ops, Metrics& metrics, const loyalty::Clock& clock, const Caller& caller,
                      const Json& body) {
    std::optional<std::string> named;
    if (const auto it = body.find("kiosk_id"); it != body.end() && !it->is_null())
        named = it->is_string() ? it->get<std::string>() : std::string();
    if (auto allowed = ops.authorize(caller, named); !allowed) return std::unexpected(allowed.error());
    const auto claimsIt = body.find("claims");
    if (claimsIt == body.end()) {
        const std::array<ClaimInput, 1> one{readClaim(body)};
        auto results = ops.claim(caller, one, storedAnswer);
        if (!results) return std::unexpected(results.error());
        auto& result = results->front();
        const bool replayed = result && std::holds_alternative<ClaimReplay>(*result);
        auto answer = answerOf(std::move(result));
        if (!answer) return answer;
        metrics.countClaim(replayed ? "replayed" : "accepted");
        (*answer)["server_time"] = clock.now();
        return answer;
    }
    if (!claimsIt->is_array() || claimsIt->empty())
        return std::unexpected(invalidField("claims", "must be a non-empty list"));
    if (claimsIt->size() > kMaxBatch) return std::unexpected(apiError("batch_too_large"));
    const auto& claims = claimsIt->get_ref<const Json::array_t&>();
    std::vector<ClaimInput> inputs;
    inputs.reserve(claims.size());
    for (const auto& claim : claims) inputs.push_back(readClaim(claim));
    auto results = ops.claim(caller, inputs, storedAnswer);
    if (!results) return std::unexpected(results.error());
    for (const auto& result : *results) countClaim(metrics, result);
    return Json{{"results", batchAnswer(claims, std::move(*results))}, {"server_time", clock.now()}};
}

}  // namespace

Json memberJson(const MemberView& m) {
    Json history = Json::array();
    for (const auto& entry : m.history)
        // A redemption's reference is its voucher code: a bearer secret, never shown in full here.
        history.push_back(Json{
            {"at", entry.at},
            {"kind", entry.kind},
            {"points", entry.points},
            {"description", entry.kind == "redeem" ? maskedVoucherCode(entry.reference) : entry.reference}});
    Json out{{"phone", m.phone.e164()},       {"masked", m.phone.masked()},
             {"balance", m.balance},          {"pending", 0},
             {"history", std::move(history)}, {"server_time", m.at}};
    if (m.consent) out["consent"] = consentJson(*m.consent);
    addTierFields(out, m.tier.status, m.tier.nextTierAt);
    return out;
}

std::vector<Route> claimsRoutes(Service& service, Metrics& metrics) {
    ClaimOps* ops = &service.claims();
    Metrics* m = &metrics;
    const loyalty::Clock* clock = &service.clock();
    return {
        {"POST", "/v1/claims", Auth::Credential, Body::Required,
         jsonHandler([ops, m, clock](const http::Request&, const Caller& c, const Json& b) {
             auto answer = postClaims(*ops, *m, *clock, c, b);
             if (!answer) m->countClaim(answer.error().status >= 500 ? "retry" : "refused");
             return answer;
         })},
        {"GET", "/v1/members/{phone}", Auth::Credential, Body::None,
         jsonHandler([ops](const http::Request& q, const Caller& c, const Json&) -> JsonResult {
             auto member = ops->member(c, pathParam(q));
             if (!member) return std::unexpected(member.error());
             return memberJson(*member);
         }),
         Limit::Lookup},
    };
}

}  // namespace central
