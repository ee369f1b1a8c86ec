#pragma once
// One route of the HTTP API (docs/api.md): its method, its path written once, who may call it, its
// body, its rate limit and its handler. Each area of api/ (claims, spend, fleet, admin, staff, games,
// notifications, console) gives its routes as a list of these; RouteInstaller (route_installer.hpp)
// puts them behind authentication, limits, body parsing, metrics and the refusal log. Private to
// central_core.
//
// A path parameter is written "{name}" (1-64 characters other than '/') or "{name:REGEX}" (REGEX,
// e.g. "{id:[0-9]{1,18}}"); the handler reads the n-th with pathParam(request, n). Metrics and logs
// name the route by its path with the REGEX parts left out ("/v1/admin/rollouts/{id}").

#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "central/api_error.hpp"
#include "central/http/message.hpp"
#include "central/service.hpp"

namespace central {

/// Whether a route reads a JSON object body; Optional treats an empty body as {}.
enum class Body { None, Required, Optional };
/// Open: no bearer credential (enrollment, the console's own cookie, a signed provider callback).
enum class Auth { Open, Credential };
/// The rate limit a route is under (docs/api.md, "Limits"); None = only the overload queue.
enum class Limit { None, Lookup, Otp, Redeem, Consume, Enroll };

/// A route's answer: a JSON body, or raw bytes of `rawType` (manifests, bundles). The empty
/// initialisers let a Reply be brace-initialised with its first members only (g++ warns otherwise).
// NOLINTBEGIN(readability-redundant-member-init)
struct Reply {
    int status = 200;
    Json body;
    std::string etag{};
    std::string raw{};  ///< sent instead of `body` when rawType is set
    std::string rawType{};
    std::string contentRange{};                                  ///< a 206 answer's Content-Range
    std::vector<std::pair<std::string, std::string>> headers{};  ///< more headers (console cookies)
};
// NOLINTEND(readability-redundant-member-init)
using ReplyResult = std::expected<Reply, ApiError>;

/// `body` is the parsed JSON object ({} for Body::None or an empty optional body); `caller` is
/// filled only for Auth::Credential.
using RouteHandler = std::function<ReplyResult(const http::Request&, const Caller&, const Json&)>;

struct Route {
    const char* method;
    std::string path;  ///< "/v1/members/{phone}" (see the top of this file)
    Auth auth;
    Body body;
    RouteHandler handle;
    Limit limit = Limit::None;
};

/// A JSON answer of status 200, or its error.
[[nodiscard]] inline ReplyResult ok(JsonResult result) {
    if (!result) return std::unexpected(result.error());
    return Reply{200, std::move(*result)};
}

/// A handler from `handle(request, caller, body)` -> JsonResult: its JSON answered with status 200.
template <typename Handle>
[[nodiscard]] RouteHandler jsonHandler(Handle handle) {
    return [handle = std::move(handle)](const http::Request& q, const Caller& c, const Json& b) {
        return ok(handle(q, c, b));
    };
}

/// The `n`-th parameter of the route's path (1 = the first), "" when it has fewer.
[[nodiscard]] inline std::string pathParam(const http::Request& request, std::size_t n = 1) {
    return request.matches.size() > n ? request.matches[n].str() : std::string();
}

}  // namespace central
