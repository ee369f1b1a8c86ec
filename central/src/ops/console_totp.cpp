#include "ops/console_totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>

#include "loyalty/base32.hpp"

namespace central {
namespace {

std::string percentEncoded(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            out.push_back(ch);
        } else {
            std::array<char, 4> hex{};
            std::snprintf(hex.data(), hex.size(), "%%%02X", byte);
            out += hex.data();
        }
    }
    return out;
}

}  // namespace

std::string hotp(std::string_view secret, std::uint64_t counter, int digits) {
    std::array<unsigned char, 8> message{};
    for (int i = 7; i >= 0; --i, counter >>= 8U) message.at(static_cast<std::size_t>(i)) = counter & 0xFFU;
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int length = 0;
    if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), message.data(), message.size(),
             mac.data(), &length) == nullptr ||
        length != 20)
        return {};
    // RFC 4226 §5.3: dynamic truncation.
    const std::size_t offset = mac.at(19) & 0x0FU;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac.at(offset) & 0x7FU) << 24U) |
                                 (static_cast<std::uint32_t>(mac.at(offset + 1)) << 16U) |
                                 (static_cast<std::uint32_t>(mac.at(offset + 2)) << 8U) | mac.at(offset + 3);
    std::uint32_t modulo = 1;
    for (int i = 0; i < digits; ++i) modulo *= 10;
    std::string out = std::to_string(binary % modulo);
    return std::string(static_cast<std::size_t>(digits) - out.size(), '0') + out;
}

std::optional<std::int64_t> acceptedTotpStep(std::string_view secret, std::string_view code,
                                             loyalty::UnixSeconds now, std::int64_t usedStep) {
    const auto key = loyalty::decodeBase32(secret);
    if (!key || key->empty() || code.size() != 6) return std::nullopt;
    const std::string_view raw(reinterpret_cast<const char*>(key->data()), key->size());
    const std::int64_t current = now / kTotpStepSeconds;
    for (const std::int64_t step : {current - 1, current, current + 1})
        if (step > usedStep && step >= 0 && hotp(raw, static_cast<std::uint64_t>(step)) == code) return step;
    return std::nullopt;
}

std::string otpauthUri(std::string_view issuer, std::string_view username, std::string_view secret) {
    const auto label = percentEncoded(issuer);
    return "otpauth://totp/" + label + ":" + percentEncoded(username) + "?secret=" + std::string(secret) +
           "&issuer=" + label + "&algorithm=SHA1&digits=6&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace central
