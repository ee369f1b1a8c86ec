#include "api/admin_api.hpp"

#include <chrono>

#include "api/json_fields.hpp"
#include "ops/access.hpp"

namespace central {

std::vector<Route> adminRoutes(Service& service, loyalty::SteppableClock* testClock) {
    Service* s = &service;
    std::vector<Route> routes{
        {"GET", "/v1/admin/campaign", Auth::Credential, Body::None,
         [s](const http::Request&, const Caller& c, const Json&) { return ok(s->getCampaign(c)); }},
        {"PUT", "/v1/admin/campaign", Auth::Credential, Body::Required,
         [s](const http::Request&, const Caller& c, const Json& b) { return ok(s->putCampaign(c, b)); }},
        {"GET", "/v1/admin/theme", Auth::Credential, Body::None,
         [s](const http::Request&, const Caller& c, const Json&) { return ok(s->getTheme(c)); }},
        {"PUT", "/v1/admin/theme", Auth::Credential, Body::Required,
         [s](const http::Request&, const Caller& c, const Json& b) { return ok(s->putTheme(c, b)); }},
        {"GET", "/v1/admin/rewards", Auth::Credential, Body::None,
         [s](const http::Request&, const Caller& c, const Json&) { return ok(s->listRewards(c)); }},
        {"PUT", "/v1/admin/rewards/{id}", Auth::Credential, Body::Required,
         [s](const http::Request& q, const Caller& c, const Json& b) {
             return ok(s->putReward(c, pathParam(q), b));
         }},
        {"GET", "/v1/admin/stores", Auth::Credential, Body::None,
         [s](const http::Request&, const Caller& c, const Json&) { return ok(s->listStores(c)); }},
        {"PUT", "/v1/admin/stores/{id}", Auth::Credential, Body::Required,
         [s](const http::Request& q, const Caller& c, const Json& b) {
             return ok(s->putStore(c, pathParam(q), b));
         }},
        {"POST", "/v1/admin/members/{phone}/adjust", Auth::Credential, Body::Required,
         [s](const http::Request& q, const Caller& c, const Json& b) {
             return ok(s->adjustMember(c, pathParam(q), b));
         }},
        {"GET", "/v1/admin/reports/points", Auth::Credential, Body::None,
         [s](const http::Request& q, const Caller& c, const Json&) {
             return ok(s->pointsReport(c, q.get_param_value("from"), q.get_param_value("to")));
         }},
    };
    if (testClock == nullptr) return routes;
    // --demo only: an end-to-end test passes days (points expiry) instead of editing stored dates.
    routes.push_back({"POST", "/v1/admin/clock/advance", Auth::Credential, Body::Required,
                      [testClock](const http::Request&, const Caller& c, const Json& b) -> ReplyResult {
                          if (auto admin = requireAdmin(c); !admin) return std::unexpected(admin.error());
                          auto seconds = requireInt(b, "seconds", 1, 100LL * 365 * 86'400);
                          if (!seconds) return std::unexpected(seconds.error());
                          testClock->advance(std::chrono::seconds(*seconds));
                          return Reply{200, Json{{"server_time", testClock->now()}}};
                      }});
    return routes;
}

}  // namespace central
