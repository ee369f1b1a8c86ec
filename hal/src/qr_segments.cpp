#include "qr_segments.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace hal::detail {

namespace {

class BitReader {
  public:
    explicit BitReader(const std::vector<std::uint8_t>& bytes) : m_bytes(bytes) {}
    [[nodiscard]] std::size_t left() const { return m_bytes.size() * 8 - m_position; }
    /// The next `count` bits, or nothing past the end.
    std::optional<std::uint32_t> take(std::size_t count) {
        if (count > left()) return std::nullopt;
        std::uint32_t value = 0;
        for (std::size_t i = 0; i < count; ++i, ++m_position)
            value = (value << 1U) | ((m_bytes[m_position / 8] >> (7 - m_position % 8)) & 1U);
        return value;
    }

  private:
    const std::vector<std::uint8_t>& m_bytes;
    std::size_t m_position = 0;
};

constexpr std::string_view kAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Appends `count` characters of a numeric (digitsPerGroup 3) or alphanumeric (2) segment.
bool readGroups(BitReader& bits, std::uint32_t count, bool numeric, std::string& text) {
    const std::uint32_t perGroup = numeric ? 3 : 2;
    const std::uint32_t radix = numeric ? 10 : 45;
    while (count > 0) {
        const std::uint32_t chars = std::min(count, perGroup);
        const std::size_t width = numeric ? (chars == 3 ? 10 : chars == 2 ? 7 : 4) : (chars == 2 ? 11 : 6);
        const auto value = bits.take(width);
        std::uint32_t limit = 1;
        for (std::uint32_t i = 0; i < chars; ++i) limit *= radix;
        if (!value || *value >= limit) return false;
        std::string group;
        for (std::uint32_t i = 0, rest = *value; i < chars; ++i, rest /= radix)
            group.insert(group.begin(),
                         numeric ? static_cast<char>('0' + rest % 10) : kAlphanumeric[rest % 45]);
        text += group;
        count -= chars;
    }
    return true;
}

}  // namespace

std::optional<std::string> parseSegments(const std::vector<std::uint8_t>& data, int version) {
    BitReader bits(data);
    std::string text;
    const bool large = version >= 10;
    while (bits.left() >= 4) {
        const std::uint32_t mode = *bits.take(4);
        if (mode == 0) break;
        if (mode == 7) {  // ECI: its designator is skipped, the bytes are taken as they are
            const auto first = bits.take(8);
            if (!first) return std::nullopt;
            const std::size_t more = (*first & 0x80U) == 0 ? 0 : (*first & 0x40U) == 0 ? 8 : 16;
            if (!bits.take(more)) return std::nullopt;
            continue;
        }
        const std::size_t countBits = mode == 1   ? (large ? 12 : 10)
                                      : mode == 2 ? (large ? 11 : 9)
                                      : large     ? 16
                                                  : 8;
        if (mode != 1 && mode != 2 && mode != 4) return std::nullopt;
        const auto count = bits.take(countBits);
        if (!count) return std::nullopt;
        if (mode == 4) {
            for (std::uint32_t i = 0; i < *count; ++i) {
                const auto byte = bits.take(8);
                if (!byte) return std::nullopt;
                text.push_back(static_cast<char>(*byte));
            }
        } else if (!readGroups(bits, *count, mode == 1, text)) {
            return std::nullopt;
        }
    }
    if (text.empty()) return std::nullopt;
    return text;
}

}  // namespace hal::detail
