#include "api/console_api.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/console_auth.hpp"
#include "api/console_fleet_api.hpp"
#include "api/console_members_api.hpp"
#include "api/console_reports_api.hpp"
#include "api/console_totp_api.hpp"
#include "api/json_fields.hpp"
#include "api/member_data_json.hpp"
#include "api/notif_api.hpp"
#include "api/staff_api.hpp"
#include "ops/console_ops.hpp"
#include "ops/member_erase.hpp"

namespace central {
namespace {

using http::Request;
using Result = std::expected<ConsoleReply, ApiError>;

constexpr std::int64_t kAuditPage = 100;

const Caller kAdmin{Caller::Kind::Admin, "", ""};

/// `Secure` when the browser spoke HTTPS (through a trusted proxy): a browser drops a Secure cookie
/// set over plain http, so a console on http://127.0.0.1 must not get it.
std::string sessionCookie(const std::string& token, loyalty::UnixSeconds maxAge, bool secure) {
    return std::string(kConsoleCookie) + "=" + token +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(maxAge) +
           (secure ? "; Secure" : "");
}

Json userJson(const ConsoleUser& u) {
    Json permissions = Json::array();
    for (const auto p : allPermissions())
        if (allows(u.role, p)) permissions.push_back(permissionName(p));
    return Json{{"username", u.username},   {"display_name", u.displayName},
                {"role", roleName(u.role)}, {"stores", u.stores},
                {"totp", u.totp},           {"permissions", std::move(permissions)}};
}

Json sessionJson(const ConsoleSession& s) {
    return Json{{"user", userJson(s.user)}, {"csrf_token", s.csrfToken}};
}

std::expected<NewUser, ApiError> newUserFrom(const Json& body) {
    if (auto ok = onlyFields(body, {"username", "password", "role", "display_name", "stores"}); !ok)
        return std::unexpected(ok.error());
    auto username = requireString(body, "username", 32);
    if (!username) return std::unexpected(username.error());
    auto password = requireString(body, "password", 128);
    if (!password) return std::unexpected(password.error());
    auto roleText = requireString(body, "role", 32);
    if (!roleText) return std::unexpected(roleText.error());
    const auto role = parseRole(*roleText);
    if (!role)
        return std::unexpected(
            invalidField("role", "owner, marketing, store_manager, support or technician"));
    auto display = optionalString(body, "display_name", 80);
    if (!display) return std::unexpected(display.error());
    NewUser user{*username, display->value_or(""), *password, *role, {}};
    if (const auto it = body.find("stores"); it != body.end()) {
        if (!it->is_array() || it->size() > 100)
            return std::unexpected(invalidField("stores", "a list of store ids"));
        for (const auto& s : *it) {
            if (!s.is_string() || !isToken(s.get<std::string>(), 32))
                return std::unexpected(invalidField("stores", "store ids of A-Z a-z 0-9 - _"));
            user.stores.push_back(s.get<std::string>());
        }
    }
    return user;
}

std::expected<ConsoleReply, ApiError> addUser(ConsoleOps& ops, const Actor& actor, const Json& body) {
    auto user = newUserFrom(body);
    if (!user) return std::unexpected(user.error());
    const Json after{
        {"role", roleName(user->role)}, {"display_name", user->displayName}, {"stores", user->stores}};
    auto added = ops.addUser(*user, actor, AuditRecord{"user.add", user->username, "", "", after.dump()});
    if (!added) return std::unexpected(added.error());
    auto out = consoleOk(Json{{"user", userJson(*added)}});
    out->status = 201;
    return out;
}

class ConsoleApi {
  public:
    ConsoleApi(Service& service, std::shared_ptr<ConsoleOps> ops)
        : m_service(service), m_ops(std::move(ops)) {}

    std::expected<ConsoleSession, ApiError> authorize(const Request& q, std::optional<Permission> permission,
                                                      bool write) const {
        return authorizeConsole(*m_ops, q, permission, write);
    }
    static Actor actor(const ConsoleSession& s, const Request& q) { return consoleActor(s, q); }

