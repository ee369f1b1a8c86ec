#pragma once
// Unsigned LEB128 varints for the compact signed payloads (receipt tokens, vouchers): 7 bits per byte,
// least significant group first, high bit set on every byte but the last. Only the shortest form is
// accepted, so one value has exactly one encoding (a signed payload cannot be re-encoded into a
// different byte string with the same meaning). Pure functions, any thread.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <vector>

namespace loyalty {

enum class VarintError {
    Truncated,  ///< the bytes end inside the varint
    Overlong,   ///< a non-shortest form (a trailing 0x00 group)
    Overflow,   ///< more than 64 bits
};

/// Appends the shortest encoding of `value` (1-10 bytes).
void appendVarint(std::vector<std::uint8_t>& out, std::uint64_t value);

/// Reads one varint starting at `pos` and advances `pos` past it; on error `pos` is unchanged.
[[nodiscard]] std::expected<std::uint64_t, VarintError> readVarint(std::span<const std::uint8_t> bytes,
                                                                   std::size_t& pos);

}  // namespace loyalty
