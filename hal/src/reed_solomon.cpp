#include "reed_solomon.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace hal::detail {

namespace {

/// GF(256) with the QR field polynomial x^8 + x^4 + x^3 + x^2 + 1; alpha = 2.
class Galois {
  public:
    Galois() {
        int value = 1;
        for (int i = 0; i < 255; ++i) {
            m_exp[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
            m_exp[static_cast<std::size_t>(i) + 255] = static_cast<std::uint8_t>(value);
            m_log[static_cast<std::size_t>(value)] = i;
            value <<= 1;
            if (value & 0x100) value ^= 0x11d;
        }
    }
    [[nodiscard]] std::uint8_t mul(std::uint8_t a, std::uint8_t b) const {
        if (a == 0 || b == 0) return 0;
        return m_exp[static_cast<std::size_t>(m_log[a]) + static_cast<std::size_t>(m_log[b])];
    }
    [[nodiscard]] std::uint8_t div(std::uint8_t a, std::uint8_t b) const {
        if (a == 0) return 0;
        return m_exp[static_cast<std::size_t>(m_log[a] + 255 - m_log[b])];
    }
    [[nodiscard]] std::uint8_t pow(int exponent) const {  ///< alpha^exponent
        return m_exp[static_cast<std::size_t>(((exponent % 255) + 255) % 255)];
    }
    [[nodiscard]] std::uint8_t inverse(std::uint8_t a) const { return div(1, a); }

  private:
    std::array<std::uint8_t, 510> m_exp{};
    std::array<int, 256> m_log{};
};

const Galois& field() {
    static const Galois instance;
    return instance;
}

using Poly = std::vector<std::uint8_t>;  ///< coefficients, lowest degree first

std::uint8_t evaluate(const Poly& poly, std::uint8_t x) {
    std::uint8_t value = 0;
    for (auto it = poly.rbegin(); it != poly.rend(); ++it) value = field().mul(value, x) ^ *it;
    return value;
}

/// S_j = r(alpha^j), j = 0 .. count-1, for `block` in transmission order (highest degree first).
Poly syndromes(std::span<const std::uint8_t> block, int count) {
    Poly result(static_cast<std::size_t>(count));
    for (int j = 0; j < count; ++j) {
        const std::uint8_t x = field().pow(j);
        std::uint8_t value = 0;
        for (const std::uint8_t c : block) value = field().mul(value, x) ^ c;
        result[static_cast<std::size_t>(j)] = value;
    }
    return result;
}

/// Berlekamp-Massey: the shortest LFSR (connection polynomial, lowest degree first) generating `s`.
Poly berlekampMassey(const Poly& s) {
    Poly current{1};
    Poly previous{1};
    int length = 0;
    int shift = 1;
    std::uint8_t previousDiscrepancy = 1;
    for (std::size_t n = 0; n < s.size(); ++n) {
        std::uint8_t discrepancy = s[n];
        for (int i = 1; i <= length && i < static_cast<int>(current.size()); ++i)
            discrepancy ^=
                field().mul(current[static_cast<std::size_t>(i)], s[n - static_cast<std::size_t>(i)]);
        if (discrepancy == 0) {
            ++shift;
            continue;
        }
        const std::uint8_t factor = field().div(discrepancy, previousDiscrepancy);
        Poly next = current;
        if (next.size() < previous.size() + static_cast<std::size_t>(shift))
            next.resize(previous.size() + static_cast<std::size_t>(shift), 0);
        for (std::size_t i = 0; i < previous.size(); ++i)
            next[i + static_cast<std::size_t>(shift)] ^= field().mul(factor, previous[i]);
        if (2 * length <= static_cast<int>(n)) {
            previous = current;
            length = static_cast<int>(n) + 1 - length;
            previousDiscrepancy = discrepancy;
            shift = 1;
        } else {
            ++shift;
        }
        current = std::move(next);
    }
    current.resize(static_cast<std::size_t>(length) + 1, 0);
    return current;
}

/// alpha^(n-1-index): the locator of codeword `index` in a block of n.
std::uint8_t locator(int index, int n) {
    return field().pow(n - 1 - index);
}

Poly multiply(const Poly& a, const Poly& b) {
    Poly product(a.size() + b.size() - 1, 0);
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < b.size(); ++j) product[i + j] ^= field().mul(a[i], b[j]);
    return product;
}

}  // namespace

