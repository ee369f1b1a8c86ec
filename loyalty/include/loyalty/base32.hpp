#pragma once
// RFC 4648 base32 with the upper-case alphabet A-Z 2-7 and no '=' padding. Every character is in the
// QR alphanumeric set, so a base32 text encodes in QR alphanumeric mode (5.5 bits per character)
// instead of byte mode (8 bits). Pure functions: no I/O, callable from any thread.

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty {

enum class Base32Error {
    BadCharacter,  ///< a character outside A-Z 2-7 (lower case, '=', spaces are refused too)
    BadLength,     ///< a length no byte string encodes to (length % 8 is 1, 3 or 6)
    TrailingBits,  ///< the unused low bits of the last character are not zero (non-canonical text)
};

/// Encodes bytes; the result has ceil(8 * size / 5) characters.
[[nodiscard]] std::string encodeBase32(std::span<const std::uint8_t> bytes);

/// Decodes exactly what encodeBase32 produces and nothing else: every byte string has exactly one
/// accepted text, so two different texts never decode to the same bytes.
[[nodiscard]] std::expected<std::vector<std::uint8_t>, Base32Error> decodeBase32(std::string_view text);

/// Number of base32 characters for `bytes` bytes.
[[nodiscard]] constexpr std::size_t base32Length(std::size_t bytes) {
    return (bytes * 8 + 4) / 5;
}

[[nodiscard]] std::string_view describe(Base32Error error);

}  // namespace loyalty
