#include "central/http_api.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <regex>
#include <utility>
#include <vector>

#include "api/console_api.hpp"
#include "api/game_api.hpp"
#include "api/json_fields.hpp"
#include "api/notif_api.hpp"
#include "api/release_api.hpp"
#include "api/staff_api.hpp"
#include "central/bounded_task_queue.hpp"
#include "central/rate_limiter.hpp"
#include "loyalty/webhook_signature.hpp"
#include "ops/access.hpp"
#include "ops/console_ops.hpp"

namespace central {
namespace {

using http::Request;
using http::Response;
using Clock = std::chrono::steady_clock;

/// Routes whose body may be empty (treated as {}).
enum class Body { None, Required, Optional };
enum class Auth { Open, Credential };
/// The rate limit a route is under (docs/api.md, "Limits"); None = only the overload queue.
enum class Limit { None, Lookup, Otp, Redeem, Consume, Enroll };

/// At most kLinesPerSecond refusal lines a second; the count of the lines left out is logged with the
/// next line written, so hostile traffic shows as a number, not as a flood of lines.
class RefusalLog {
  public:
    static constexpr int kLinesPerSecond = 20;
    /// True if this refusal may be logged; `suppressed` is then set to the lines left out before it.
    bool admit(std::size_t& suppressed) {
        std::lock_guard lock(m_mutex);
        const auto second = std::chrono::floor<std::chrono::seconds>(Clock::now());
        if (second != m_second) {
            m_second = second;
            m_written = 0;
        }
        if (m_written >= kLinesPerSecond) {
            ++m_suppressed;
            return false;
        }
        ++m_written;
        suppressed = std::exchange(m_suppressed, 0);
        return true;
    }