std::optional<int> correctReedSolomon(std::span<std::uint8_t> block, int checkCount,
                                      std::span<const int> erasures, int reserve) {
    const int n = static_cast<int>(block.size());
    const int f = static_cast<int>(erasures.size());
    if (checkCount <= 0 || checkCount >= n || n > 255 || f + reserve > checkCount) return std::nullopt;
    const Poly s = syndromes(block, checkCount);
    bool clean = true;
    for (const std::uint8_t value : s) clean = clean && value == 0;
    if (clean) return 0;

    // Forney syndromes: the erasures' part of the syndromes removed, so that Berlekamp-Massey finds
    // the unknown errors alone in the remaining checkCount - f of them.
    Poly forney = s;
    for (const int index : erasures) {
        if (index < 0 || index >= n) return std::nullopt;
        const std::uint8_t x = locator(index, n);
        for (std::size_t j = 0; j + 1 < forney.size(); ++j)
            forney[j] = field().mul(forney[j], x) ^ forney[j + 1];
    }
    forney.resize(static_cast<std::size_t>(checkCount - f));
    const Poly errorLocator = berlekampMassey(forney);
    const int errors = static_cast<int>(errorLocator.size()) - 1;
    if (2 * errors + f > checkCount - reserve) return std::nullopt;

    // Chien search over the block's own positions: a locator whose roots lie elsewhere (or repeat)
    // means more errors than the code can see.
    std::vector<int> positions(erasures.begin(), erasures.end());
    for (int index = 0; index < n; ++index)
        if (evaluate(errorLocator, field().inverse(locator(index, n))) == 0) positions.push_back(index);
    if (static_cast<int>(positions.size()) != errors + f) return std::nullopt;

    // Forney: magnitudes from the errata locator and evaluator (first consecutive root alpha^0).
    Poly errata{1};
    for (const int index : positions) errata = multiply(errata, {1, locator(index, n)});
    Poly evaluator = multiply(s, errata);
    evaluator.resize(static_cast<std::size_t>(checkCount));
    Poly derivative(errata.size() > 1 ? errata.size() - 1 : 1, 0);
    for (std::size_t i = 1; i < errata.size(); i += 2) derivative[i - 1] = errata[i];
    std::vector<std::uint8_t> corrected(block.begin(), block.end());
    for (const int index : positions) {
        const std::uint8_t x = locator(index, n);
        const std::uint8_t xInverse = field().inverse(x);
        const std::uint8_t denominator = evaluate(derivative, xInverse);
        if (denominator == 0) return std::nullopt;
        corrected[static_cast<std::size_t>(index)] ^=
            field().mul(x, field().div(evaluate(evaluator, xInverse), denominator));
    }
    for (const std::uint8_t value : syndromes(corrected, checkCount))
        if (value != 0) return std::nullopt;
    int changed = 0;
    for (int i = 0; i < n; ++i) {
        const auto at = static_cast<std::size_t>(i);
        changed += corrected[at] != block[at] ? 1 : 0;
        block[at] = corrected[at];
    }
    return changed;
}

void encodeReedSolomon(std::span<const std::uint8_t> data, std::span<std::uint8_t> checks) {
    // Generator (x - alpha^0)(x - alpha^1)..., highest degree first, monic.
    const std::size_t degree = checks.size();
    Poly generator{1};
    for (std::size_t i = 0; i < degree; ++i) {
        Poly next(generator.size() + 1, 0);
        for (std::size_t j = 0; j < generator.size(); ++j) {
            next[j] ^= generator[j];
            next[j + 1] ^= field().mul(generator[j], field().pow(static_cast<int>(i)));
        }
        generator = std::move(next);
    }
    std::fill(checks.begin(), checks.end(), 0);
    for (const std::uint8_t value : data) {
        const std::uint8_t factor = value ^ checks[0];
        for (std::size_t j = 0; j + 1 < degree; ++j)
            checks[j] = checks[j + 1] ^ field().mul(generator[j + 1], factor);
        checks[degree - 1] = field().mul(generator[degree], factor);
    }
}

}  // namespace hal::detail
