#include "api/console_fleet_api.hpp"

#include "api/console_auth.hpp"

namespace central {
namespace {

const Caller kAdmin{Caller::Kind::Admin, "", ""};

std::expected<ConsoleReply, ApiError> enrollmentCode(Service& service, ConsoleOps& ops,
                                                     const http::Request& q, const Json& body) {
    auto s = authorizeConsole(ops, q, Permission::FleetAct, true);
    if (!s) return std::unexpected(s.error());
    auto made = service.createEnrollmentCode(kAdmin, body);
    if (!made) return std::unexpected(made.error());
    // The code is a bearer secret until a kiosk uses it: the audit keeps everything but the code.
    const Json after{{"kiosk_id", made->value("kiosk_id", "")},
                     {"store", made->value("store", "")},
                     {"expires_at", made->value("expires_at", std::int64_t{0})}};
    const auto audited =
        ops.audit(consoleActor(*s, q),
                  AuditRecord{"kiosk.enrollment_code", made->value("kiosk_id", ""), "", "", after.dump()});
    if (!audited) return std::unexpected(audited.error());
    auto out = consoleOk(std::move(*made));
    out->status = 201;
    return out;
}

}  // namespace

std::vector<ConsoleRoute> consoleFleetRoutes(Service& service, const std::shared_ptr<ConsoleOps>& ops) {
    return {
        {"POST", "/v1/console/enrollment-codes", "/v1/console/enrollment-codes", true,
         [&service, ops](const http::Request& q, const Json& b) {
             return enrollmentCode(service, *ops, q, b);
         }},
    };
}

}  // namespace central
