#include "api/route_installer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "central/bounded_task_queue.hpp"
#include "central/rate_limiter.hpp"
#include "ops/fleet.hpp"

namespace central {
namespace {

using http::Request;
using http::Response;
using SteadyClock = std::chrono::steady_clock;

/// At most kLinesPerSecond refusal lines a second; the count of the lines left out is logged with the
/// next line written, so hostile traffic shows as a number, not as a flood of lines.
class RefusalLog {
  public:
    static constexpr int kLinesPerSecond = 20;
    /// True if this refusal may be logged; `suppressed` is then set to the lines left out before it.
    bool admit(std::size_t& suppressed) {
        std::lock_guard lock(m_mutex);
        const auto second = std::chrono::floor<std::chrono::seconds>(SteadyClock::now());
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
    std::chrono::time_point<SteadyClock, std::chrono::seconds> m_second;
    int m_written = 0;
    std::size_t m_suppressed = 0;
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

bool isRegexSpecial(char c) {
    return std::string_view(".+*?()[]^$|\\").find(c) != std::string_view::npos;
}

}  // namespace

void writeError(Response& res, const ApiError& error, const loyalty::Clock& clock) {
    res.status = error.status;
    Json body = error.body();
    body["server_time"] = clock.now();
    res.set_content(body.dump(), "application/json");
    if (error.retryAfter) res.set_header("Retry-After", std::to_string(*error.retryAfter));
}

RoutePath parseRoutePath(const std::string& path) {
    std::string pattern;
    std::string name;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '{') {
            if (isRegexSpecial(path[i])) pattern += '\\';
            pattern += path[i];
            name += path[i];
            continue;
        }
        std::size_t end = i + 1;
        for (int depth = 1; end < path.size(); ++end) {
            depth += path[end] == '{' ? 1 : path[end] == '}' ? -1 : 0;
            if (depth == 0) break;
        }
        if (end >= path.size()) throw std::logic_error("route path with an unclosed '{': " + path);
        const auto inner = path.substr(i + 1, end - i - 1);
        const auto colon = inner.find(':');
        pattern +=
            "(" + (colon == std::string::npos ? std::string("[^/]{1,64}") : inner.substr(colon + 1)) + ")";
        name += "{" + inner.substr(0, colon) + "}";
        i = end;
    }
    return {std::move(pattern), std::move(name)};
}

void RouteTable::add(std::string method, const std::string& pattern) {
    m_routes.emplace_back(std::move(method), std::regex(pattern));
}

std::string RouteTable::allowed(const std::string& path) const {
    std::string methods;
    for (const auto& [method, pattern] : m_routes) {
        if (!std::regex_match(path, pattern) || methods.find(method) != std::string::npos) continue;
        methods += (methods.empty() ? "" : ", ") + method;
    }
    return methods;
}

/// Every bucket of the API: per credential for each limited route, per client address over all of
/// them (and for enrollment), and the voucher guesses of a credential (charged by a consume of a code
/// that does not exist).
struct RouteInstaller::Limiters {
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
    /// The limits, authentication and body of one request, then its handler's answer.
    ReplyResult admit(const Route& route, Service& service, Metrics& metrics, const Request& req,
                      Response& res, Caller& caller);

    RateLimiter lookup, otp, redeem, consume, enroll, perAddress, consumeGuesses;
    RefusalLog log;
};

ReplyResult RouteInstaller::Limiters::admit(const Route& route, Service& service, Metrics& metrics,
                                            const Request& req, Response& res, Caller& caller) {
    // Checked here, after the server has read the body: answering before it would reset the
    // connection under a client still sending, and the client would see no answer at all.
    if (BoundedTaskQueue::shedding()) {
        metrics.countOverloadRejection();
        res.set_header("Connection", "close");
        return std::unexpected(apiError("overloaded"));
    }
    if (route.limit != Limit::None) {
        if (const int wait = perAddress.take("addr:" + req.remote_addr))
            return std::unexpected(limited(wait));
        if (route.limit == Limit::Enroll)
            if (const int wait = enroll.take(req.remote_addr)) return std::unexpected(limited(wait));
    }
    if (route.auth == Auth::Credential) {
        auto who = service.fleet().authenticate(req.get_header_value("Authorization"));
        if (!who) return std::unexpected(who.error());
        caller = *who;
    }
    if (auto* bucket = forRoute(route.limit))
        if (const int wait = bucket->take(credentialKey(caller))) return std::unexpected(limited(wait));
    if (route.limit == Limit::Consume)
        if (const int wait = consumeGuesses.wait(credentialKey(caller)))
            return std::unexpected(limited(wait));
    auto parsed = parseBody(req, route.body);
    if (!parsed) return std::unexpected(parsed.error());
    auto answer = route.handle(req, caller, *parsed);
    if (route.limit == Limit::Consume && !answer && isVoucherGuess(answer.error()))
        (void)consumeGuesses.take(credentialKey(caller));
    return answer;
}

RouteInstaller::RouteInstaller(http::Router& server, Service& service, Metrics& metrics, RouteTable& table,
                               const RateLimits& limits)
    : m_server(server),
      m_service(service),
      m_metrics(metrics),
      m_table(table),
      m_limiters(std::make_shared<Limiters>(limits)) {}

RouteInstaller::~RouteInstaller() = default;

void RouteInstaller::add(std::vector<Route> routes) {
    for (auto& route : routes) add(std::move(route));
}

void RouteInstaller::add(Route spec) {
    const auto path = parseRoutePath(spec.path);
    auto shared = std::make_shared<const Route>(std::move(spec));
    auto handler = [&service = m_service, &metrics = m_metrics, limiters = m_limiters, route = shared,
                    name = path.name](const Request& req, Response& res) {
        const auto start = SteadyClock::now();
        Caller caller;
        const auto reply = limiters->admit(*route, service, metrics, req, res, caller);
        if (reply) {
            res.status = reply->status;
            if (!reply->etag.empty()) res.set_header("ETag", reply->etag);
            if (!reply->contentRange.empty()) res.set_header("Content-Range", reply->contentRange);
            for (const auto& [header, value] : reply->headers) res.set_header(header, value);
            if (!reply->rawType.empty())
                res.set_content(reply->raw, reply->rawType);
            else if (reply->status != 304)
                res.set_content(reply->body.dump(), "application/json");
        } else {
            const auto& error = reply.error();
            writeError(res, error, service.clock());
            metrics.countError(error.code);
            const auto level = error.status >= 500 ? spdlog::level::warn : spdlog::level::info;
            if (std::size_t suppressed = 0; limiters->log.admit(suppressed))
                spdlog::log(level,
                            "refused method={} route={} status={} code={} kiosk={} address={} detail=\"{}\" "
                            "suppressed_before={}",
                            route->method, name, error.status, error.code, caller.kioskId, req.remote_addr,
                            error.messageEn, suppressed);
        }
        const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
        metrics.observeRequest(name, route->method, res.status, seconds);
    };
    m_table.add(shared->method, path.pattern);
    const std::string_view method = shared->method;
    if (method == "GET")
        m_server.Get(path.pattern, std::move(handler));
    else if (method == "POST")
        m_server.Post(path.pattern, std::move(handler));
    else if (method == "PUT")
        m_server.Put(path.pattern, std::move(handler));
    else
        throw std::logic_error("route method not served: " + std::string(method));
}

}  // namespace central
