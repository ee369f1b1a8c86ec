#pragma once
// How kioskctl reaches central: the base URL (plain http:// only to this machine) and the admin token,
// read from a file or the environment — never from argv, where `ps` and shell history show it.

#include <CLI/CLI.hpp>

#include <expected>
#include <string>

namespace kioskctl {

/// The environment variable holding the admin token when no --admin-token-file is given.
inline constexpr const char* kAdminTokenEnv = "LOYALTY_ADMIN_TOKEN";

struct CentralAccess {
    std::string url = "http://127.0.0.1:8080";
    std::string adminTokenFile;  ///< empty = $LOYALTY_ADMIN_TOKEN
};

/// Adds --url and --admin-token-file to `command`.
void addCentralAccessOptions(CLI::App& command, CentralAccess& access);

/// The URL if it is http(s)://host[:port] and plain http:// only to a loopback host; else why not.
[[nodiscard]] std::expected<std::string, std::string> checkedCentralUrl(const std::string& url);

/// The admin token: the first line of --admin-token-file, else $LOYALTY_ADMIN_TOKEN; an error naming
/// both when neither gives one.
[[nodiscard]] std::expected<std::string, std::string> readAdminToken(const CentralAccess& access);

}  // namespace kioskctl
