#include "qr_symbol.hpp"

#include <array>
#include <bit>
#include <cstddef>

namespace hal::detail {

namespace {

constexpr std::uint32_t kFormatMask = 0x5412;

/// The remainder of `value` << `degree` divided by `generator` (of degree `degree`) over GF(2).
std::uint32_t bchRemainder(std::uint32_t value, std::uint32_t generator, int degree) {
    std::uint32_t remainder = value << static_cast<unsigned>(degree);
    for (int bit = 31; bit >= degree; --bit)
        if ((remainder >> static_cast<unsigned>(bit)) & 1U)
            remainder ^= generator << static_cast<unsigned>(bit - degree);
    return remainder;
}

/// Level bits of the format word: L 01, M 00, Q 11, H 10.
constexpr std::array<std::uint32_t, 4> kLevelBits = {1, 0, 3, 2};

/// Error correction per version (index 1-10) and level: check codewords per block, blocks.
constexpr std::array<std::array<int, 11>, 4> kChecksPerBlock = {{
    {0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18},
    {0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26},
    {0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24},
    {0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28},
}};
constexpr std::array<std::array<int, 11>, 4> kBlocks = {{
    {0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4},
    {0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5},
    {0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8},
    {0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8},
}};

/// Codewords of a version: its data modules (all but function patterns and info) over 8.
int totalCodewords(int version) {
    int modules = (16 * version + 128) * version + 64;
    if (version >= 2) {
        const int aligns = version / 7 + 2;
        modules -= (25 * aligns - 10) * aligns - 55;
        if (version >= 7) modules -= 36;
    }
    return modules / 8;
}

}  // namespace

std::vector<int> alignmentCentres(int version) {
    if (version < 2) return {};
    const int aligns = version / 7 + 2;
    const int step = (version * 4 + aligns * 2 + 1) / (aligns * 2 - 2) * 2;
    std::vector<int> centres(static_cast<std::size_t>(aligns));
    centres[0] = 6;
    for (int i = aligns - 1, position = qrDimension(version) - 7; i >= 1; --i, position -= step)
        centres[static_cast<std::size_t>(i)] = position;
    return centres;
}

std::uint32_t formatBits(FormatInfo info) {
    const std::uint32_t data =
        (kLevelBits[static_cast<std::size_t>(info.level)] << 3U) | static_cast<std::uint32_t>(info.mask);
    return ((data << 10U) | bchRemainder(data, 0x537, 10)) ^ kFormatMask;
}

std::optional<FormatInfo> nearestFormat(std::uint32_t first, std::uint32_t second) {
    std::optional<FormatInfo> best;
    int bestDistance = 4;
    for (std::size_t level = 0; level < 4; ++level)
        for (int mask = 0; mask < 8; ++mask) {
            const FormatInfo info{static_cast<QrLevel>(level), mask};
            const std::uint32_t word = formatBits(info);
            const int distance = std::min(std::popcount(word ^ first), std::popcount(word ^ second));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = info;
            }
        }
    return best;
}

std::uint32_t versionBits(int version) {
    const auto data = static_cast<std::uint32_t>(version);
    return (data << 12U) | bchRemainder(data, 0x1f25, 12);
}

std::optional<int> nearestVersion(std::uint32_t bits) {
    std::optional<int> best;
    int bestDistance = 4;
    for (int version = 7; version <= 40; ++version) {
        const int distance = std::popcount(versionBits(version) ^ bits);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = version;
        }
    }
    return best;
}

std::vector<ModuleAt> formatModules(int dimension, bool second) {
    std::vector<ModuleAt> modules;
    if (!second) {
        for (int i = 0; i <= 5; ++i) modules.push_back({i, 8});
        modules.push_back({7, 8});
        modules.push_back({8, 8});
        modules.push_back({8, 7});
        for (int i = 9; i < 15; ++i) modules.push_back({8, 14 - i});
    } else {
        for (int i = 0; i < 8; ++i) modules.push_back({8, dimension - 1 - i});
        for (int i = 8; i < 15; ++i) modules.push_back({dimension - 15 + i, 8});
    }
    return modules;
}

ModuleAt versionModule(int dimension, int bit, bool second) {
    const int a = dimension - 11 + bit % 3;
    const int b = bit / 3;
    return second ? ModuleAt{a, b} : ModuleAt{b, a};
}

std::vector<bool> functionModules(int version) {
    const int d = qrDimension(version);
    std::vector<bool> function(moduleIndex(d, 0, d), false);
    const auto mark = [&](int row, int column, int rows, int columns) {
        for (int r = row; r < row + rows; ++r)
            for (int c = column; c < column + columns; ++c)
                if (r >= 0 && r < d && c >= 0 && c < d) function[moduleIndex(r, c, d)] = true;
    };
    // Finder patterns with their separators and the format information beside them.
    mark(0, 0, 9, 9);
    mark(0, d - 8, 9, 8);
    mark(d - 8, 0, 8, 9);
    mark(6, 0, 1, d);
    mark(0, 6, d, 1);
    const std::vector<int> centres = alignmentCentres(version);
    for (const int row : centres)
        for (const int column : centres) {
            const bool onFinder = (row == 6 && column == 6) || (row == 6 && column == centres.back()) ||
                                  (row == centres.back() && column == 6);
            if (!onFinder) mark(row - 2, column - 2, 5, 5);
        }
    if (version >= 7) {
        mark(0, d - 11, 6, 3);
        mark(d - 11, 0, 3, 6);
    }
    return function;
}

std::vector<int> placementOrder(int version) {
    const int d = qrDimension(version);
    const std::vector<bool> function = functionModules(version);
    std::vector<int> order;
    for (int right = d - 1; right >= 1; right -= 2) {
        if (right == 6) right = 5;
        const bool upward = ((right + 1) & 2) == 0;
        for (int step = 0; step < d; ++step) {
            const int row = upward ? d - 1 - step : step;
            for (int j = 0; j < 2; ++j) {
                const int index = row * d + right - j;
                if (!function[static_cast<std::size_t>(index)]) order.push_back(index);
            }
        }
    }
    return order;
}

bool maskFlips(int mask, int row, int column) {
    const int r = row;
    const int c = column;
    switch (mask) {
        case 0:
            return (r + c) % 2 == 0;
        case 1:
            return r % 2 == 0;
        case 2:
            return c % 3 == 0;
        case 3:
            return (r + c) % 3 == 0;
        case 4:
            return (r / 2 + c / 3) % 2 == 0;
        case 5:
            return (r * c) % 2 + (r * c) % 3 == 0;
        case 6:
            return ((r * c) % 2 + (r * c) % 3) % 2 == 0;
        default:
            return ((r + c) % 2 + (r * c) % 3) % 2 == 0;
    }
}

BlockLayout blockLayout(int version, QrLevel level) {
    const auto l = static_cast<std::size_t>(level);
    const auto v = static_cast<std::size_t>(version);
    BlockLayout layout;
    layout.totalCodewords = totalCodewords(version);
    layout.blocks = kBlocks[l][v];
    layout.checkCount = kChecksPerBlock[l][v];
    layout.shortBlocks = layout.blocks - layout.totalCodewords % layout.blocks;
    layout.shortDataCount = layout.totalCodewords / layout.blocks - layout.checkCount;
    return layout;
}

}  // namespace hal::detail
