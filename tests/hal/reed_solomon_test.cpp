// Reed-Solomon over GF(256) with errors and erasures (hal/src/reed_solomon.hpp): corrects up to
// 2e + f <= n - k, refuses one past it and leaves the block as it was.

#include "../../hal/src/reed_solomon.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using hal::detail::correctReedSolomon;

constexpr int kChecks = 10;

/// A codeword of 16 data and 10 check codewords, from `seed`.
std::vector<std::uint8_t> codeword(unsigned seed) {
    std::mt19937 random(seed);
    std::vector<std::uint8_t> block(16 + kChecks);
    for (int i = 0; i < 16; ++i)
        block[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(random() & 0xffU);
    hal::detail::encodeReedSolomon(std::span(block).first(16), std::span(block).subspan(16));
    return block;
}

/// `errors` positions corrupted and `erasures` positions corrupted and named, all distinct.
struct Damage {
    std::vector<std::uint8_t> block;
    std::vector<int> erased;
};
Damage damage(const std::vector<std::uint8_t>& clean, unsigned seed, int errors, int erasures) {
    std::mt19937 random(seed * 7919U + 1);
    std::vector<int> positions(clean.size());
    for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<int>(i);
    std::shuffle(positions.begin(), positions.end(), random);
    Damage out{clean, {}};
    for (int i = 0; i < errors + erasures; ++i) {
        const auto at = static_cast<std::size_t>(positions[static_cast<std::size_t>(i)]);
        out.block[at] ^= static_cast<std::uint8_t>(1 + random() % 255);
        if (i >= errors) out.erased.push_back(positions[static_cast<std::size_t>(i)]);
    }
    return out;
}

}  // namespace

TEST(ReedSolomon, KnownVectorOfTheQrStandard) {
    // ISO/IEC 18004 annex I: "01234567" at 1-M, data codewords and their 10 check codewords.
    const std::vector<std::uint8_t> data = {16,  32, 12,  86, 97,  128, 236, 17,
                                            236, 17, 236, 17, 236, 17,  236, 17};
    const std::vector<std::uint8_t> expected = {165, 36, 212, 193, 237, 54, 199, 135, 44, 85};
    std::vector<std::uint8_t> checks(kChecks);
    hal::detail::encodeReedSolomon(data, checks);
    EXPECT_EQ(checks, expected);
}

TEST(ReedSolomon, CleanBlockNeedsNothing) {
    auto block = codeword(1);
    EXPECT_EQ(correctReedSolomon(block, kChecks, {}), 0);
}

TEST(ReedSolomon, CorrectsErrorsErasuresAndBothUpToTheLimit) {
    struct Case {
        int errors;
        int erasures;
    };
    for (const Case c : {Case{5, 0}, Case{0, 10}, Case{3, 4}, Case{4, 2}, Case{1, 8}, Case{2, 3}}) {
        for (unsigned seed = 1; seed <= 20; ++seed) {
            const auto clean = codeword(seed);
            Damage d = damage(clean, seed, c.errors, c.erasures);
            const auto changed = correctReedSolomon(d.block, kChecks, d.erased);
            ASSERT_TRUE(changed.has_value())
                << c.errors << " errors, " << c.erasures << " erasures, seed " << seed;
            EXPECT_EQ(*changed, c.errors + c.erasures);
            EXPECT_EQ(d.block, clean);
        }
    }
}

TEST(ReedSolomon, RefusesOnePastTheLimitAndLeavesTheBlock) {
    struct Case {
        int errors;
        int erasures;
    };
    for (const Case c : {Case{6, 0}, Case{0, 11}, Case{3, 5}, Case{5, 1}}) {
        for (unsigned seed = 1; seed <= 50; ++seed) {
            Damage d = damage(codeword(seed), seed, c.errors, c.erasures);
            const auto before = d.block;
            EXPECT_FALSE(correctReedSolomon(d.block, kChecks, d.erased).has_value())
                << c.errors << " errors, " << c.erasures << " erasures, seed " << seed;
            EXPECT_EQ(d.block, before);
        }
    }
}

TEST(ReedSolomon, KeepsItsReserveForDetection) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        const auto clean = codeword(seed);
        Damage within = damage(clean, seed, 3, 0);
        EXPECT_TRUE(correctReedSolomon(within.block, kChecks, within.erased, 4).has_value());
        EXPECT_EQ(within.block, clean);
        Damage beyond = damage(clean, seed, 4, 0);  // 8 > 10 - 4
        EXPECT_FALSE(correctReedSolomon(beyond.block, kChecks, beyond.erased, 4).has_value());
    }
}

TEST(ReedSolomon, AnErasedCodewordThatWasRightCostsNothingWrong) {
    const auto clean = codeword(3);
    Damage d = damage(clean, 3, 2, 0);
    d.erased = {0, 1, 2, 3};  // named unreliable, whether or not they are wrong
    ASSERT_TRUE(correctReedSolomon(d.block, kChecks, d.erased).has_value());
    EXPECT_EQ(d.block, clean);
}

TEST(ReedSolomon, RejectsMalformedArguments) {
    auto block = codeword(2);
    const std::vector<int> outside = {40};
    block[0] ^= 1;
    EXPECT_FALSE(correctReedSolomon(block, kChecks, outside).has_value());
    EXPECT_FALSE(correctReedSolomon(block, 0, {}).has_value());
    EXPECT_FALSE(correctReedSolomon(block, static_cast<int>(block.size()), {}).has_value());
}
