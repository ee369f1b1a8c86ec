#include "api/claims_api.hpp"

namespace central {
namespace {

/// Counts each claim of an answer (one claim, or a batch's results) by its outcome.
void countClaims(Metrics& metrics, const Json& answer) {
    auto count = [&metrics](const Json& one) {
        const auto status = one.value("status", "");
        metrics.countClaim(status == "accepted" && one.value("replayed", false) ? "replayed" : status);
    };
    if (const auto it = answer.find("results"); it != answer.end())
        for (const auto& one : *it) count(one);
    else
        count(answer);
}

}  // namespace

std::vector<Route> claimsRoutes(Service& service, Metrics& metrics) {
    Service* s = &service;
    Metrics* m = &metrics;
    return {
        {"POST", "/v1/claims", Auth::Credential, Body::Required,
         [s, m](const http::Request&, const Caller& c, const Json& b) -> ReplyResult {
             auto result = s->claims(c, b);
             if (!result) {
                 m->countClaim(result.error().status >= 500 ? "retry" : "refused");
                 return std::unexpected(result.error());
             }
             countClaims(*m, *result);
             return Reply{200, std::move(*result)};
         }},
        {"GET", "/v1/members/{phone}", Auth::Credential, Body::None,
         [s](const http::Request& q, const Caller& c, const Json&) { return ok(s->member(c, pathParam(q))); },
         Limit::Lookup},
    };
}

}  // namespace central
