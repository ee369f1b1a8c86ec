#include "central/http/forwarded.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace central::http {
namespace {

bool trusted(const std::string& address, const std::vector<std::string>& trustedProxies) {
    return std::find(trustedProxies.begin(), trustedProxies.end(), address) != trustedProxies.end();
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool isHttps(std::string_view proto) {
    constexpr std::string_view kHttps = "https";
    return std::equal(proto.begin(), proto.end(), kHttps.begin(), kHttps.end(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

}  // namespace

std::optional<std::string> canonicalAddress(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    const std::string copy(text);  // inet_pton wants a terminated string
    char out[INET6_ADDRSTRLEN] = {};
    in_addr v4{};
    if (::inet_pton(AF_INET, copy.c_str(), &v4) == 1) return ::inet_ntop(AF_INET, &v4, out, sizeof out);
    in6_addr v6{};
    if (::inet_pton(AF_INET6, copy.c_str(), &v6) != 1) return std::nullopt;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
        return ::inet_ntop(AF_INET, &v4, out, sizeof out);
    }
    return ::inet_ntop(AF_INET6, &v6, out, sizeof out);
}

std::string forwardedClient(const std::string& peer, const Headers& headers,
                            const std::vector<std::string>& trustedProxies) {
    if (trustedProxies.empty()) return peer;
    if (const auto address = canonicalAddress(peer); !address || !trusted(*address, trustedProxies))
        return peer;
    // Several X-Forwarded-For lines are one list, in order (RFC 9110 §5.3).
    std::vector<std::string> hops;
    const auto [first, last] = headers.equal_range("X-Forwarded-For");
    for (auto it = first; it != last; ++it) {
        std::string_view list = it->second;
        while (true) {
            const auto comma = list.find(',');
            auto address = canonicalAddress(trim(list.substr(0, comma)));
            if (!address) return peer;
            hops.push_back(std::move(*address));
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
    }
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop)
        if (!trusted(*hop, trustedProxies)) return *hop;
    // Every hop is a trusted proxy: the first of them is as near the client as we can know.
    return hops.empty() ? peer : hops.front();
}

bool forwardedHttps(const std::string& peer, const Headers& headers,
                    const std::vector<std::string>& trustedProxies) {
    if (const auto address = canonicalAddress(peer); !address || !trusted(*address, trustedProxies))
        return false;
    const auto [first, last] = headers.equal_range("X-Forwarded-Proto");
    if (first == last) return false;
    for (auto it = first; it != last; ++it) {
        std::string_view list = it->second;
        while (true) {
            const auto comma = list.find(',');
            if (!isHttps(trim(list.substr(0, comma)))) return false;
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
    }
    return true;
}

}  // namespace central::http
