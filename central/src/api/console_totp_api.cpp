#include "api/console_totp_api.hpp"

#include "api/console_auth.hpp"
#include "api/json_fields.hpp"

namespace central {
namespace {

std::expected<ConsoleReply, ApiError> setup(ConsoleOps& ops, const http::Request& q) {
    auto s = authorizeConsole(ops, q, std::nullopt, true);
    if (!s) return std::unexpected(s.error());
    auto made = ops.totpSetup(s->user, consoleActor(*s, q));
    if (!made) return std::unexpected(made.error());
    return consoleOk(Json{{"secret", made->secret}, {"uri", made->uri}});
}

std::expected<ConsoleReply, ApiError> enable(ConsoleOps& ops, const http::Request& q, const Json& body) {
    auto s = authorizeConsole(ops, q, std::nullopt, true);
    if (!s) return std::unexpected(s.error());
    if (auto ok = onlyFields(body, {"code"}); !ok) return std::unexpected(ok.error());
    auto code = requireString(body, "code", 16);
    if (!code) return std::unexpected(code.error());
    if (auto on = ops.totpEnable(s->user, *code, consoleActor(*s, q)); !on)
        return std::unexpected(on.error());
    return consoleOk(Json{{"totp", true}});
}

}  // namespace

std::vector<ConsoleRoute> consoleTotpRoutes(const std::shared_ptr<ConsoleOps>& ops) {
    return {
        {"POST", "/v1/console/totp/setup", "/v1/console/totp/setup", false,
         [ops](const http::Request& q, const Json&) { return setup(*ops, q); }},
        {"POST", "/v1/console/totp/enable", "/v1/console/totp/enable", true,
         [ops](const http::Request& q, const Json& b) { return enable(*ops, q, b); }},
    };
}

}  // namespace central
