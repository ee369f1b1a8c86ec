#include "qr_module_reader.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#include "qr_segments.hpp"
#include "qr_symbol.hpp"
#include "reed_solomon.hpp"

namespace hal::detail {

namespace {

/// The modules a codeword's bits lie on, as the rectangle around them (module rows and columns).
struct Box {
    int top = 0;
    int left = 0;
    int bottom = -1;
    int right = -1;

    void add(int row, int column) {
        if (bottom < top) {
            *this = {row, column, row, column};
            return;
        }
        top = std::min(top, row);
        left = std::min(left, column);
        bottom = std::max(bottom, row);
        right = std::max(right, column);
    }
    [[nodiscard]] bool meets(const Box& other) const {
        return top <= other.bottom && other.top <= bottom && left <= other.right && other.left <= right;
    }
};

/// Codewords in placement order, or one block's in its own order.
struct Codewords {
    std::vector<std::uint8_t> values;
    std::vector<float> confidence;  ///< the least confident of its 8 modules
    std::vector<Box> boxes;
};

bool moduleDark(const ModuleMatrix& modules, ModuleAt at) {
    return modules.dark[moduleIndex(at.row, at.column, modules.dimension)] != 0;
}

std::optional<FormatInfo> readFormat(const ModuleMatrix& modules) {
    std::array<std::uint32_t, 2> words{};
    for (std::size_t copy = 0; copy < 2; ++copy) {
        const auto cells = formatModules(modules.dimension, copy == 1);
        for (std::size_t bit = 0; bit < cells.size(); ++bit)
            if (moduleDark(modules, cells[bit])) words[copy] |= 1U << bit;
    }
    return nearestFormat(words[0], words[1]);
}

}  // namespace

std::optional<int> otherVersion(const ModuleMatrix& modules) {
    const int version = (modules.dimension - 17) / 4;
    if (modules.dimension < qrDimension(7)) return std::nullopt;
    for (const bool second : {false, true}) {
        std::uint32_t word = 0;
        for (int bit = 0; bit < 18; ++bit)
            if (moduleDark(modules, versionModule(modules.dimension, bit, second))) word |= 1U << bit;
        const auto read = nearestVersion(word);
        if (read && *read != version) return read;
    }
    return std::nullopt;
}

namespace {

Codewords readCodewords(const ModuleMatrix& modules, int version, int mask, int count) {
    const std::vector<int> order = placementOrder(version);
    Codewords codewords;
    codewords.values.assign(static_cast<std::size_t>(count), 0);
    codewords.confidence.assign(static_cast<std::size_t>(count), 1e9F);
    codewords.boxes.assign(static_cast<std::size_t>(count), {});
    for (std::size_t bit = 0; bit < static_cast<std::size_t>(count) * 8 && bit < order.size(); ++bit) {
        const int index = order[bit];
        const int row = index / modules.dimension;
        const int column = index % modules.dimension;
        const bool dark =
            (modules.dark[static_cast<std::size_t>(index)] != 0) != maskFlips(mask, row, column);
        const std::size_t codeword = bit / 8;
        if (dark) codewords.values[codeword] |= static_cast<std::uint8_t>(0x80U >> (bit % 8));
        codewords.confidence[codeword] =
            std::min(codewords.confidence[codeword], modules.confidence[static_cast<std::size_t>(index)]);
        codewords.boxes[codeword].add(row, column);
    }
    return codewords;
}

/// The erasure sets tried on a block, in turn: none, then more and more of its least confident
/// codewords; then every codeword in a window of the code (a fold shifts a patch of the paper by a
/// whole module, which no module's own pixels show), alone and with some of the least confident.
class ErasureSets {
  public:
    ErasureSets(const Codewords& block, int budget, int dimension) : m_block(block), m_budget(budget) {
        m_byConfidence.resize(block.values.size());
        std::iota(m_byConfidence.begin(), m_byConfidence.end(), 0);
        std::sort(m_byConfidence.begin(), m_byConfidence.end(), [&](int a, int b) {
            const float first = block.confidence[static_cast<std::size_t>(a)];
            const float second = block.confidence[static_cast<std::size_t>(b)];
            return first < second || (first == second && a < b);
        });
        for (const int side : kWindowSides)
            for (int top = 0; top < dimension; top += side / 2)
                for (int left = 0; left < dimension; left += side / 2)
                    m_windows.push_back({top, left, top + side - 1, left + side - 1});
    }

