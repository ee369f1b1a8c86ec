#pragma once
// The HTTP request and response central's routes see, whatever server reads the bytes. Member names
// follow the subset of cpp-httplib that central's routes were written against, so the routes
// did not change when the transport did.

#include <cstddef>
#include <map>
#include <regex>
#include <string>

namespace central::http {

/// Header names compare without case (RFC 9110 §5.1).
struct CaseInsensitiveLess {
    bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using Params = std::multimap<std::string, std::string>;

struct Request {
    std::string method;
    std::string path;  ///< decoded, without the query string
    Headers headers;
    Params params;  ///< query string arguments
    std::string body;
    std::string remote_addr;
    bool secure = false;  ///< the client spoke HTTPS to a trusted proxy (http/forwarded.hpp)
    std::smatch matches;  ///< the route pattern's groups over `path` (filled by the Router)

    // cpp-httplib's names (see the top of this file).
    // NOLINTBEGIN(readability-identifier-naming)
    [[nodiscard]] std::string get_header_value(const std::string& key, std::size_t id = 0) const;
    [[nodiscard]] std::size_t get_header_value_count(const std::string& key) const;
    [[nodiscard]] std::string get_param_value(const std::string& key) const;
    // NOLINTEND(readability-identifier-naming)
};

struct Response {
    int status = -1;  ///< -1 until a handler sets it: 200 when a route ran, 404 when none matched
    Headers headers;
    std::string body;

    // cpp-httplib's names (see the top of this file).
    // NOLINTBEGIN(readability-identifier-naming)
    void set_header(const std::string& key, const std::string& value);
    void set_content(std::string content, const std::string& contentType);
    // NOLINTEND(readability-identifier-naming)
};

}  // namespace central::http
