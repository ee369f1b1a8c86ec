#pragma once
// Who the client is behind a reverse proxy: X-Forwarded-For counts only when the TCP peer is a
// trusted proxy (central.toml [http] trusted_proxies); the client is then the right-most address of
// the header that is not itself a trusted proxy. Anything else — an untrusted peer, no header, a
// header with one entry that is not a bare IP address (a port, a name, "unknown", garbage) — leaves
// the peer as the client: a client cannot choose the address its rate limits are counted against.
// X-Forwarded-Proto, from a trusted proxy only, says whether the client spoke HTTPS.
//
// Pure functions, callable from any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "central/http/message.hpp"

namespace central::http {

/// `text` as one IPv4 or IPv6 address in inet_ntop's form (an IPv4-mapped IPv6 address as IPv4);
/// nullopt when it is not exactly one address.
[[nodiscard]] std::optional<std::string> canonicalAddress(std::string_view text);

/// The client address of a request from `peer` (the TCP peer's address) carrying `headers`;
/// `trustedProxies` as canonicalAddress gives them.
[[nodiscard]] std::string forwardedClient(const std::string& peer, const Headers& headers,
                                          const std::vector<std::string>& trustedProxies);

/// True when a request from `peer` came over HTTPS: `peer` is a trusted proxy and its
/// X-Forwarded-Proto says "https", every value of it (a client's own "https" that a proxy followed
/// with ", http" is plain http). central itself speaks plain HTTP, so nothing else is HTTPS.
[[nodiscard]] bool forwardedHttps(const std::string& peer, const Headers& headers,
                                  const std::vector<std::string>& trustedProxies);

}  // namespace central::http
