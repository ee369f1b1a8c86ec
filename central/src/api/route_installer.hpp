#pragma once
// What every route of the API goes through (docs/api.md "Errors", "Limits"): the overload check, the
// rate limits (per client address, per credential and route, the voucher guesses of a credential),
// authentication, the JSON body, the answer or the error shape, the metrics of every request and a
// sampled refusal log line. Private to central_core.
//
// Threads: add() on one thread before the server starts; the installed handlers then run on the
// server's worker threads. The Service and Metrics must outlive the server.

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "api/route.hpp"
#include "central/http/router.hpp"
#include "central/metrics.hpp"
#include "central/settings.hpp"
#include "loyalty/clock.hpp"

namespace central {

/// Writes `error` in the API's error shape (with server_time and Retry-After).
void writeError(http::Response& res, const ApiError& error, const loyalty::Clock& clock);

/// A route's path (route.hpp) as the regex the router matches and the name metrics and logs use.
/// Throws std::logic_error on an unclosed '{' (a programming error, found at start-up).
struct RoutePath {
    std::string pattern;
    std::string name;
};
[[nodiscard]] RoutePath parseRoutePath(const std::string& path);

/// Every route's method and path pattern, so a path served under other methods is answered 405 with
/// an Allow header (a client sending GET to a POST route learns what is wrong) instead of 404.
class RouteTable {
  public:
    void add(std::string method, const std::string& pattern);
    /// The methods serving `path`, as an Allow header lists them; empty when none does.
    [[nodiscard]] std::string allowed(const std::string& path) const;

  private:
    std::vector<std::pair<std::string, std::regex>> m_routes;
};

class RouteInstaller {
  public:
    /// Routes are registered on `server` and listed in `table`.
    RouteInstaller(http::Router& server, Service& service, Metrics& metrics, RouteTable& table,
                   const RateLimits& limits);
    ~RouteInstaller();
    RouteInstaller(const RouteInstaller&) = delete;
    RouteInstaller& operator=(const RouteInstaller&) = delete;

    /// Installs one area's routes.
    void add(std::vector<Route> routes);

  private:
    struct Limiters;
    void add(Route spec);

    http::Router& m_server;
    Service& m_service;
    Metrics& m_metrics;
    RouteTable& m_table;
    std::shared_ptr<Limiters> m_limiters;
};

}  // namespace central
