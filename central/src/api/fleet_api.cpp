#include "api/fleet_api.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "api/json_fields.hpp"
#include "api/release_api.hpp"
#include "loyalty/credential.hpp"
#include "ops/catalog.hpp"
#include "ops/fleet.hpp"
#include "ops/rollout.hpp"
#include "ops/secrets.hpp"

namespace central {
namespace {

constexpr std::int64_t kMaxEnrollmentHours = 24 * 90;
constexpr std::array<std::string_view, 3> kCommands{"resync", "reload_config", "out_of_service"};
constexpr std::size_t kMaxServiceMessage = 200;

/// The kiosk configuration document and its ETag.
struct KioskConfig {
    Json body;
    std::string etag;  ///< quoted, as sent in the ETag header
};

EnrollInput readEnroll(const Json& body) {
    auto code = requireString(body, "enrollment_code", 64);
    if (!code) return std::unexpected(code.error());
    auto wanted = optionalString(body, "kiosk_id", 32);
    if (!wanted) return std::unexpected(wanted.error());
    if (*wanted && !isToken(**wanted, 32))
        return std::unexpected(invalidField("kiosk_id", "1-32 of A-Z a-z 0-9 - _"));
    auto proposed = optionalString(body, "credential", 128);
    if (!proposed) return std::unexpected(proposed.error());
    if (*proposed && !loyalty::isStrongCredential(**proposed))
        return std::unexpected(invalidField("credential", std::string(loyalty::kCredentialShape)));
    return EnrollRequest{std::move(*code), std::move(*wanted), std::move(*proposed)};
}

JsonResult enrolledJson(std::expected<Enrolled, ApiError> done) {
    if (!done) return std::unexpected(done.error());
    return Json{{"kiosk_id", done->kioskId}, {"store", done->store}, {"credential", done->credential}};
}

/// The configuration document and its ETag, which covers everything but server_time: equal
/// documents, equal tags, across processes.
std::expected<KioskConfig, ApiError> configDocument(std::expected<ConfigParts, ApiError> parts) {
    if (!parts) return std::unexpected(parts.error());
    const Catalog& cat = *parts->catalog;
    Json staff = Json::array();
    for (const auto& m : parts->staff)
        staff.push_back(Json{{"staff_id", m.id}, {"name", m.name}, {"pin_hash", m.pinHash}});
    Json body{{"kiosk_id", parts->kioskId},
              {"store", parts->store},
              {"campaign_toml", cat.campaignToml},
              {"tiers_toml", cat.tiersToml},
              {"rewards", cat.rewardsJson},
              {"store_keys", cat.storeKeys},
              {"voucher_public_key", parts->voucherPublicKey},
              {"texts", {{"consent_text_version", parts->consentTextVersion}}},
              {"theme", cat.theme},
              {"staff", std::move(staff)}};
    const std::string version = sha256Hex(body.dump()).substr(0, 32);
    body["config_version"] = version;
    body["server_time"] = parts->at;
    return KioskConfig{std::move(body), "\"" + version + "\""};
}

HeartbeatInput readHeartbeat(const Json& body) {
    auto version = optionalString(body, "version", 64);
    if (!version) return std::unexpected(version.error());
    auto uptime = optionalInt(body, "uptime_s", 0, 100LL * 365 * 86'400);
    if (!uptime) return std::unexpected(uptime.error());
    auto depth = optionalInt(body, "outbox_depth", 0, 1'000'000'000);
    if (!depth) return std::unexpected(depth.error());
    Json health = Json::object();
    if (const auto it = body.find("health"); it != body.end() && !it->is_null()) {
        if (!it->is_object() || it->size() > 32)
            return std::unexpected(invalidField("health", "an object of strings"));
        for (const auto& [name, value] : it->items()) {
            if (!value.is_string() || name.size() > 32 || value.get<std::string>().size() > 64)
                return std::unexpected(invalidField("health", "an object of short strings"));
            health[name] = value;
        }
    }
    return FleetStore::Health{version->value_or(""), uptime->value_or(0), depth->value_or(0), health.dump()};
}

JsonResult heartbeatJson(std::expected<HeartbeatTaken, ApiError> taken) {
    if (!taken) return std::unexpected(taken.error());
    Json list = Json::array();
    for (const auto& command : taken->commands)
        list.push_back(command.starts_with('{') ? Json::parse(command, nullptr, false) : Json(command));
    return Json{{"commands", std::move(list)}, {"server_time", taken->at}};
}

EnrollmentCodeInput readEnrollmentCode(const Json& body) {
    if (auto ok = onlyFields(body, {"kiosk_id", "store", "valid_hours"}); !ok)
        return std::unexpected(ok.error());
    auto kioskId = requireString(body, "kiosk_id", 32);
    if (!kioskId) return std::unexpected(kioskId.error());
    if (!isToken(*kioskId, 32)) return std::unexpected(invalidField("kiosk_id", "1-32 of A-Z a-z 0-9 - _"));
    auto store = requireString(body, "store", 16);
    if (!store) return std::unexpected(store.error());
    auto hours = optionalInt(body, "valid_hours", 1, kMaxEnrollmentHours);
    if (!hours) return std::unexpected(hours.error());
    return EnrollmentCodeRequest{std::move(*kioskId), std::move(*store), *hours};
}

/// `out_of_service` carries its state and the message of the attract screen (vi, en): stored as the
/// JSON object the heartbeat delivers. Other commands are their name.
CommandInput readCommand(const Json& body) {
    auto command = requireString(body, "command", 32);
    if (!command) return std::unexpected(command.error());
    if (std::find(kCommands.begin(), kCommands.end(), *command) == kCommands.end())
        return std::unexpected(invalidField("command", "one of resync, reload_config, out_of_service"));
    if (*command != "out_of_service") {
        if (auto ok = onlyFields(body, {"command"}); !ok) return std::unexpected(ok.error());
        return QueuedCommand{*command, *command};
    }
    if (auto ok = onlyFields(body, {"command", "on", "message_vi", "message_en"}); !ok)
        return std::unexpected(ok.error());
    const auto on = body.find("on");
    if (on == body.end() || !on->is_boolean()) return std::unexpected(invalidField("on", "true or false"));
    auto vi = optionalString(body, "message_vi", kMaxServiceMessage);
    if (!vi) return std::unexpected(vi.error());
    auto en = optionalString(body, "message_en", kMaxServiceMessage);
    if (!en) return std::unexpected(en.error());
    const Json stored{{"type", *command},
                      {"on", on->get<bool>()},
                      {"message_vi", vi->value_or("")},
                      {"message_en", en->value_or("")}};
    return QueuedCommand{*command, stored.dump()};
}

Json kioskJson(const FleetStore::Kiosk& k) {
    auto health = Json::parse(k.health.health, nullptr, false);
    return Json{{"kiosk_id", k.kioskId},
                {"store", k.store},
                {"enrolled_at", k.enrolledAt},
                {"revoked", k.revoked},
                {"last_seen", k.lastSeen ? Json(*k.lastSeen) : Json(nullptr)},
                {"version", k.health.version},
                {"outbox_depth", k.health.outboxDepth},
                {"health", health.is_object() ? health : Json::object()}};
}

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
    FleetOps* fleet = &service.fleet();
    auto rollouts = std::make_shared<Rollouts>(service.database(), service.clock());
    auto releases = std::make_shared<ReleaseApi>(*rollouts);
    std::vector<Route> routes{
        {"POST", "/v1/kiosks/enroll", Auth::Open, Body::Required,
         jsonHandler([fleet](const http::Request&, const Caller&, const Json& b) {
             return enrolledJson(fleet->enroll(readEnroll(b)));
         }),
         Limit::Enroll},
        {"GET", "/v1/kiosks/{id}/config", Auth::Credential, Body::None,
         [fleet](const http::Request& q, const Caller& c, const Json&) -> ReplyResult {
             auto config = configDocument(fleet->config(c, pathParam(q)));
             if (!config) return std::unexpected(config.error());
             if (q.get_header_value("If-None-Match") == config->etag) return Reply{304, Json(), config->etag};
             return Reply{200, std::move(config->body), config->etag};
         }},
        // Holds `rollouts`, which `releases` refers to, for as long as the routes live.
        {"POST", "/v1/kiosks/{id}/heartbeat", Auth::Credential, Body::Optional,
         [fleet, rollouts, releases](const http::Request& q, const Caller& c, const Json& b) -> ReplyResult {
             auto answer = heartbeatJson(fleet->heartbeat(c, pathParam(q), readHeartbeat(b)));
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

// The fleet's admin calls as JSON, which the console's routes (api/console_*.cpp) call through the
// Service too.

JsonResult Service::createEnrollmentCode(const Caller& caller, const Json& body) {
    auto made = m_fleet->createEnrollmentCode(caller, readEnrollmentCode(body));
    if (!made) return std::unexpected(made.error());
    return Json{{"enrollment_code", made->code},
                {"kiosk_id", made->kioskId},
                {"store", made->store},
                {"expires_at", made->expiresAt}};
}

JsonResult Service::listKiosks(const Caller& caller) {
    auto all = m_fleet->kiosks(caller);
    if (!all) return std::unexpected(all.error());
    Json kiosks = Json::array();
    for (const auto& k : *all) kiosks.push_back(kioskJson(k));
    return Json{{"kiosks", std::move(kiosks)}};
}

JsonResult Service::revokeKiosk(const Caller& caller, std::string_view kioskId) {
    if (auto done = m_fleet->revoke(caller, kioskId); !done) return std::unexpected(done.error());
    return Json{{"kiosk_id", kioskId}, {"revoked", true}};
}

JsonResult Service::queueCommand(const Caller& caller, std::string_view kioskId, const Json& body) {
    auto command = readCommand(body);
    if (auto done = m_fleet->queueCommand(caller, kioskId, command); !done)
        return std::unexpected(done.error());
    return Json{{"queued", command->name}, {"kiosk_id", kioskId}};
}

}  // namespace central
