#include "loyalty/base32.hpp"

namespace loyalty {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

constexpr int valueOf(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

}  // namespace

std::string encodeBase32(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve(base32Length(bytes.size()));
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const std::uint8_t byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(kAlphabet[(buffer >> bits) & 0x1FU]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1FU]);
    return out;
}

std::expected<std::vector<std::uint8_t>, Base32Error> decodeBase32(std::string_view text) {
    // 1, 3 and 6 trailing characters carry 5, 15, 30 bits: never a whole number of bytes plus
    // fewer than 5 bits of padding, so no encoder produces them.
    const std::size_t rest = text.size() % 8;
    if (rest == 1 || rest == 3 || rest == 6) return std::unexpected(Base32Error::BadLength);

    std::vector<std::uint8_t> out;
    out.reserve(text.size() * 5 / 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int value = valueOf(c);
        if (value < 0) return std::unexpected(Base32Error::BadCharacter);
        buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>(buffer >> bits));
        }
        buffer &= (1U << bits) - 1U;
    }
    if (buffer != 0) return std::unexpected(Base32Error::TrailingBits);
    return out;
}

std::string_view describe(Base32Error error) {
    switch (error) {
        case Base32Error::BadCharacter:
            return "character outside the base32 alphabet A-Z 2-7";
        case Base32Error::BadLength:
            return "base32 text has a length no byte string encodes to";
        case Base32Error::TrailingBits:
            return "base32 text is not canonical (non-zero trailing bits)";
    }
    return "unknown base32 error";
}

}  // namespace loyalty
