#pragma once
// hal-internal: the layout of a QR symbol of version 1-10 (ISO/IEC 18004): where its function
// patterns are, its format and version information, the order its codeword bits are placed in,
// its masks and its error correction blocks. What our own reader (qr_module_reader.hpp) needs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace hal::detail {

inline constexpr int kMaxReadVersion = 10;

enum class QrLevel : std::uint8_t { L, M, Q, H };

[[nodiscard]] constexpr int qrDimension(int version) {
    return 17 + 4 * version;
}

/// Row-major index of a module in a code of `dimension` modules a side.
[[nodiscard]] constexpr std::size_t moduleIndex(int row, int column, int dimension) {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(dimension) +
           static_cast<std::size_t>(column);
}

/// Alignment pattern centres (module index along either axis), annex E.
[[nodiscard]] std::vector<int> alignmentCentres(int version);

struct FormatInfo {
    QrLevel level = QrLevel::M;
    int mask = 0;
};

/// The 15 bits (BCH-coded, XOR-masked) that carry `info`.
[[nodiscard]] std::uint32_t formatBits(FormatInfo info);
/// The valid format word nearest to either copy read (at most 3 bits off), or nothing.
[[nodiscard]] std::optional<FormatInfo> nearestFormat(std::uint32_t first, std::uint32_t second);
/// The 18 bits (BCH-coded) that carry `version` (7 and up).
[[nodiscard]] std::uint32_t versionBits(int version);
/// The version 7-40 whose word is nearest to `bits` (at most 3 bits off), or nothing.
[[nodiscard]] std::optional<int> nearestVersion(std::uint32_t bits);

/// Module (row, column) pairs, in bit order 0..14, of the two format copies in a code of `dimension`.
struct ModuleAt {
    int row = 0;
    int column = 0;
};
[[nodiscard]] std::vector<ModuleAt> formatModules(int dimension, bool second);
/// Module of version bit 0..17 in the copy near the top right (`second`: the copy near bottom left).
[[nodiscard]] ModuleAt versionModule(int dimension, int bit, bool second);

/// For each module (row-major): true where a function pattern (or format/version info) lies.
[[nodiscard]] std::vector<bool> functionModules(int version);
/// The data modules in placement order (the zigzag from the bottom right), row-major indices.
[[nodiscard]] std::vector<int> placementOrder(int version);
/// Whether mask `mask` (0-7) flips the module at (row, column).
[[nodiscard]] bool maskFlips(int mask, int row, int column);

/// The codeword blocks of a version and level: short blocks first, each `dataCount` (+1 for the long
/// ones) data codewords followed by `checkCount` check codewords.
struct BlockLayout {
    int totalCodewords = 0;
    int blocks = 0;
    int shortBlocks = 0;
    int shortDataCount = 0;  ///< data codewords of a short block (long ones have one more)
    int checkCount = 0;      ///< check codewords per block
};
[[nodiscard]] BlockLayout blockLayout(int version, QrLevel level);

}  // namespace hal::detail
