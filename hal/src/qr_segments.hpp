#pragma once
// hal-internal: the data segments of a QR code's corrected data codewords (ISO/IEC 18004 7.4):
// numeric, alphanumeric and byte segments (an ECI designator is skipped), up to the terminator.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hal::detail {

/// The text of `data` (the data codewords of a code of `version`, all blocks in order); nothing for a
/// mode it does not read, a segment longer than the data, a value out of its mode's range, or no text.
[[nodiscard]] std::optional<std::string> parseSegments(const std::vector<std::uint8_t>& data, int version);

}  // namespace hal::detail
