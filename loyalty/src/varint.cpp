#include "loyalty/varint.hpp"

namespace loyalty {

void appendVarint(std::vector<std::uint8_t>& out, std::uint64_t value) {
    while (value >= 0x80U) {
        out.push_back(static_cast<std::uint8_t>((value & 0x7FU) | 0x80U));
        value >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(value));
}

std::expected<std::uint64_t, VarintError> readVarint(std::span<const std::uint8_t> bytes, std::size_t& pos) {
    std::uint64_t value = 0;
    std::size_t at = pos;
    for (unsigned shift = 0;; shift += 7) {
        if (at >= bytes.size()) return std::unexpected(VarintError::Truncated);
        const std::uint8_t byte = bytes[at++];
        const std::uint64_t group = byte & 0x7FU;
        // The tenth byte holds bit 63 only.
        if (shift == 63 && byte > 1U) return std::unexpected(VarintError::Overflow);
        value |= group << shift;
        if ((byte & 0x80U) == 0) {
            if (byte == 0 && shift > 0) return std::unexpected(VarintError::Overlong);
            pos = at;
            return value;
        }
    }
}

}  // namespace loyalty
