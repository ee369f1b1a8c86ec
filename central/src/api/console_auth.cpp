#include "api/console_auth.hpp"

#include <algorithm>
#include <string_view>

#include "ops/secrets.hpp"

namespace central {
namespace {

/// The value of cookie `name` in a Cookie header ("" when absent).
std::string cookieValue(const std::string& header, std::string_view name) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        const auto end = std::min(header.find(';', pos), header.size());
        auto part = std::string_view(header).substr(pos, end - pos);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        pos = end + 1;
    }
    return "";
}

}  // namespace

std::string consoleSessionToken(const http::Request& request) {
    return cookieValue(request.get_header_value("Cookie"), kConsoleCookie);
}

std::expected<ConsoleSession, ApiError> authorizeConsole(ConsoleOps& ops, const http::Request& request,
                                                         std::optional<Permission> permission, bool write) {
    auto session = ops.session(consoleSessionToken(request));
    if (!session) return std::unexpected(session.error());
    if (write) {
        const auto sent = request.get_header_value("X-CSRF-Token");
        if (sent.empty() || !secretEquals(sent, session->csrfToken))
            return std::unexpected(apiError("csrf_failed"));
    }
    if (permission && !allows(session->user.role, *permission)) return std::unexpected(apiError("forbidden"));
    return session;
}

Actor consoleActor(const ConsoleSession& session, const http::Request& request) {
    return Actor{session.user.username, request.remote_addr};
}

std::expected<ConsoleReply, ApiError> consoleOk(Json body,
                                                std::vector<std::pair<std::string, std::string>> headers) {
    headers.emplace_back("Cache-Control", "no-store");
    return ConsoleReply{200, std::move(body), std::move(headers)};
}

}  // namespace central
