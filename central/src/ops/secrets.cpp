#include "ops/secrets.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <vector>

#include "loyalty/base32.hpp"

namespace central {

std::string sha256Hex(std::string_view text) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

std::string randomBase32(std::size_t bytes) {
    std::vector<std::uint8_t> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    return loyalty::encodeBase32(buffer);
}

std::string maskedVoucherCode(std::string_view code) {
    std::string masked(code);
    for (std::size_t i = 0; i + 2 < masked.size(); ++i)
        if (masked[i] != '-') masked[i] = '*';
    return masked;
}

bool secretEquals(std::string_view a, std::string_view b) {
    const auto ha = sha256Hex(a);
    const auto hb = sha256Hex(b);
    return sodium_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

}  // namespace central
