#include "central_access.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>

namespace kioskctl {

void addCentralAccessOptions(CLI::App& command, CentralAccess& access) {
    command.add_option("--url", access.url, "central's base URL (plain http:// only to this machine)")
        ->capture_default_str();
    command.add_option("--admin-token-file", access.adminTokenFile,
                       std::string("file holding the admin token (default: the environment variable ") +
                           kAdminTokenEnv + ")");
}

std::expected<std::string, std::string> checkedCentralUrl(const std::string& url) {
    static const std::regex kUrl(R"(^(https?)://(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.\-]+)(:[0-9]{1,5})?/?$)");
    std::smatch m;
    if (!std::regex_match(url, m, kUrl)) return std::unexpected("--url must be http(s)://host[:port]");
    const std::string host = m[2];
    const bool loopback = host == "localhost" || host == "[::1]" || host.starts_with("127.");
    if (m[1] == "http" && !loopback)
        return std::unexpected("--url " + url +
                               ": plain http:// would send the admin token in clear; use https:// (or "
                               "http:// to 127.0.0.1 / localhost only)");
    return url;
}

std::expected<std::string, std::string> readAdminToken(const CentralAccess& access) {
    std::string token;
    if (!access.adminTokenFile.empty()) {
        std::ifstream in(access.adminTokenFile);
        if (!in) return std::unexpected("cannot read --admin-token-file " + access.adminTokenFile);
        std::getline(in, token);
    } else if (const char* env = std::getenv(kAdminTokenEnv)) {
        token = env;
    }
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    if (token.empty())
        return std::unexpected(std::string("no admin token: give --admin-token-file FILE or set ") +
                               kAdminTokenEnv);
    return token;
}

}  // namespace kioskctl
