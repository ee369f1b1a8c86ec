#include "central/http_api.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "api/admin_api.hpp"
#include "api/claims_api.hpp"
#include "api/console_api.hpp"
#include "api/fleet_api.hpp"
#include "api/game_api.hpp"
#include "api/notif_api.hpp"
#include "api/route_installer.hpp"
#include "api/spend_api.hpp"
#include "api/staff_api.hpp"
#include "ops/console_ops.hpp"

namespace central {
namespace {

using http::Request;
using http::Response;

/// The stable code of an answer the transport or the router gave without a body of its own.
const char* transportErrorCode(int status) {
    switch (status) {
        case 404:
            return "not_found";
        case 413:
            return "body_too_large";
        case 415:
            return "unsupported_media_type";
        case 503:
            return "overloaded";
        default:
            return status >= 500 ? "internal" : "bad_json";
    }
}

/// Anything the transport answers on its own (404 unknown route, 405 a route under other methods, 413
/// too large, 400 unparseable HTTP) and any exception still get our JSON error shape; two
/// Content-Length headers that disagree are refused before the body is read.
void installErrorHandlers(http::Router& server, std::shared_ptr<const RouteTable> routes,
                          const loyalty::Clock& clock) {
    server.set_error_handler([routes = std::move(routes), &clock](const Request& req, Response& res) {
        if (!res.body.empty()) return;
        std::string code = transportErrorCode(res.status);
        if (res.status == 404)
            if (auto allow = routes->allowed(req.path); !allow.empty()) {
                res.status = 405;
                res.set_header("Allow", allow);
                code = "method_not_allowed";
            }
        const int status = res.status;
        writeError(res, apiError(code), clock);
        res.status = status;
    });
    server.set_exception_handler([&clock](const Request& req, Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
            what = "unknown";  // not a std::exception: nothing more to say
        }
        spdlog::error("exception path={} what=\"{}\"", req.path, what);
        writeError(res, apiError("internal"), clock);
    });
    // Which body is meant? (request smuggling behind a proxy that picked the other one). The
    // connection is closed so its bytes are never taken for a next request.
    server.set_pre_routing_handler([&clock](const Request& req, Response& res) {
        const auto count = req.get_header_value_count("Content-Length");
        for (std::size_t i = 1; i < count; ++i) {
            if (req.get_header_value("Content-Length", i) == req.get_header_value("Content-Length", 0))
                continue;
            auto e = apiError("bad_json");
            e.messageEn = "Conflicting Content-Length headers.";
            writeError(res, e, clock);
            res.set_header("Connection", "close");
            return http::Router::HandlerResponse::Handled;
        }
        return http::Router::HandlerResponse::Unhandled;
    });
}

/// GET /healthz and GET /metrics: no credential, no limit, never shed.
void installProbes(http::Router& server, RouteTable& routes, Service& service, Metrics& metrics,
                   const HttpOptions& options) {
    routes.add("GET", "/healthz");
    routes.add("GET", "/metrics");
    server.Get("/healthz", [&service, options](const Request&, Response& res) {
        const bool healthy = service.databaseHealthy();
        res.status = healthy ? 200 : 503;
        res.set_content(Json{{"status", healthy ? "ok" : "unavailable"},
                             {"db", options.backendName},
                             {"version", options.version},
                             {"server_time", service.clock().now()}}
                            .dump(),
                        "application/json");
        if (!healthy) res.set_header("Retry-After", "5");
    });
    server.Get("/metrics", [&metrics](const Request&, Response& res) {
        res.set_content(metrics.render(), "text/plain; version=0.0.4");
    });
}

Reply consoleReply(ConsoleReply answer) {
    Reply out{answer.status, std::move(answer.body)};
    out.headers = std::move(answer.headers);
    for (const auto& header : consoleSecurityHeaders()) out.headers.push_back(header);
    return out;
}

/// The head-office console's JSON routes (docs/console.md) and the admin token's bootstrap of an
/// account. A console route is installed by its name, whose parameters must be the default ones.
std::vector<Route> consoleApiRoutes(Service& s) {
    auto ops = std::make_shared<ConsoleOps>(s.database(), s.clock());
    std::vector<Route> routes;
    for (auto& route : consoleRoutes(s, ops)) {
        if (parseRoutePath(route.name).pattern != route.pattern)
            throw std::logic_error(std::string("console route pattern differs from its name: ") + route.name);
        routes.push_back({route.method, route.name, Auth::Open, route.body ? Body::Required : Body::None,
                          [handle = std::move(route.handle)](const Request& q, const Caller&,
                                                             const Json& b) -> ReplyResult {
                              auto answer = handle(q, b);
                              if (!answer) return std::unexpected(answer.error());
                              return consoleReply(std::move(*answer));
                          }});
    }
    routes.push_back({"POST", "/v1/admin/console/users", Auth::Credential, Body::Required,
                      [ops](const Request& q, const Caller& c, const Json& b) -> ReplyResult {
                          auto answer = addConsoleUserByAdmin(*ops, c, q, b);
                          if (!answer) return std::unexpected(answer.error());
                          return consoleReply(std::move(*answer));
                      }});
    return routes;
}

/// The console's static files under /console/ with the security headers (none when `dir` is empty).
void serveConsoleFiles(http::Router& server, const std::string& dir) {
    auto files = std::make_shared<const ConsoleFiles>(dir);
    if (files->size() == 0) return;
    server.Get("/console", [](const Request&, Response& res) {
        res.status = 301;
        res.set_header("Location", "/console/");
    });
    server.Get(R"(/console/([A-Za-z0-9_.-]{0,64}(/[A-Za-z0-9_.-]{1,64})?))",
               [files](const Request& q, Response& res) {
                   const auto* file = files->find(q.matches[1].str());
                   if (file == nullptr) {
                       res.status = 404;
                       return;
                   }
                   for (const auto& [name, value] : consoleSecurityHeaders()) res.set_header(name, value);
                   res.set_header("Cache-Control", "no-cache");
                   res.set_content(file->body, file->type);
               });
}

}  // namespace

void installHttpApi(http::Router& server, Service& service, Metrics& metrics, const HttpOptions& options) {
    server.set_payload_max_length(options.maxBodyBytes);
    // Headers and body may leave in separate writes: with Nagle on, the body waited for the client's
    // delayed ACK (~40 ms per answer on a keep-alive connection).
    server.set_tcp_nodelay(true);
    // Filled below, read by the error handler for as long as the server runs.
    auto routes = std::make_shared<RouteTable>();
    installErrorHandlers(server, routes, service.clock());
    installProbes(server, *routes, service, metrics, options);

    // One line per area of the API (api/*_api.hpp).
    RouteInstaller api(server, service, metrics, *routes, options.limits);
    api.add(fleetRoutes(service));
    api.add(claimsRoutes(service, metrics));
    api.add(spendRoutes(service.spend()));
    api.add(adminRoutes(service, options.testClock));
    api.add(consoleApiRoutes(service));
    api.add(staffRoutes(service.staff()));
    api.add(gameRoutes(service.games()));
    api.add(notifRoutes(service.database(), service.clock(), options.notifySecret));
    serveConsoleFiles(server, options.consoleDir);
}

}  // namespace central