    /// Calls `attempt` with each set until it returns true; false when none did.
    template <typename Attempt>
    bool tryEach(Attempt&& attempt) const {
        for (int eighth = 0; eighth <= 8; ++eighth)
            if (attempt(std::span(m_byConfidence).first(static_cast<std::size_t>(m_budget * eighth / 8))))
                return true;
        std::vector<int> previous;
        for (const Box& window : m_windows) {
            std::vector<int> erased;
            for (std::size_t i = 0; i < m_block.boxes.size(); ++i)
                if (m_block.boxes[i].meets(window)) erased.push_back(static_cast<int>(i));
            if (erased.empty() || static_cast<int>(erased.size()) > m_budget || erased == previous) continue;
            if (attempt(std::span<const int>(erased))) return true;
            std::vector<int> widened = erased;
            const auto target =
                erased.size() + static_cast<std::size_t>((m_budget - static_cast<int>(erased.size())) / 2);
            for (const int candidate : m_byConfidence) {
                if (widened.size() >= target) break;
                if (std::find(erased.begin(), erased.end(), candidate) == erased.end())
                    widened.push_back(candidate);
            }
            if (widened.size() > erased.size() && attempt(std::span<const int>(widened))) return true;
            previous = std::move(erased);
        }
        return false;
    }

  private:
    /// Window sides (modules) and the step between windows (half a side).
    static constexpr std::array<int, 2> kWindowSides = {8, 14};
    const Codewords& m_block;
    int m_budget;
    std::vector<int> m_byConfidence;
    std::vector<Box> m_windows;
};

/// Corrects one block with the first erasure set that lets Reed-Solomon correct it.
bool correctBlock(Codewords& block, int checkCount, int dimension, ModuleRead& read) {
    const ErasureSets sets(block, checkCount - kReserve, dimension);
    return sets.tryEach([&](std::span<const int> erased) {
        const auto changed = correctReedSolomon(block.values, checkCount, erased, kReserve);
        if (!changed) return false;
        read.erasures += static_cast<int>(erased.size());
        read.corrected += *changed;
        return true;
    });
}

}  // namespace

std::optional<ModuleRead> readModules(const ModuleMatrix& modules) {
    const int version = (modules.dimension - 17) / 4;
    if (version < 1 || version > kMaxReadVersion || modules.dimension != qrDimension(version) ||
        modules.dark.size() != moduleIndex(modules.dimension, 0, modules.dimension) ||
        modules.confidence.size() != modules.dark.size())
        return std::nullopt;
    const auto format = readFormat(modules);
    if (!format || otherVersion(modules)) return std::nullopt;
    const BlockLayout layout = blockLayout(version, format->level);
    const Codewords codewords = readCodewords(modules, version, format->mask, layout.totalCodewords);

    // De-interleave: data codewords block by block in turn (the long blocks' extra one last), then
    // check codewords the same way.
    const auto blocks = static_cast<std::size_t>(layout.blocks);
    std::vector<Codewords> split(blocks);
    const auto dataCount = [&](std::size_t b) {
        return layout.shortDataCount + (static_cast<int>(b) < layout.shortBlocks ? 0 : 1);
    };
    std::size_t next = 0;
    const auto take = [&](std::size_t b) {
        split[b].values.push_back(codewords.values[next]);
        split[b].confidence.push_back(codewords.confidence[next]);
        split[b].boxes.push_back(codewords.boxes[next]);
        ++next;
    };
    for (int i = 0; i <= layout.shortDataCount; ++i)
        for (std::size_t b = 0; b < blocks; ++b)
            if (i < dataCount(b)) take(b);
    for (int i = 0; i < layout.checkCount; ++i)
        for (std::size_t b = 0; b < blocks; ++b) take(b);

    ModuleRead read;
    std::vector<std::uint8_t> data;
    for (std::size_t b = 0; b < blocks; ++b) {
        if (!correctBlock(split[b], layout.checkCount, modules.dimension, read)) return std::nullopt;
        data.insert(data.end(), split[b].values.begin(), split[b].values.begin() + dataCount(b));
    }
    auto text = parseSegments(data, version);
    if (!text) return std::nullopt;
    read.text = std::move(*text);
    return read;
}

}  // namespace hal::detail
