#include "png_field.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace central {
namespace {

std::uint32_t bigEndian(const std::vector<unsigned char>& bytes, std::size_t at) {
    return static_cast<std::uint32_t>(bytes[at]) << 24 | static_cast<std::uint32_t>(bytes[at + 1]) << 16 |
           static_cast<std::uint32_t>(bytes[at + 2]) << 8 | bytes[at + 3];
}

}  // namespace

std::expected<std::string, ApiError> checkedPng(const char* field, std::string_view base64,
                                                const PngLimits& limits) {
    // Base64 carries 3 bytes in 4 characters: anything longer cannot decode within the cap.
    if (base64.size() > (limits.maxBytes + 2) / 3 * 4)
        return std::unexpected(invalidField(
            field, "the picture is larger than " + std::to_string(limits.maxBytes / 1024) + " KiB"));
    std::vector<unsigned char> bytes(base64.size() / 4 * 3 + 3);
    std::size_t length = 0;
    if (sodium_base642bin(bytes.data(), bytes.size(), base64.data(), base64.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::unexpected(invalidField(field, "is not base64 text"));
    bytes.resize(length);
    // The signature, then IHDR first: length 13, "IHDR", width, height (PNG spec, 5.2 and 11.2.2).
    constexpr std::array<unsigned char, 8> kSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    constexpr std::array<unsigned char, 4> kIhdr{'I', 'H', 'D', 'R'};
    if (bytes.size() < 33 || !std::equal(kSignature.begin(), kSignature.end(), bytes.begin()) ||
        !std::equal(kIhdr.begin(), kIhdr.end(), bytes.begin() + 12))
        return std::unexpected(invalidField(field, "is not a PNG picture"));
    const std::uint32_t width = bigEndian(bytes, 16);
    const std::uint32_t height = bigEndian(bytes, 20);
    if (width == 0 || height == 0 || width > static_cast<std::uint32_t>(limits.maxWidth) ||
        height > static_cast<std::uint32_t>(limits.maxHeight))
        return std::unexpected(invalidField(field, "the picture is " + std::to_string(width) + "x" +
                                                       std::to_string(height) + " pixels; at most " +
                                                       std::to_string(limits.maxWidth) + "x" +
                                                       std::to_string(limits.maxHeight)));
    return std::string(base64);
}

}  // namespace central
