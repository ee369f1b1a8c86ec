#pragma once
// What every console route checks first (docs/console.md): the session of the request's
// kc_session cookie, the CSRF token on a write, the permission of the user's role; and the shape of
// a console answer. Shared by console_api.cpp and the console's other route files. Private to
// central_core.
//
// Threads: any; authorizeConsole BLOCKS on the database.

#include <expected>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/console_api.hpp"
#include "central/api_error.hpp"
#include "central/http/message.hpp"
#include "ops/console_ops.hpp"

namespace central {

/// The session cookie's name.
inline constexpr const char* kConsoleCookie = "kc_session";

/// The kc_session token the request carries ("" when none).
[[nodiscard]] std::string consoleSessionToken(const http::Request& request);

/// The session of the request's cookie (401 unauthorized), allowed `permission` (403 forbidden); a
/// write also needs the session's CSRF token in X-CSRF-Token (403 csrf_failed).
[[nodiscard]] std::expected<ConsoleSession, ApiError> authorizeConsole(ConsoleOps& ops,
                                                                       const http::Request& request,
                                                                       std::optional<Permission> permission,
                                                                       bool write);

/// The audit's actor of a request made in `session`.
[[nodiscard]] Actor consoleActor(const ConsoleSession& session, const http::Request& request);

/// A 200 console answer that no cache keeps.
[[nodiscard]] std::expected<ConsoleReply, ApiError> consoleOk(
    Json body, std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace central