    Result login(const Request& q, const Json& body) const {
        if (auto ok = onlyFields(body, {"username", "password", "totp"}); !ok)
            return std::unexpected(ok.error());
        auto username = requireString(body, "username", 64);
        if (!username) return std::unexpected(username.error());
        auto password = requireString(body, "password", 256);
        if (!password) return std::unexpected(password.error());
        // Whatever session cookie came with the request is ignored: the login makes a new one.
        auto totp = optionalString(body, "totp", 16);
        if (!totp) return std::unexpected(totp.error());
        auto login = m_ops->login(*username, *password, totp->value_or(""), q.remote_addr);
        if (!login) return std::unexpected(login.error());
        return consoleOk(
            sessionJson(login->session),
            {{"Set-Cookie", sessionCookie(login->token, ConsoleOps::kMaxSessionSeconds, q.secure)}});
    }

    Result logout(const Request& q) const {
        auto s = authorize(q, std::nullopt, true);
        if (!s) return std::unexpected(s.error());
        if (auto out = m_ops->logout(consoleSessionToken(q), actor(*s, q)); !out)
            return std::unexpected(out.error());
        return consoleOk(Json::object(), {{"Set-Cookie", sessionCookie("", 0, q.secure)}});
    }

    Result session(const Request& q) const {
        auto s = authorize(q, std::nullopt, false);
        if (!s) return std::unexpected(s.error());
        return consoleOk(sessionJson(*s));
    }

    Result users(const Request& q) const {
        auto s = authorize(q, Permission::UsersManage, false);
        if (!s) return std::unexpected(s.error());
        auto list = m_ops->users();
        if (!list) return std::unexpected(list.error());
        Json out = Json::array();
        for (const auto& u : *list) out.push_back(userJson(u));
        return consoleOk(Json{{"users", std::move(out)}});
    }

    Result addUserRoute(const Request& q, const Json& body) const {
        auto s = authorize(q, Permission::UsersManage, true);
        if (!s) return std::unexpected(s.error());
        return addUser(*m_ops, actor(*s, q), body);
    }