  private:
    std::mutex m_mutex;
    std::chrono::time_point<Clock, std::chrono::seconds> m_second{};
    int m_written = 0;
    std::size_t m_suppressed = 0;
};

/// Every bucket of the API: per credential for each limited route, per client address over all of
/// them (and for enrollment), and the voucher guesses of a credential (charged by a consume of a code
/// that does not exist).
struct Limiters {
    explicit Limiters(const RateLimits& l)
        : lookup(l.lookup),
          otp(l.otp),
          redeem(l.redeem),
          consume(l.consume),
          enroll(l.enroll),
          perAddress(l.perAddress),
          consumeGuesses(l.consumeGuesses) {}
    RateLimiter* forRoute(Limit limit) {
        switch (limit) {
            case Limit::Lookup:
                return &lookup;
            case Limit::Otp:
                return &otp;
            case Limit::Redeem:
                return &redeem;
            case Limit::Consume:
                return &consume;
            case Limit::Enroll:
            case Limit::None:
                break;
        }
        return nullptr;
    }
    RateLimiter lookup, otp, redeem, consume, enroll, perAddress, consumeGuesses;
    RefusalLog log;
};

ApiError limited(int retryAfter) {
    auto e = apiError("rate_limited");
    e.retryAfter = retryAfter;
    return e;
}

std::string credentialKey(const Caller& caller) {
    return caller.kind == Caller::Kind::Admin ? std::string("admin") : "kiosk:" + caller.kioskId;
}

/// A consume answer that means "no such voucher": the guess of a code (unknown, or not even shaped
/// like one).
bool isVoucherGuess(const ApiError& error) {
    return error.code == "not_found" || error.code.starts_with("voucher_code_");
}

struct Reply {
    int status = 200;
    Json body;
    std::string etag;
    std::string raw{};  ///< sent instead of `body` when rawType is set (manifests, bundles)
    std::string rawType{};
    std::string contentRange{};                                  ///< a 206 answer's Content-Range
    std::vector<std::pair<std::string, std::string>> headers{};  ///< more headers (console cookies)
};

void writeError(Response& res, const ApiError& error, const loyalty::Clock& clock) {
    res.status = error.status;
    Json body = error.body();
    body["server_time"] = clock.now();
    res.set_content(body.dump(), "application/json");
    if (error.retryAfter) res.set_header("Retry-After", std::to_string(*error.retryAfter));
}

std::expected<Json, ApiError> parseBody(const Request& req, Body mode) {
    if (mode == Body::None) return Json::object();
    if (req.body.empty()) {
        if (mode == Body::Optional) return Json::object();
        auto e = apiError("bad_json");
        e.messageEn = "The request has no body; a JSON object is expected.";
        return std::unexpected(e);
    }
    const auto type = req.get_header_value("Content-Type");
    if (!type.starts_with("application/json")) return std::unexpected(apiError("unsupported_media_type"));
    auto json = Json::parse(req.body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::unexpected(apiError("bad_json"));
    return json;
}

/// Every route's method and path pattern, so a path served under other methods is answered 405 with
/// an Allow header (a client sending GET to a POST route learns what is wrong) instead of 404.
class RouteTable {
  public:
    void add(std::string method, const std::string& pattern) {
        m_routes.emplace_back(std::move(method), std::regex(pattern));
    }
    /// The methods serving `path`, as an Allow header lists them; empty when none does.
    [[nodiscard]] std::string allowed(const std::string& path) const {
        std::string methods;
        for (const auto& [method, pattern] : m_routes) {
            if (!std::regex_match(path, pattern) || methods.find(method) != std::string::npos) continue;
            methods += (methods.empty() ? "" : ", ") + method;
        }
        return methods;
    }

  private:
    std::vector<std::pair<std::string, std::regex>> m_routes;
};

class Router {
  public:
    Router(http::Router& server, Service& service, Metrics& metrics, RouteTable& table,
           std::shared_ptr<Limiters> limiters)
        : m_server(server),
          m_service(service),
          m_metrics(metrics),
          m_table(table),
          m_limiters(std::move(limiters)) {}

    using Handler = std::function<std::expected<Reply, ApiError>(const Request&, const Caller&, const Json&)>;

    void add(const char* method, const char* pattern, const char* route, Auth auth, Body body,
             Handler handler, Limit limit = Limit::None) {
        auto wrapped = [&service = m_service, &metrics = m_metrics, limiters = m_limiters, method, route,
                        auth, body, handler, limit](const Request& req, Response& res) {
            const auto start = Clock::now();
            Caller caller;
            auto compute = [&]() -> std::expected<Reply, ApiError> {
                // Checked here, after httplib has read the body: answering before it would reset the
                // connection under a client still sending, and the client would see no answer at all.
                if (BoundedTaskQueue::shedding()) {
                    metrics.countOverloadRejection();
                    res.set_header("Connection", "close");
                    return std::unexpected(apiError("overloaded"));
                }
                if (limit != Limit::None) {
                    if (const int wait = limiters->perAddress.take("addr:" + req.remote_addr))
                        return std::unexpected(limited(wait));
                    if (limit == Limit::Enroll)
                        if (const int wait = limiters->enroll.take(req.remote_addr))
                            return std::unexpected(limited(wait));
                }
                if (auth == Auth::Credential) {
                    auto who = service.authenticate(req.get_header_value("Authorization"));
                    if (!who) return std::unexpected(who.error());
                    caller = *who;
                }
                if (auto* bucket = limiters->forRoute(limit))
                    if (const int wait = bucket->take(credentialKey(caller)))
                        return std::unexpected(limited(wait));
                if (limit == Limit::Consume)
                    if (const int wait = limiters->consumeGuesses.wait(credentialKey(caller)))
                        return std::unexpected(limited(wait));
                auto parsed = parseBody(req, body);
                if (!parsed) return std::unexpected(parsed.error());
                auto answer = handler(req, caller, *parsed);
                if (limit == Limit::Consume && !answer && isVoucherGuess(answer.error()))
                    (void)limiters->consumeGuesses.take(credentialKey(caller));
                return answer;
            };
            const auto reply = compute();
            if (reply) {
                res.status = reply->status;
                if (!reply->etag.empty()) res.set_header("ETag", reply->etag);
                if (!reply->contentRange.empty()) res.set_header("Content-Range", reply->contentRange);
                for (const auto& [name, value] : reply->headers) res.set_header(name, value);
                if (!reply->rawType.empty())
                    res.set_content(reply->raw, reply->rawType);
                else if (reply->status != 304)
                    res.set_content(reply->body.dump(), "application/json");
            } else {
                writeError(res, reply.error(), service.clock());
                metrics.countError(reply.error().code);
                const auto level = reply.error().status >= 500 ? spdlog::level::warn : spdlog::level::info;
                if (std::size_t suppressed = 0; limiters->log.admit(suppressed))
                    spdlog::log(level,
                                "refused method={} route={} status={} code={} kiosk={} address={} "
                                "detail=\"{}\" suppressed_before={}",
                                method, route, reply.error().status, reply.error().code, caller.kioskId,
                                req.remote_addr, reply.error().messageEn, suppressed);
            }
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            metrics.observeRequest(route, method, res.status, seconds);
        };
        m_table.add(method, pattern);
        const std::string m = method;
        if (m == "GET")
            m_server.Get(pattern, wrapped);
        else if (m == "POST")
            m_server.Post(pattern, wrapped);
        else if (m == "PUT")
            m_server.Put(pattern, wrapped);
    }

  private:
    http::Router& m_server;
    Service& m_service;
    Metrics& m_metrics;
    RouteTable& m_table;
    std::shared_ptr<Limiters> m_limiters;
};

std::expected<Reply, ApiError> ok(JsonResult result) {
    if (!result) return std::unexpected(result.error());
    return Reply{200, std::move(*result), {}};
}

/// Releases and rollouts (docs/api.md, "Releases and rollouts"): bundles upload in chunks under the
/// body cap; kiosks download them with Range.
void installReleaseRoutes(Router& r, const std::shared_ptr<ReleaseApi>& api) {
    r.add("PUT", R"(/v1/admin/bundles/([0-9a-f]{64})/chunks/([0-9]{1,4}))",
          "/v1/admin/bundles/{sha256}/chunks/{n}", Auth::Credential, Body::None,
          [api](const Request& q, const Caller& c, const Json&) {
              return ok(api->putChunk(c, q.matches[1].str(), q.matches[2].str(), q.body));
          });
    r.add("POST", "/v1/admin/releases", "/v1/admin/releases", Auth::Credential, Body::Required,
          [api](const Request&, const Caller& c, const Json& b) { return ok(api->publish(c, b)); });
    r.add("GET", "/v1/admin/releases", "/v1/admin/releases", Auth::Credential, Body::None,
          [api](const Request&, const Caller& c, const Json&) { return ok(api->releases(c)); });
    r.add("POST", "/v1/admin/rollouts", "/v1/admin/rollouts", Auth::Credential, Body::Required,
          [api](const Request&, const Caller& c, const Json& b) { return ok(api->createRollout(c, b)); });
    r.add("GET", R"(/v1/admin/rollouts/([0-9]{1,18}))", "/v1/admin/rollouts/{id}", Auth::Credential,
          Body::None, [api](const Request& q, const Caller& c, const Json&) {
              return ok(api->rollout(c, q.matches[1].str()));
          });
    r.add("POST", R"(/v1/admin/rollouts/([0-9]{1,18})/(pause|resume|abort))",
          "/v1/admin/rollouts/{id}/{action}", Auth::Credential, Body::Optional,
          [api](const Request& q, const Caller& c, const Json&) {
              return ok(api->act(c, q.matches[1].str(), q.matches[2].str()));
          });
    r.add("GET", R"(/v1/releases/([0-9]{1,18})/manifest)", "/v1/releases/{id}/manifest", Auth::Credential,
          Body::None,
          [api](const Request& q, const Caller& c, const Json&) -> std::expected<Reply, ApiError> {
              auto text = api->manifest(c, q.matches[1].str());
              if (!text) return std::unexpected(text.error());
              return Reply{200, Json(), {}, std::move(*text), "text/plain; charset=utf-8", {}};
          });
    r.add("GET", R"(/v1/releases/([0-9]{1,18})/bundle)", "/v1/releases/{id}/bundle", Auth::Credential,
          Body::None,
          [api](const Request& q, const Caller& c, const Json&) -> std::expected<Reply, ApiError> {
              const auto header = q.get_header_value("Range");
              auto range = api->bundle(c, q.matches[1].str(), header);
              if (!range) return std::unexpected(range.error());
              const auto last = range->first + static_cast<std::int64_t>(range->bytes.size()) - 1;
              const bool whole = range->first == 0 && last + 1 == range->total;
              return Reply{whole ? 200 : 206,
                           Json(),
                           {},
                           std::move(range->bytes),
                           "application/octet-stream",
                           whole ? ""
                                 : "bytes " + std::to_string(range->first) + "-" + std::to_string(last) +
                                       "/" + std::to_string(range->total)};
          });
}

Reply consoleReply(ConsoleReply answer) {
    Reply out{answer.status, std::move(answer.body), {}};
    out.headers = std::move(answer.headers);
    for (const auto& header : consoleSecurityHeaders()) out.headers.push_back(header);
    return out;
}

/// The head-office console (docs/console.md): its JSON routes, the admin token's bootstrap of an
/// account, and its static files under /console/ with the security headers.
void installConsoleRoutes(Router& r, http::Router& server, Service& s, const std::string& consoleDir) {
    auto ops = std::make_shared<ConsoleOps>(s.database(), s.clock());
    for (auto& route : consoleRoutes(s, ops))
        r.add(route.method, route.pattern, route.name, Auth::Open, route.body ? Body::Required : Body::None,
              [handle = std::move(route.handle)](const Request& q, const Caller&,
                                                 const Json& b) -> std::expected<Reply, ApiError> {
                  auto answer = handle(q, b);
                  if (!answer) return std::unexpected(answer.error());
                  return consoleReply(std::move(*answer));
              });
    r.add("POST", "/v1/admin/console/users", "/v1/admin/console/users", Auth::Credential, Body::Required,
          [ops](const Request& q, const Caller& c, const Json& b) -> std::expected<Reply, ApiError> {
              auto answer = addConsoleUserByAdmin(*ops, c, q, b);
              if (!answer) return std::unexpected(answer.error());
              return consoleReply(std::move(*answer));
          });
    auto files = std::make_shared<const ConsoleFiles>(consoleDir);
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
    // httplib writes headers and body separately: with Nagle on, the body waited for the client's
    // delayed ACK (~40 ms per answer on a keep-alive connection).
    server.set_tcp_nodelay(true);

    // Filled below, read by the error handler for as long as the server runs.
    auto routes = std::make_shared<RouteTable>();
    routes->add("GET", "/healthz");
    routes->add("GET", "/metrics");

    // Anything httplib answers on its own (404 unknown route, 413 too large, 400 unparseable HTTP)
    // still gets our JSON error shape.
    const loyalty::Clock& clock = service.clock();
    server.set_error_handler([routes, &clock](const Request& req, Response& res) {
        if (!res.body.empty()) return;
        const char* code = "invalid_field";
        switch (res.status) {
            case 404:
                code = "not_found";
                if (auto allow = routes->allowed(req.path); !allow.empty()) {
                    res.status = 405;
                    res.set_header("Allow", allow);
                    code = "method_not_allowed";
                }
                break;
            case 413:
                code = "body_too_large";
                break;
            case 415:
                code = "unsupported_media_type";
                break;
            case 503:
                code = "overloaded";
                break;
            default:
                if (res.status >= 500)
                    code = "internal";
                else
                    code = "bad_json";
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
        }
        spdlog::error("exception path={} what=\"{}\"", req.path, what);
        writeError(res, apiError("internal"), clock);
    });

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

    // Two Content-Length headers that disagree: which body is meant? (request smuggling behind a
    // proxy that picked the other one). Refused before the body is read, and the connection closed so
    // its bytes are never taken for a next request.
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

    Router r(server, service, metrics, *routes, std::make_shared<Limiters>(options.limits));
    Service& s = service;
    Metrics& m = metrics;
    r.add(
        "POST", "/v1/kiosks/enroll", "/v1/kiosks/enroll", Auth::Open, Body::Required,
        [&s](const Request&, const Caller&, const Json& b) { return ok(s.enroll(b)); }, Limit::Enroll);
    r.add("POST", "/v1/claims", "/v1/claims", Auth::Credential, Body::Required,
          [&s, &m](const Request&, const Caller& c, const Json& b) -> std::expected<Reply, ApiError> {
              auto result = s.claims(c, b);
              if (!result) {
                  m.countClaim(result.error().status >= 500 ? "retry" : "refused");
                  return std::unexpected(result.error());
              }
              auto count = [&m](const Json& one) {
                  const auto status = one.value("status", "");
                  m.countClaim(status == "accepted" && one.value("replayed", false) ? "replayed" : status);
              };
              if (const auto it = result->find("results"); it != result->end())
                  for (const auto& one : *it) count(one);
              else
                  count(*result);
              return Reply{200, std::move(*result), {}};
          });
    r.add(
        "GET", R"(/v1/members/([^/]{1,64}))", "/v1/members/{phone}", Auth::Credential, Body::None,
        [&s](const Request& q, const Caller& c, const Json&) { return ok(s.member(c, q.matches[1].str())); },
        Limit::Lookup);
    r.add(
        "POST", "/v1/otp", "/v1/otp", Auth::Credential, Body::Required,
        [&s](const Request&, const Caller& c, const Json& b) { return ok(s.requestOtp(c, b)); }, Limit::Otp);
    r.add(
        "POST", "/v1/redemptions", "/v1/redemptions", Auth::Credential, Body::Required,
        [&s](const Request&, const Caller& c, const Json& b) { return ok(s.redeem(c, b)); }, Limit::Redeem);
    r.add(
        "POST", R"(/v1/vouchers/([^/]{1,64})/consume)", "/v1/vouchers/{code}/consume", Auth::Credential,
        Body::Optional,
        [&s](const Request& q, const Caller& c, const Json& b) {
            return ok(s.consumeVoucher(c, q.matches[1].str(), b));
        },
        Limit::Consume);
    r.add("GET", R"(/v1/kiosks/([^/]{1,64})/config)", "/v1/kiosks/{id}/config", Auth::Credential, Body::None,
          [&s](const Request& q, const Caller& c, const Json&) -> std::expected<Reply, ApiError> {
              auto config = s.kioskConfig(c, q.matches[1].str());
              if (!config) return std::unexpected(config.error());
              if (q.get_header_value("If-None-Match") == config->etag)
                  return Reply{304, Json(), config->etag};
              return Reply{200, std::move(config->body), config->etag};
          });
    auto rollouts = std::make_shared<Rollouts>(service.database(), service.clock());
    auto releases = std::make_shared<ReleaseApi>(*rollouts);
    r.add("POST", R"(/v1/kiosks/([^/]{1,64})/heartbeat)", "/v1/kiosks/{id}/heartbeat", Auth::Credential,
          Body::Optional,
          [&s, rollouts, releases](const Request& q, const Caller& c,
                                   const Json& b) -> std::expected<Reply, ApiError> {
              auto answer = s.heartbeat(c, q.matches[1].str(), b);
              if (!answer) return std::unexpected(answer.error());
              auto update = releases->heartbeat(c, b);
              if (!update) return std::unexpected(update.error());
              (*answer)["update"] = std::move(*update);
              return Reply{200, std::move(*answer), {}};
          });
    installReleaseRoutes(r, releases);

    r.add("POST", "/v1/admin/enrollment-codes", "/v1/admin/enrollment-codes", Auth::Credential,
          Body::Required,
          [&s](const Request&, const Caller& c, const Json& b) { return ok(s.createEnrollmentCode(c, b)); });
    r.add("GET", "/v1/admin/kiosks", "/v1/admin/kiosks", Auth::Credential, Body::None,
          [&s](const Request&, const Caller& c, const Json&) { return ok(s.listKiosks(c)); });
    r.add("POST", R"(/v1/admin/kiosks/([^/]{1,64})/revoke)", "/v1/admin/kiosks/{id}/revoke", Auth::Credential,
          Body::Optional, [&s](const Request& q, const Caller& c, const Json&) {
              return ok(s.revokeKiosk(c, q.matches[1].str()));
          });
    r.add("POST", R"(/v1/admin/kiosks/([^/]{1,64})/commands)", "/v1/admin/kiosks/{id}/commands",
          Auth::Credential, Body::Required, [&s](const Request& q, const Caller& c, const Json& b) {
              return ok(s.queueCommand(c, q.matches[1].str(), b));
          });
    r.add("GET", "/v1/admin/campaign", "/v1/admin/campaign", Auth::Credential, Body::None,
          [&s](const Request&, const Caller& c, const Json&) { return ok(s.getCampaign(c)); });
    r.add("PUT", "/v1/admin/campaign", "/v1/admin/campaign", Auth::Credential, Body::Required,
          [&s](const Request&, const Caller& c, const Json& b) { return ok(s.putCampaign(c, b)); });
    r.add("GET", "/v1/admin/theme", "/v1/admin/theme", Auth::Credential, Body::None,
          [&s](const Request&, const Caller& c, const Json&) { return ok(s.getTheme(c)); });
    r.add("PUT", "/v1/admin/theme", "/v1/admin/theme", Auth::Credential, Body::Required,
          [&s](const Request&, const Caller& c, const Json& b) { return ok(s.putTheme(c, b)); });
    r.add("GET", "/v1/admin/rewards", "/v1/admin/rewards", Auth::Credential, Body::None,
          [&s](const Request&, const Caller& c, const Json&) { return ok(s.listRewards(c)); });
    r.add("PUT", R"(/v1/admin/rewards/([^/]{1,64}))", "/v1/admin/rewards/{id}", Auth::Credential,
          Body::Required, [&s](const Request& q, const Caller& c, const Json& b) {
              return ok(s.putReward(c, q.matches[1].str(), b));
          });
    r.add("GET", "/v1/admin/stores", "/v1/admin/stores", Auth::Credential, Body::None,
          [&s](const Request&, const Caller& c, const Json&) { return ok(s.listStores(c)); });
    r.add("PUT", R"(/v1/admin/stores/([^/]{1,64}))", "/v1/admin/stores/{id}", Auth::Credential,
          Body::Required, [&s](const Request& q, const Caller& c, const Json& b) {
              return ok(s.putStore(c, q.matches[1].str(), b));
          });
    r.add("POST", R"(/v1/admin/members/([^/]{1,64})/adjust)", "/v1/admin/members/{phone}/adjust",
          Auth::Credential, Body::Required, [&s](const Request& q, const Caller& c, const Json& b) {
              return ok(s.adjustMember(c, q.matches[1].str(), b));
          });
    r.add("GET", "/v1/admin/reports/points", "/v1/admin/reports/points", Auth::Credential, Body::None,
          [&s](const Request& q, const Caller& c, const Json&) {
              return ok(s.pointsReport(c, q.get_param_value("from"), q.get_param_value("to")));
          });
    installConsoleRoutes(r, server, s, options.consoleDir);
    for (auto& route : staffRoutes(s.staff()))
        r.add(route.method, route.pattern, route.name, Auth::Credential,
              route.bodyRequired ? Body::Required : Body::Optional,
              [handle = std::move(route.handle)](const Request& q, const Caller& c, const Json& b) {
                  return ok(handle(q.matches.size() > 1 ? q.matches[1].str() : std::string(), c, b));
              });
    for (auto& game : gameRoutes(s.games()))
        r.add(game.method, game.pattern, game.name, Auth::Credential,
              game.bodyRequired ? Body::Required : Body::None,
              [handle = std::move(game.handle)](const Request& q, const Caller& c, const Json& b) {
                  const auto param = [&q](const char* name) { return q.get_param_value(name); };
                  return ok(handle(q.matches.size() > 1 ? q.matches[1].str() : std::string(), param, c, b));
              });
    // Notifications (docs/notifications.md): the admin's outbox and the provider's signed callback.
    for (auto& route : notifRoutes(s.database(), s.clock(), options.notifySecret))
        r.add(route.method, route.pattern, route.name, route.open ? Auth::Open : Auth::Credential,
              route.bodyRequired ? Body::Required : Body::Optional,
              [handle = std::move(route.handle)](const Request& q, const Caller& c, const Json& b) {
                  const auto param = [&q](const char* name) { return q.get_param_value(name); };
                  return ok(handle(q.matches.size() > 1 ? q.matches[1].str() : std::string(), q.body,
                                   q.get_header_value(loyalty::kWebhookSignatureHeader), param, c, b));
              });
    if (options.testClock) {
        // --demo only: an end-to-end test passes days (points expiry) instead of editing stored dates.
        r.add("POST", "/v1/admin/clock/advance", "/v1/admin/clock/advance", Auth::Credential, Body::Required,
              [clock = options.testClock](const Request&, const Caller& c,
                                          const Json& b) -> std::expected<Reply, ApiError> {
                  if (auto admin = requireAdmin(c); !admin) return std::unexpected(admin.error());
                  auto seconds = requireInt(b, "seconds", 1, 100LL * 365 * 86'400);
                  if (!seconds) return std::unexpected(seconds.error());
                  clock->advance(std::chrono::seconds(*seconds));
                  return Reply{200, Json{{"server_time", clock->now()}}, {}};
              });
    }
}

}  // namespace central
