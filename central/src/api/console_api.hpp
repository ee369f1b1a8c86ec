#pragma once
// The head-office console's JSON routes (/v1/console/…, docs/api.md "Console"; docs/console.md):
// login with an HttpOnly SameSite=Strict session cookie, a CSRF token required on every write, each
// route under one permission of the role table, and every write audited with who, when, from where,
// before and after. Also the static front end under /console/ (console/ in the source tree), loaded
// once at start so no request can reach another file. Private to central_core.
//
// Threads: handlers run on the server's worker threads; they BLOCK on the database.

#include <nlohmann/json.hpp>

#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "central/api_error.hpp"
#include "central/http/message.hpp"
#include "central/service.hpp"

namespace central {

class ConsoleOps;

struct ConsoleReply {
    int status = 200;
    Json body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< Set-Cookie, Cache-Control…
};

struct ConsoleRoute {
    const char* method;
    const char* pattern;
    const char* name;  ///< the route as metrics and logs name it
    bool body;         ///< a JSON object body is required
    std::function<std::expected<ConsoleReply, ApiError>(const http::Request&, const Json&)> handle;
};

/// Every /v1/console route; `service` and `ops` must outlive them.
[[nodiscard]] std::vector<ConsoleRoute> consoleRoutes(Service& service,
                                                      const std::shared_ptr<ConsoleOps>& ops);

/// POST /v1/admin/console/users: the admin token adds a console account (the first owner's
/// bootstrap, `kioskctl console add-user`); audited with the actor "admin-token".
[[nodiscard]] std::expected<ConsoleReply, ApiError> addConsoleUserByAdmin(ConsoleOps& ops,
                                                                          const Caller& caller,
                                                                          const http::Request& request,
                                                                          const Json& body);

/// The headers of every console answer, page or JSON: a strict Content-Security-Policy (scripts,
/// styles and requests from this origin only, no framing), nosniff, no referrer.
[[nodiscard]] const std::vector<std::pair<std::string, std::string>>& consoleSecurityHeaders();

/// The console's static files, read once from a folder (no subfolders followed beyond one level).
class ConsoleFiles {
  public:
    /// Reads the .html/.js/.css/.svg/.png/.json files of `dir` and its direct subfolders; an empty
    /// or missing folder serves nothing.
    explicit ConsoleFiles(const std::string& dir);
    struct File {
        std::string body;
        std::string type;
    };
    /// The file at `path` below /console/ ("" = index.html), or null.
    [[nodiscard]] const File* find(const std::string& path) const;
    [[nodiscard]] std::size_t size() const { return m_files.size(); }

  private:
    std::map<std::string, File> m_files;
};

}  // namespace central
