#include "loyalty/credential.hpp"

#include <sodium.h>

#include <array>
#include <bitset>
#include <cstdint>

#include "loyalty/base32.hpp"

namespace loyalty {

std::string makeCredential() {
    std::array<std::uint8_t, kCredentialBytes> random{};
    randombytes_buf(random.data(), random.size());
    return std::string(kCredentialPrefix) + encodeBase32(random);
}

bool isStrongCredential(std::string_view credential) {
    if (!credential.starts_with(kCredentialPrefix)) return false;
    const auto encoded = credential.substr(kCredentialPrefix.size());
    const auto bytes = decodeBase32(encoded);
    if (!bytes || bytes->size() != kCredentialBytes) return false;
    std::bitset<256> seen;
    for (char c : encoded) seen.set(static_cast<unsigned char>(c));
    return seen.count() >= 12;
}

}  // namespace loyalty
