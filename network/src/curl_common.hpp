#pragma once
// What every libcurl exchange of the network library shares (private to network/): the security
// options (TLS verification, no redirects, http/https only, timeouts from the client's config), the
// mapping of a transport failure or a non-2xx answer to a net::Error (the error values and typed JSON
// reads are json_read.hpp's).

#include <curl/curl.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "json_read.hpp"
#include "network/central_client.hpp"

namespace net::detail {

/// Central's error document: {"error":{"code":"…","message_vi":"…","message_en":"…"}} (docs/api.md).
struct ErrorDoc {
    std::string code;
    /// .en for logs and staff screens (message_en, else message, else message_vi); shoppers see a text
    /// chosen by the code.
    loyalty::LocalizedText message;
};
[[nodiscard]] ErrorDoc errorOf(const Json& body);

/// TLS verification, CA file, protocols, no redirect, no signals, connect and whole-transfer timeouts,
/// user agent. Call after curl_easy_reset.
void applyCommonOptions(CURL* curl, const ClientConfig& config);

/// A non-2xx answer as an Error. A 4xx counts as central's definitive "no" only when it carries
/// central's JSON error code — a bare 404 from a misrouted proxy must not refuse anything.
[[nodiscard]] Error httpError(long status, const std::string& body,
                              std::optional<std::chrono::seconds> retryAfter);

/// A failed curl_easy_perform as an Error; `tooLarge` when our own write callback stopped the body.
[[nodiscard]] Error transportError(CURLcode rc, const ClientConfig& config, bool tooLarge);

[[nodiscard]] std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value);

/// A header line's value without surrounding blanks and line end.
[[nodiscard]] std::string_view trim(std::string_view text);

}  // namespace net::detail
