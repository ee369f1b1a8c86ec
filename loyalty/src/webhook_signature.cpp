#include "loyalty/webhook_signature.hpp"

#include <sodium.h>

#include <array>
#include <charconv>

namespace loyalty {
namespace {

std::string hmacHex(std::string_view secret, UnixSeconds at, std::string_view body) {
    const std::string stamp = std::to_string(at) + ".";
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(stamp.data()), stamp.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
    return hex.data();
}

}  // namespace

std::string signWebhook(std::string_view secret, UnixSeconds at, std::string_view body) {
    return "t=" + std::to_string(at) + ",v1=" + hmacHex(secret, at, body);
}

std::expected<void, std::string> verifyWebhook(std::string_view secret, std::string_view header,
                                               std::string_view body, UnixSeconds now) {
    const auto comma = header.find(",v1=");
    if (!header.starts_with("t=") || comma == std::string_view::npos)
        return std::unexpected("signature header must be t=<unix seconds>,v1=<hex HMAC-SHA256>");
    UnixSeconds at = 0;
    const std::string stamp(header.substr(2, comma - 2));
    const auto* end = stamp.data() + stamp.size();
    if (const auto [ptr, ec] = std::from_chars(stamp.data(), end, at); ec != std::errc{} || ptr != end)
        return std::unexpected("signature timestamp is not a number");
    if (at < now - kWebhookWindowSeconds || at > now + kWebhookWindowSeconds)
        return std::unexpected("signature timestamp outside the replay window (" +
                               std::to_string(kWebhookWindowSeconds) + " s)");
    const std::string expected = hmacHex(secret, at, body);
    const auto given = header.substr(comma + 4);
    if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), expected.size()) != 0)
        return std::unexpected("signature does not match");
    return {};
}

}  // namespace loyalty
