#include "api/fleet_api.hpp"

#include <cstdint>
#include <memory>

#include "api/release_api.hpp"
#include "ops/rollout.hpp"

namespace central {
namespace {

/// Releases and rollouts (docs/api.md, "Releases and rollouts"): bundles upload in chunks under the
/// body cap; kiosks download them with Range.
void addReleaseRoutes(std::vector<Route>& routes, const std::shared_ptr<ReleaseApi>& api) {
    routes.push_back({"PUT", "/v1/admin/bundles/{sha256:[0-9a-f]{64}}/chunks/{n:[0-9]{1,4}}",
                      Auth::Credential, Body::None,
                      [api](const http::Request& q, const Caller& c, const Json&) {
                          return ok(api->putChunk(c, pathParam(q, 1), pathParam(q, 2), q.body));
                      }});
    routes.push_back(
        {"POST", "/v1/admin/releases", Auth::Credential, Body::Required,
         [api](const http::Request&, const Caller& c, const Json& b) { return ok(api->publish(c, b)); }});
    routes.push_back(
        {"GET", "/v1/admin/releases", Auth::Credential, Body::None,
         [api](const http::Request&, const Caller& c, const Json&) { return ok(api->releases(c)); }});
    routes.push_back({"POST", "/v1/admin/rollouts", Auth::Credential, Body::Required,
                      [api](const http::Request&, const Caller& c, const Json& b) {
                          return ok(api->createRollout(c, b));
                      }});
    routes.push_back({"GET", "/v1/admin/rollouts/{id:[0-9]{1,18}}", Auth::Credential, Body::None,
                      [api](const http::Request& q, const Caller& c, const Json&) {
                          return ok(api->rollout(c, pathParam(q)));
                      }});
    routes.push_back({"POST", "/v1/admin/rollouts/{id:[0-9]{1,18}}/{action:pause|resume|abort}",
                      Auth::Credential, Body::Optional,
                      [api](const http::Request& q, const Caller& c, const Json&) {
                          return ok(api->act(c, pathParam(q, 1), pathParam(q, 2)));
                      }});
    routes.push_back({"GET", "/v1/releases/{id:[0-9]{1,18}}/manifest", Auth::Credential, Body::None,
                      [api](const http::Request& q, const Caller& c, const Json&) -> ReplyResult {
                          auto text = api->manifest(c, pathParam(q));
                          if (!text) return std::unexpected(text.error());
                          return Reply{200, Json(), {}, std::move(*text), "text/plain; charset=utf-8"};
                      }});
    routes.push_back(
        {"GET", "/v1/releases/{id:[0-9]{1,18}}/bundle", Auth::Credential, Body::None,
         [api](const http::Request& q, const Caller& c, const Json&) -> ReplyResult {
             auto range = api->bundle(c, pathParam(q), q.get_header_value("Range"));
             if (!range) return std::unexpected(range.error());
             const auto last = range->first + static_cast<std::int64_t>(range->bytes.size()) - 1;
             if (range->first == 0 && last + 1 == range->total)
                 return Reply{200, Json(), {}, std::move(range->bytes), "application/octet-stream"};
             return Reply{206,
                          Json(),
                          {},
                          std::move(range->bytes),
                          "application/octet-stream",
                          "bytes " + std::to_string(range->first) + "-" + std::to_string(last) + "/" +
                              std::to_string(range->total)};
         }});
}

/// Head office's view of the fleet: enrollment codes, the kiosks, revocation, remote commands.
void addAdminRoutes(std::vector<Route>& routes, Service* s) {
    routes.push_back({"POST", "/v1/admin/enrollment-codes", Auth::Credential, Body::Required,
                      [s](const http::Request&, const Caller& c, const Json& b) {
                          return ok(s->createEnrollmentCode(c, b));
                      }});
    routes.push_back(
        {"GET", "/v1/admin/kiosks", Auth::Credential, Body::None,
         [s](const http::Request&, const Caller& c, const Json&) { return ok(s->listKiosks(c)); }});
    routes.push_back({"POST", "/v1/admin/kiosks/{id}/revoke", Auth::Credential, Body::Optional,
                      [s](const http::Request& q, const Caller& c, const Json&) {
                          return ok(s->revokeKiosk(c, pathParam(q)));
                      }});
    routes.push_back({"POST", "/v1/admin/kiosks/{id}/commands", Auth::Credential, Body::Required,
                      [s](const http::Request& q, const Caller& c, const Json& b) {
                          return ok(s->queueCommand(c, pathParam(q), b));
                      }});
}

}  // namespace

std::vector<Route> fleetRoutes(Service& service) {
    Service* s = &service;
    auto rollouts = std::make_shared<Rollouts>(service.database(), service.clock());
    auto releases = std::make_shared<ReleaseApi>(*rollouts);
    std::vector<Route> routes{
        {"POST", "/v1/kiosks/enroll", Auth::Open, Body::Required,
         [s](const http::Request&, const Caller&, const Json& b) { return ok(s->enroll(b)); }, Limit::Enroll},
        {"GET", "/v1/kiosks/{id}/config", Auth::Credential, Body::None,
         [s](const http::Request& q, const Caller& c, const Json&) -> ReplyResult {
             auto config = s->kioskConfig(c, pathParam(q));
             if (!config) return std::unexpected(config.error());
             if (q.get_header_value("If-None-Match") == config->etag) return Reply{304, Json(), config->etag};
             return Reply{200, std::move(config->body), config->etag};
         }},
        // Holds `rollouts`, which `releases` refers to, for as long as the routes live.
        {"POST", "/v1/kiosks/{id}/heartbeat", Auth::Credential, Body::Optional,
         [s, rollouts, releases](const http::Request& q, const Caller& c, const Json& b) -> ReplyResult {
             auto answer = s->heartbeat(c, pathParam(q), b);
             if (!answer) return std::unexpected(answer.error());
             auto update = releases->heartbeat(c, b);
             if (!update) return std::unexpected(update.error());
             (*answer)["update"] = std::move(*update);
             return Reply{200, std::move(*answer)};
         }},
    };
    addReleaseRoutes(routes, releases);
    addAdminRoutes(routes, s);
    return routes;
}

}  // namespace central
