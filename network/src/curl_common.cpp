#include "curl_common.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace net::detail {

ErrorDoc errorOf(const Json& body) {
    const auto it = body.find("error");
    if (it == body.end()) return {};
    if (it->is_string()) return {it->get<std::string>(), {}};
    if (!it->is_object()) return {"invalid_error", {}};
    ErrorDoc doc{readStringOr(*it, "code"),
                 {readStringOr(*it, "message_vi"), readStringOr(*it, "message_en")}};
    if (doc.message.en.empty()) doc.message.en = readStringOr(*it, "message", doc.message.vi);
    return doc;
}

void applyCommonOptions(CURL* curl, const ClientConfig& config) {
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could carry the credential elsewhere
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // timeouts without SIGALRM: we run on threads
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>((config.connectTimeout + config.requestTimeout).count()));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!config.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, config.caFile.c_str());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, config.userAgent.c_str());
}

Error httpError(long status, const std::string& body, std::optional<std::chrono::seconds> retryAfter) {
    const int code = static_cast<int>(status);
    const auto json = Json::parse(body, nullptr, false);
    const auto doc = json.is_object() ? errorOf(json) : ErrorDoc{};
    Error error = makeError(ErrorKind::Server,
                            doc.message.en.empty() ? "HTTP " + std::to_string(code) : doc.message.en, code);
    error.code = doc.code;
    error.retryAfter = retryAfter;
    if (code == 429 || code == 503)
        error.kind = ErrorKind::Overloaded;
    else if (code == 408)
        error.kind = ErrorKind::Timeout;
    else if (code >= 500)
        error.kind = ErrorKind::Server;
    else if (code == 401 || code == 403)
        error.kind = ErrorKind::Unauthorized;
    else if (code >= 400 && code < 500 && !doc.code.empty())
        error.kind = ErrorKind::Refused;
    else
        error.kind = ErrorKind::BadResponse;
    return error;
}

Error transportError(CURLcode rc, const ClientConfig& config, bool tooLarge) {
    const std::string what = std::string(curl_easy_strerror(rc)) + " (" + config.baseUrl + ")";
    const std::string overCap = "answer larger than " + std::to_string(config.maxResponseBytes) + " bytes";
    switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            return makeError(ErrorKind::Timeout, what);
        case CURLE_FILESIZE_EXCEEDED:
            return makeError(ErrorKind::TooLarge, overCap);
        case CURLE_WRITE_ERROR:
            return tooLarge ? makeError(ErrorKind::TooLarge, overCap) : makeError(ErrorKind::Network, what);
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_ISSUER_ERROR:
            return makeError(ErrorKind::Tls, what);
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return makeError(ErrorKind::InvalidConfig, what);
        default:
            return makeError(ErrorKind::Network, what);
    }
}

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value) {
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) return std::nullopt;
    return std::chrono::seconds(std::min<std::int64_t>(seconds, 3600));
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    return text;
}

}  // namespace net::detail