    Result audit(const Request& q) const {
        auto s = authorize(q, Permission::AuditView, false);
        if (!s) return std::unexpected(s.error());
        std::int64_t before = std::numeric_limits<std::int64_t>::max();
        if (const auto text = q.get_param_value("before"); !text.empty()) {
            if (text.size() > 18 ||
                !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return std::unexpected(invalidField("before", "an audit id"));
            before = std::stoll(text);
        }
        auto rows = m_ops->auditLog(before, kAuditPage);
        if (!rows) return std::unexpected(rows.error());
        Json out = Json::array();
        for (const auto& e : *rows) {
            const auto parsed = [](const std::string& text) {
                return text.empty() ? Json(nullptr) : Json::parse(text, nullptr, false);
            };
            out.push_back(Json{{"id", e.id},
                               {"at", e.at},
                               {"actor", e.actor.name},
                               {"address", e.actor.address},
                               {"action", e.record.action},
                               {"target", e.record.target},
                               {"reason", e.record.reason},
                               {"before", parsed(e.record.before)},
                               {"after", parsed(e.record.after)}});
        }
        return consoleOk(Json{{"entries", std::move(out)}});
    }

    Result kiosks(const Request& q) const {
        auto s = authorize(q, Permission::FleetView, false);
        if (!s) return std::unexpected(s.error());
        auto all = m_service.listKiosks(kAdmin);
        if (!all) return std::unexpected(all.error());
        Json out = Json::array();
        for (auto& k : (*all)["kiosks"])
            if (s->user.seesStore(k.value("store", ""))) out.push_back(std::move(k));
        return consoleOk(Json{{"kiosks", std::move(out)}});
    }

    Result kioskAction(const Request& q, const Json& body, const std::string& id, bool revoke) const {
        auto s = authorize(q, Permission::FleetAct, true);
        if (!s) return std::unexpected(s.error());
        auto done = revoke ? m_service.revokeKiosk(kAdmin, id) : m_service.queueCommand(kAdmin, id, body);
        if (!done) return std::unexpected(done.error());
        const auto audited = m_ops->audit(
            actor(*s, q), AuditRecord{revoke ? "kiosk.revoke" : "kiosk.command", id, "", "", done->dump()});
        if (!audited) return std::unexpected(audited.error());
        return consoleOk(std::move(*done));
    }

    /// Staff PINs (issue 13): listed under fleet.view, issued and revoked under fleet.act, audited
    /// without the PIN.
    Result staff(const Request& q) const {
        auto s = authorize(q, Permission::FleetView, false);
        if (!s) return std::unexpected(s.error());
        auto all = m_service.staff().list(kAdmin);
        if (!all) return std::unexpected(all.error());
        Json out = Json::array();
        for (const auto& m : *all) out.push_back(staffToJson(m));
        return consoleOk(Json{{"staff", std::move(out)}});
    }

    Result staffChange(const Request& q, const Json& body, const std::string& id, bool revoke) const {
        auto s = authorize(q, Permission::FleetAct, true);
        if (!s) return std::unexpected(s.error());
        JsonResult done = revoke ? revokeStaff(id) : issueStaff(m_service.staff(), kAdmin, body);
        if (!done) return std::unexpected(done.error());
        const auto& member = (*done)["staff"];
        const auto audited =
            m_ops->audit(actor(*s, q), AuditRecord{revoke ? "staff.revoke" : "staff.issue",
                                                   member.value("staff_id", ""), "", "", member.dump()});
        if (!audited) return std::unexpected(audited.error());
        return consoleOk(std::move(*done));
    }

    JsonResult revokeStaff(const std::string& id) const {
        auto member = m_service.staff().revoke(kAdmin, id);
        if (!member) return std::unexpected(member.error());
        return Json{{"staff", staffToJson(*member)}};
    }

    Result member(const Request& q, const std::string& phone) const {
        const auto reason = q.get_param_value("reason");
        auto s = authorize(q, reason.empty() ? Permission::MemberSearch : Permission::MemberReveal, false);
        if (!s) return std::unexpected(s.error());
        if (reason.size() > 200) return std::unexpected(invalidField("reason", "at most 200 characters"));
        auto found = m_service.member(kAdmin, phone);
        if (!found) return std::unexpected(found.error());
        if (reason.empty()) {
            // Masked until a reason is given: no full phone, no history.
            found->erase("phone");
            found->erase("history");
            (*found)["revealed"] = false;
            return consoleOk(std::move(*found));
        }
        const auto audited = m_ops->audit(
            actor(*s, q), AuditRecord{"member.reveal", found->value("phone", ""), reason, "", ""});
        if (!audited) return std::unexpected(audited.error());
        (*found)["revealed"] = true;
        return consoleOk(std::move(*found));
    }

    Result adjust(const Request& q, const Json& body, const std::string& phone) const {
        auto s = authorize(q, Permission::MemberAdjust, true);
        if (!s) return std::unexpected(s.error());
        auto before = m_service.member(kAdmin, phone);
        if (!before) return std::unexpected(before.error());
        auto done = m_service.adjustMember(kAdmin, phone, body);
        if (!done) return std::unexpected(done.error());
        if (!done->value("replayed", false)) {
            const Json was{{"balance", before->value("balance", 0)}};
            const Json now{{"balance", done->value("balance", 0)}, {"points", body.value("points", 0)}};
            const auto audited =
                m_ops->audit(actor(*s, q), AuditRecord{"member.adjust", before->value("phone", ""),
                                                       body.value("reason", ""), was.dump(), now.dump()});
            if (!audited) return std::unexpected(audited.error());
        }
        return consoleOk(std::move(*done));
    }

    /// Support withdraws a member's marketing consent (asked by phone, by letter…): audited with the
    /// consent before and after.
    Result withdrawConsent(const Request& q, const Json& body, const std::string& phone) const {
        auto s = authorize(q, Permission::MemberAdjust, true);
        if (!s) return std::unexpected(s.error());
        if (auto known = onlyFields(body, {"reason"}); !known) return std::unexpected(known.error());
        auto reason = requireString(body, "reason", 200);
        if (!reason) return std::unexpected(reason.error());
        auto before = m_service.member(kAdmin, phone);
        if (!before) return std::unexpected(before.error());
        auto done = central::withdrawConsent(m_service.database(), before->value("phone", ""),
                                             m_service.clock().now(), "console:" + s->user.username);
        if (!done) return std::unexpected(done.error());
        const auto audited =
            m_ops->audit(actor(*s, q), AuditRecord{"member.consent_withdraw", before->value("phone", ""),
                                                   *reason, before->value("consent", Json::object()).dump(),
                                                   (*done)["consent"].dump()});
        if (!audited) return std::unexpected(audited.error());
        return consoleOk(std::move(*done));
    }

    Result returnReceipt(const Request& q, const Json& body) const {
        auto s = authorize(q, Permission::MemberReturn, true);
        if (!s) return std::unexpected(s.error());
        auto done = m_service.returnReceipt(kAdmin, s->user.username, body);
        if (!done) return std::unexpected(done.error());
        if (!done->value("replayed", false)) {
            const Json was{{"balance", done->value("balance", 0) + done->value("points_reversed", 0) +
                                           done->value("points_expired", 0)},
                           {"tier", done->value("tier_before", "")}};
            const Json now{{"balance", done->value("balance", 0)},
                           {"tier", done->value("tier", "")},
                           {"amount_dong", body.value("amount_dong", 0)},
                           {"points_reversed", done->value("points_reversed", 0)}};
            const auto audited =
                m_ops->audit(actor(*s, q), AuditRecord{"member.return", done->value("receipt_id", ""),
                                                       body.value("reason", ""), was.dump(), now.dump()});
            if (!audited) return std::unexpected(audited.error());
        }
        return consoleOk(std::move(*done));
    }

    /// The member's data as a JSON download; the reason (1-200 characters) is audited.
    Result exportMember(const Request& q, const std::string& phoneText) const {
        auto s = authorize(q, Permission::MemberExport, false);
        if (!s) return std::unexpected(s.error());
        const auto reason = q.get_param_value("reason");
        if (reason.empty() || reason.size() > 200)
            return std::unexpected(invalidField("reason", "1-200 characters: why the data leaves"));
        if (phoneText.size() > 32) return std::unexpected(invalidField("phone", "too long"));
        auto phone = parsePhoneField(phoneText);
        if (!phone) return std::unexpected(phone.error());
        auto loaded = loadMemberData(m_service.database(), *phone);
        if (!loaded) return std::unexpected(loaded.error());
        auto data = memberDataJson(*phone, *loaded);
        const auto audited =
            m_ops->audit(actor(*s, q), AuditRecord{"member.export", phone->e164(), reason, "", ""});
        if (!audited) return std::unexpected(audited.error());
        data["exported_at"] = m_service.clock().now();
        return consoleOk(std::move(data), {{"Content-Disposition", "attachment; filename=\"member-" +
                                                                       phone->national() + ".json\""}});
    }

    /// The member erased at their request (docs/console.md: what goes, what stays), audited.
    Result eraseMember(const Request& q, const Json& body, const std::string& phoneText) const {
        auto s = authorize(q, Permission::MemberErase, true);
        if (!s) return std::unexpected(s.error());
        if (auto ok = onlyFields(body, {"reason"}); !ok) return std::unexpected(ok.error());
        auto reason = requireString(body, "reason", 200);
        if (!reason) return std::unexpected(reason.error());
        if (reason->empty()) return std::unexpected(invalidField("reason", "say why"));
        if (phoneText.size() > 32) return std::unexpected(invalidField("phone", "too long"));
        auto phone = parsePhoneField(phoneText);
        if (!phone) return std::unexpected(phone.error());
        auto done = central::eraseMember(m_service.database(), *phone, m_service.clock().now());
        if (!done) return std::unexpected(done.error());
        const Json result{{"member_id", done->memberId}, {"points_written_off", done->pointsWrittenOff}};
        // The erasure's own record names the member by id, not by the phone that was erased.
        const auto audited =
            m_ops->audit(actor(*s, q), AuditRecord{"member.erase", "erased:" + std::to_string(done->memberId),
                                                   *reason, "", result.dump()});
        if (!audited) return std::unexpected(audited.error());
        return consoleOk(result);
    }

    Result campaign(const Request& q, bool rewards) const {
        auto s = authorize(q, Permission::CampaignView, false);
        if (!s) return std::unexpected(s.error());
        auto out = rewards ? m_service.listRewards(kAdmin) : m_service.getCampaign(kAdmin);
        if (!out) return std::unexpected(out.error());
        return consoleOk(std::move(*out));
    }

    Result putReward(const Request& q, const Json& body, const std::string& id) const {
        auto s = authorize(q, Permission::RewardsEdit, true);
        if (!s) return std::unexpected(s.error());
        auto all = m_service.listRewards(kAdmin);
        if (!all) return std::unexpected(all.error());
        Json before;
        for (const auto& r : (*all)["rewards"])
            if (r.value("id", "") == id) before = r;
        auto done = m_service.putReward(kAdmin, id, body);
        if (!done) return std::unexpected(done.error());
        const auto audited = m_ops->audit(
            actor(*s, q),
            AuditRecord{"reward.put", id, "", before.is_null() ? "" : before.dump(), body.dump()});
        if (!audited) return std::unexpected(audited.error());
        return consoleOk(std::move(*done));
    }

    Result report(const Request& q) const {
        auto s = authorize(q, Permission::ReportsView, false);
        if (!s) return std::unexpected(s.error());
        auto all = m_service.pointsReport(kAdmin, q.get_param_value("from"), q.get_param_value("to"));
        if (!all) return std::unexpected(all.error());
        Json rows = Json::array();
        for (auto& r : (*all)["rows"])
            if (s->user.seesStore(r.value("store", ""))) rows.push_back(std::move(r));
        return consoleOk(Json{{"rows", std::move(rows)}});
    }

  private:
    Service& m_service;
    std::shared_ptr<ConsoleOps> m_ops;
};

}  // namespace

std::vector<ConsoleRoute> consoleRoutes(Service& service, const std::shared_ptr<ConsoleOps>& ops) {
    auto api = std::make_shared<const ConsoleApi>(service, ops);
    auto m = [](const Request& q) { return q.matches[1].str(); };
    std::vector<ConsoleRoute> routes{
        {"POST", "/v1/console/login", "/v1/console/login", true,
         [api](const Request& q, const Json& b) { return api->login(q, b); }},
        {"POST", "/v1/console/logout", "/v1/console/logout", false,
         [api](const Request& q, const Json&) { return api->logout(q); }},
        {"GET", "/v1/console/session", "/v1/console/session", false,
         [api](const Request& q, const Json&) { return api->session(q); }},
        {"GET", "/v1/console/users", "/v1/console/users", false,
         [api](const Request& q, const Json&) { return api->users(q); }},
        {"POST", "/v1/console/users", "/v1/console/users", true,
         [api](const Request& q, const Json& b) { return api->addUserRoute(q, b); }},
        {"GET", "/v1/console/audit", "/v1/console/audit", false,
         [api](const Request& q, const Json&) { return api->audit(q); }},
        {"GET", "/v1/console/kiosks", "/v1/console/kiosks", false,
         [api](const Request& q, const Json&) { return api->kiosks(q); }},
        {"POST", R"(/v1/console/kiosks/([^/]{1,64})/revoke)", "/v1/console/kiosks/{id}/revoke", false,
         [api, m](const Request& q, const Json& b) { return api->kioskAction(q, b, m(q), true); }},
        {"POST", R"(/v1/console/kiosks/([^/]{1,64})/commands)", "/v1/console/kiosks/{id}/commands", true,
         [api, m](const Request& q, const Json& b) { return api->kioskAction(q, b, m(q), false); }},
        {"GET", "/v1/console/staff", "/v1/console/staff", false,
         [api](const Request& q, const Json&) { return api->staff(q); }},
        {"POST", "/v1/console/staff", "/v1/console/staff", true,
         [api](const Request& q, const Json& b) { return api->staffChange(q, b, "", false); }},
        {"POST", R"(/v1/console/staff/([^/]{1,64})/revoke)", "/v1/console/staff/{id}/revoke", false,
         [api, m](const Request& q, const Json& b) { return api->staffChange(q, b, m(q), true); }},
        {"GET", R"(/v1/console/members/([^/]{1,64}))", "/v1/console/members/{phone}", false,
         [api, m](const Request& q, const Json&) { return api->member(q, m(q)); }},
        {"POST", R"(/v1/console/members/([^/]{1,64})/adjust)", "/v1/console/members/{phone}/adjust", true,
         [api, m](const Request& q, const Json& b) { return api->adjust(q, b, m(q)); }},
        {"POST", R"(/v1/console/members/([^/]{1,64})/consent/withdraw)",
         "/v1/console/members/{phone}/consent/withdraw", true,
         [api, m](const Request& q, const Json& b) { return api->withdrawConsent(q, b, m(q)); }},
        {"POST", "/v1/console/returns", "/v1/console/returns", true,
         [api](const Request& q, const Json& b) { return api->returnReceipt(q, b); }},
        {"GET", R"(/v1/console/members/([^/]{1,64})/export)", "/v1/console/members/{phone}/export", false,
         [api, m](const Request& q, const Json&) { return api->exportMember(q, m(q)); }},
        {"POST", R"(/v1/console/members/([^/]{1,64})/erase)", "/v1/console/members/{phone}/erase", true,
         [api, m](const Request& q, const Json& b) { return api->eraseMember(q, b, m(q)); }},
        {"GET", "/v1/console/campaign", "/v1/console/campaign", false,
         [api](const Request& q, const Json&) { return api->campaign(q, false); }},
        {"GET", "/v1/console/rewards", "/v1/console/rewards", false,
         [api](const Request& q, const Json&) { return api->campaign(q, true); }},
        {"PUT", R"(/v1/console/rewards/([^/]{1,64}))", "/v1/console/rewards/{id}", true,
         [api, m](const Request& q, const Json& b) { return api->putReward(q, b, m(q)); }},
        {"GET", "/v1/console/reports/points", "/v1/console/reports/points", false,
         [api](const Request& q, const Json&) { return api->report(q); }},
    };
    for (auto& route : consoleFleetRoutes(service, ops)) routes.push_back(std::move(route));
    for (auto& route : consoleMemberRoutes(service, ops)) routes.push_back(std::move(route));
    for (auto& route : consoleReportRoutes(service, ops)) routes.push_back(std::move(route));
    for (auto& route : consoleTotpRoutes(ops)) routes.push_back(std::move(route));
    return routes;
}

std::expected<ConsoleReply, ApiError> addConsoleUserByAdmin(ConsoleOps& ops, const Caller& caller,
                                                            const Request& request, const Json& body) {
    if (caller.kind != Caller::Kind::Admin) return std::unexpected(apiError("forbidden"));
    return addUser(ops, Actor{"admin-token", request.remote_addr}, body);
}

const std::vector<std::pair<std::string, std::string>>& consoleSecurityHeaders() {
    static const std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
         "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
    };
    return headers;
}

ConsoleFiles::ConsoleFiles(const std::string& dir) {
    namespace fs = std::filesystem;
    static const std::map<std::string, std::string> kTypes{{".html", "text/html; charset=utf-8"},
                                                           {".js", "text/javascript; charset=utf-8"},
                                                           {".css", "text/css; charset=utf-8"},
                                                           {".svg", "image/svg+xml"},
                                                           {".png", "image/png"},
                                                           {".json", "application/json"}};
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) return;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it.depth() > 1) it.disable_recursion_pending();
        const auto type = kTypes.find(it->path().extension().string());
        if (!it->is_regular_file(ec) || type == kTypes.end()) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        m_files[fs::relative(it->path(), dir).generic_string()] = File{body.str(), type->second};
    }
}

const ConsoleFiles::File* ConsoleFiles::find(const std::string& path) const {
    const auto it = m_files.find(path.empty() ? "index.html" : path);
    return it == m_files.end() ? nullptr : &it->second;
}

}  // namespace central
