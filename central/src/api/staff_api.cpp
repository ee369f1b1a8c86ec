#include "api/staff_api.hpp"

#include "api/json_fields.hpp"
#include "ops/access.hpp"

namespace central {
namespace {

constexpr std::size_t kMaxActions = 100;
constexpr std::size_t kMaxDetail = 200;

/// An action name: 1-32 of a-z and _ (what the audit shows after "staff.").
bool isActionName(const std::string& name) {
    return !name.empty() && name.size() <= 32 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

std::expected<StaffAction, ApiError> actionFromJson(const Json& one) {
    if (!one.is_object()) return std::unexpected(invalidField("actions", "a list of objects"));
    if (auto ok = onlyFields(one, {"key", "staff_id", "action", "detail", "at"}); !ok)
        return std::unexpected(ok.error());
    StaffAction a;
    auto key = requireString(one, "key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64)) return std::unexpected(invalidField("key", "1-64 of A-Z a-z 0-9 - _"));
    auto staff = requireString(one, "staff_id", 32);
    if (!staff) return std::unexpected(staff.error());
    if (!isToken(*staff, 32)) return std::unexpected(invalidField("staff_id", "1-32 of A-Z a-z 0-9 - _"));
    auto action = requireString(one, "action", 32);
    if (!action) return std::unexpected(action.error());
    if (!isActionName(*action)) return std::unexpected(invalidField("action", "1-32 of a-z _"));
    auto detail = optionalString(one, "detail", kMaxDetail);
    if (!detail) return std::unexpected(detail.error());
    auto at = requireInt(one, "at", 0, 1LL << 40);
    if (!at) return std::unexpected(at.error());
    return StaffAction{"", *key, *staff, *action, detail->value_or(""), *at};
}

JsonResult recordActions(StaffOps& ops, const Caller& caller, const std::string& kioskId, const Json& body) {
    if (auto ok = requireKiosk(caller, kioskId); !ok) return std::unexpected(ok.error());
    if (auto ok = onlyFields(body, {"actions"}); !ok) return std::unexpected(ok.error());
    const auto list = body.find("actions");
    if (list == body.end() || !list->is_array() || list->empty() || list->size() > kMaxActions)
        return std::unexpected(invalidField("actions", "a list of 1-100 actions"));
    std::vector<StaffAction> actions;
    for (const auto& one : *list) {
        auto action = actionFromJson(one);
        if (!action) return std::unexpected(action.error());
        actions.push_back(std::move(*action));
    }
    auto stored = ops.record(caller, std::move(actions));
    if (!stored) return std::unexpected(stored.error());
    return Json{{"received", list->size()}, {"stored", *stored}};
}

}  // namespace

Json staffToJson(const StaffMember& m) {
    return Json{{"staff_id", m.id},
                {"name", m.name},
                {"created_at", m.createdAt},
                {"revoked", m.revokedAt.has_value()},
                {"revoked_at", m.revokedAt ? Json(*m.revokedAt) : Json(nullptr)}};
}

JsonResult issueStaff(StaffOps& ops, const Caller& caller, const Json& body) {
    if (auto ok = onlyFields(body, {"staff_id", "name", "pin"}); !ok) return std::unexpected(ok.error());
    auto id = requireString(body, "staff_id", 32);
    if (!id) return std::unexpected(id.error());
    if (!isToken(*id, 32)) return std::unexpected(invalidField("staff_id", "1-32 of A-Z a-z 0-9 - _"));
    auto name = requireString(body, "name", 64);
    if (!name) return std::unexpected(name.error());
    if (name->empty()) return std::unexpected(invalidField("name", "1-64 characters"));
    auto pin = requireString(body, "pin", 8);
    if (!pin) return std::unexpected(pin.error());
    auto member = ops.issue(caller, *id, *name, *pin);
    if (!member) return std::unexpected(member.error());
    return Json{{"staff", staffToJson(*member)}};
}

std::vector<Route> staffRoutes(StaffOps& ops) {
    StaffOps* o = &ops;
    return {
        {"POST", "/v1/admin/staff", Auth::Credential, Body::Required,
         [o](const http::Request&, const Caller& c, const Json& b) { return ok(issueStaff(*o, c, b)); }},
        {"GET", "/v1/admin/staff", Auth::Credential, Body::Optional,
         [o](const http::Request&, const Caller& c, const Json&) -> ReplyResult {
             auto all = o->list(c);
             if (!all) return std::unexpected(all.error());
             Json out = Json::array();
             for (const auto& m : *all) out.push_back(staffToJson(m));
             return Reply{200, Json{{"staff", std::move(out)}}};
         }},
        {"POST", "/v1/admin/staff/{id}/revoke", Auth::Credential, Body::Optional,
         [o](const http::Request& q, const Caller& c, const Json&) -> ReplyResult {
             auto member = o->revoke(c, pathParam(q));
             if (!member) return std::unexpected(member.error());
             return Reply{200, Json{{"staff", staffToJson(*member)}}};
         }},
        {"POST", "/v1/kiosks/{id}/staff-actions", Auth::Credential, Body::Required,
         [o](const http::Request& q, const Caller& c, const Json& b) {
             return ok(recordActions(*o, c, pathParam(q), b));
         }},
    };
}

}  // namespace central
