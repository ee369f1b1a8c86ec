#include "network/idempotency_key.hpp"

#include <random>

namespace net {

std::string newIdempotencyKey() {
    std::random_device random;  // libstdc++ reads /dev/urandom (or RDRAND), never a seeded PRNG
    static constexpr char kHex[] = "0123456789abcdef";
    std::string key;
    key.reserve(32);
    for (int i = 0; i < 4; ++i) {
        auto word = random();
        for (int nibble = 0; nibble < 8; ++nibble) {
            key.push_back(kHex[word & 0xfu]);
            word >>= 4;
        }
    }
    return key;
}

}  // namespace net
