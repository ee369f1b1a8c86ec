#include "network/release_download.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>

#include "curl_common.hpp"

namespace net {
using namespace detail;
namespace {

/// Central answers at most 256 KiB per range; anything far larger is not central.
constexpr std::size_t kMaxRangeBytes = 4u << 20;

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

struct Exchange {
    long status = 0;
    std::string body;
    std::string contentRange;
    std::optional<std::chrono::seconds> retryAfter;
    std::size_t cap = 0;
    bool tooLarge = false;

    static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* self) {
        auto& exchange = *static_cast<Exchange*>(self);
        const std::size_t bytes = size * count;
        if (exchange.body.size() + bytes > exchange.cap) {
            exchange.tooLarge = true;
            return 0;
        }
        exchange.body.append(data, bytes);
        return bytes;
    }

    static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self) {
        auto& exchange = *static_cast<Exchange*>(self);
        const std::size_t bytes = size * count;
        const std::string_view line(data, bytes);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return bytes;
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (name == "content-range") exchange.contentRange = std::string(trim(line.substr(colon + 1)));
        if (name == "retry-after") exchange.retryAfter = parseRetryAfter(trim(line.substr(colon + 1)));
        return bytes;
    }
};

/// One GET of a release path, the body capped at `cap`; a 2xx comes back, anything else is an Error.
Result<Exchange> get(const CentralClient& client, const std::string& path, const std::string& range,
                     std::size_t cap) {
    if (!isReleasePath(path))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not a release path: '" + path + "'"));
    const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return std::unexpected(makeError(ErrorKind::Network, "libcurl could not start"));
    const auto& config = client.config();
    Exchange exchange;
    exchange.cap = cap;
    curl_slist* headers = nullptr;
    if (const auto credential = client.credential(); !credential.empty())
        headers = curl_slist_append(headers, ("Authorization: Bearer " + credential).c_str());
    if (!range.empty()) headers = curl_slist_append(headers, ("Range: " + range).c_str());
    const std::string url = config.baseUrl + path;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    applyCommonOptions(curl.get(), config);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &Exchange::onBody);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, &Exchange::onHeader);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &exchange);
    const CURLcode rc = curl_easy_perform(curl.get());
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        auto capped = config;
        capped.maxResponseBytes = cap;
        return std::unexpected(transportError(rc, capped, exchange.tooLarge));
    }
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &exchange.status);
    if (exchange.status < 200 || exchange.status >= 300)
        return std::unexpected(httpError(exchange.status, exchange.body, exchange.retryAfter));
    return exchange;
}

std::optional<std::uint64_t> parseNumber(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

struct ContentRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::uint64_t total = 0;
};

/// "bytes N-L/T" with N <= L < T.
std::optional<ContentRange> parseContentRange(std::string_view text) {
    if (!text.starts_with("bytes ")) return std::nullopt;
    text.remove_prefix(6);
    const auto dash = text.find('-');
    const auto slash = text.find('/');
    if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash)
        return std::nullopt;
    const auto first = parseNumber(text.substr(0, dash));
    const auto last = parseNumber(text.substr(dash + 1, slash - dash - 1));
    const auto total = parseNumber(text.substr(slash + 1));
    if (!first || !last || !total || *first > *last || *last >= *total) return std::nullopt;
    return ContentRange{*first, *last, *total};
}

/// The range an answer carries: a 206 with its Content-Range, or a 200 with the whole resource.
Result<ContentRange> rangeOf(const Exchange& exchange, std::uint64_t asked) {
    const auto bad = [](std::string what) { return std::unexpected(badResponse(std::move(what))); };
    if (exchange.body.empty()) return bad("an empty range");
    if (exchange.status == 200) {
        if (asked != 0) return bad("the whole bundle to a range request");
        return ContentRange{0, exchange.body.size() - 1, exchange.body.size()};
    }
    if (exchange.status != 206) return bad("HTTP " + std::to_string(exchange.status) + " to a range");
    const auto range = parseContentRange(exchange.contentRange);
    if (!range) return bad("a malformed Content-Range '" + exchange.contentRange + "'");
    if (range->first != asked || range->last - range->first + 1 != exchange.body.size())
        return bad("another range than asked for (" + exchange.contentRange + ")");
    return *range;
}

