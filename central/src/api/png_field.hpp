#pragma once
// A PNG carried in a JSON body as base64 text (the chain's logo, a reward's picture): checked on the way
// in so a kiosk is never handed something that is not a small PNG. Private to central_core.

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "central/api_error.hpp"

namespace central {

/// The limits one kind of picture must keep.
struct PngLimits {
    std::size_t maxBytes;  ///< of the decoded file
    int maxWidth;          ///< pixels
    int maxHeight;
};

/// A reward's picture on the kiosk's rewards list: a small square-ish tile.
inline constexpr PngLimits kRewardImageLimits{32 * 1024, 512, 512};

/// Checks that `base64` (standard alphabet, padded) decodes to a PNG file (signature and IHDR) within
/// `limits`. Returns the text unchanged; error: 400 invalid_field naming `field` and what is wrong.
[[nodiscard]] std::expected<std::string, ApiError> checkedPng(const char* field, std::string_view base64,
                                                              const PngLimits& limits);

}  // namespace central