/// Appends `bytes` to `fd` (at `offset`, its size) and syncs; on failure cuts the file back to `offset`.
Result<void> append(int fd, std::uint64_t offset, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            (void)::ftruncate(fd, static_cast<off_t>(offset));
            auto failure = makeError(ErrorKind::InvalidRequest,
                                     std::string("cannot write the staging file: ") + std::strerror(error));
            failure.code = error == ENOSPC || error == EDQUOT ? "disk_full" : "staging_write_failed";
            return std::unexpected(failure);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        (void)::ftruncate(fd, static_cast<off_t>(offset));
        auto failure = makeError(ErrorKind::InvalidRequest,
                                 std::string("cannot sync the staging file: ") + std::strerror(errno));
        failure.code = "staging_write_failed";
        return std::unexpected(failure);
    }
    return {};
}

struct FdCloser {
    explicit FdCloser(int descriptor) : fd(descriptor) {}
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    int fd;
};

}  // namespace

bool isReleasePath(std::string_view path) {
    constexpr std::string_view prefix = "/v1/releases/";
    if (!path.starts_with(prefix) || path.size() > 200 || path.find("..") != std::string_view::npos)
        return false;
    return std::all_of(path.begin(), path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '-' || c == '_' ||
               c == '.';
    });
}

Result<Downloaded> downloadRanges(const CentralClient& client, const std::string& path,
                                  const std::filesystem::path& staging, const RangedDownload& options) {
    if (options.maxBytes == 0)
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "a download needs a size cap"));
    const FdCloser file{::open(staging.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)};
    struct stat info {};
    if (file.fd < 0 || ::fstat(file.fd, &info) != 0) {
        auto failure = makeError(ErrorKind::InvalidRequest,
                                 "cannot open " + staging.string() + ": " + std::strerror(errno));
        failure.code = "staging_write_failed";
        return std::unexpected(failure);
    }
    Downloaded done{static_cast<std::uint64_t>(info.st_size), options.expectedSize};
    if (options.expectedSize != 0 && done.bytes > options.expectedSize) {
        auto failure = makeError(ErrorKind::InvalidRequest, "the staging file is larger than the bundle");
        failure.code = "staging_too_large";
        return std::unexpected(failure);
    }
    while (!done.complete()) {
        auto exchange = get(client, path, "bytes=" + std::to_string(done.bytes) + "-", kMaxRangeBytes);
        if (!exchange) return std::unexpected(exchange.error());
        auto range = rangeOf(*exchange, done.bytes);
        if (!range) return std::unexpected(range.error());
        if (range->total > options.maxBytes)
            return std::unexpected(makeError(
                ErrorKind::TooLarge, "a bundle of " + std::to_string(range->total) +
                                         " bytes, over the cap of " + std::to_string(options.maxBytes)));
        if ((options.expectedSize != 0 || done.total != 0) && range->total != done.total)
            return std::unexpected(makeError(ErrorKind::BadResponse,
                                             "central answered a bundle of " + std::to_string(range->total) +
                                                 " bytes, expected " + std::to_string(done.total)));
        if (auto written = append(file.fd, done.bytes, exchange->body); !written)
            return std::unexpected(written.error());
        done.bytes += exchange->body.size();
        done.total = range->total;
        if (!done.complete() && options.progress && !options.progress(done.bytes, done.total)) break;
    }
    return done;
}

Result<std::string> fetchText(const CentralClient& client, const std::string& path, std::size_t maxBytes) {
    auto exchange = get(client, path, "", maxBytes);
    if (!exchange) return std::unexpected(exchange.error());
    return std::move(exchange->body);
}

}  // namespace net
