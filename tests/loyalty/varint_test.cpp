#include "loyalty/varint.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

using loyalty::VarintError;

namespace {

std::vector<std::uint8_t> encoded(std::uint64_t value) {
    std::vector<std::uint8_t> out;
    loyalty::appendVarint(out, value);
    return out;
}

}  // namespace

TEST(Varint, EncodesShortestForm) {
    EXPECT_EQ(encoded(0), (std::vector<std::uint8_t>{0x00}));
    EXPECT_EQ(encoded(127), (std::vector<std::uint8_t>{0x7F}));
    EXPECT_EQ(encoded(128), (std::vector<std::uint8_t>{0x80, 0x01}));
    EXPECT_EQ(encoded(300), (std::vector<std::uint8_t>{0xAC, 0x02}));
    EXPECT_EQ(encoded(std::numeric_limits<std::uint64_t>::max()).size(), 10U);
}

TEST(Varint, RoundTripsAndAdvances) {
    for (const std::uint64_t v :
         {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{127}, std::uint64_t{128}, std::uint64_t{16383},
          std::uint64_t{16384}, std::uint64_t{100'000'000'000}, std::numeric_limits<std::uint64_t>::max()}) {
        auto bytes = encoded(v);
        bytes.push_back(0xEE);
        std::size_t pos = 0;
        EXPECT_EQ(loyalty::readVarint(bytes, pos), v);
        EXPECT_EQ(pos, bytes.size() - 1);
    }
}

TEST(Varint, RefusesTruncatedOverlongAndOverflowingInput) {
    std::size_t pos = 0;
    const std::vector<std::uint8_t> truncated = {0x80, 0x80};
    EXPECT_EQ(loyalty::readVarint(truncated, pos), std::unexpected(VarintError::Truncated));
    EXPECT_EQ(pos, 0U);
    EXPECT_EQ(loyalty::readVarint({}, pos), std::unexpected(VarintError::Truncated));
    const std::vector<std::uint8_t> overlong = {0x80, 0x00};
    EXPECT_EQ(loyalty::readVarint(overlong, pos), std::unexpected(VarintError::Overlong));
    const std::vector<std::uint8_t> overlongOne = {0x81, 0x80, 0x00};
    EXPECT_EQ(loyalty::readVarint(overlongOne, pos), std::unexpected(VarintError::Overlong));
    std::vector<std::uint8_t> tooBig(9, 0xFF);
    tooBig.push_back(0x02);
    EXPECT_EQ(loyalty::readVarint(tooBig, pos), std::unexpected(VarintError::Overflow));
    std::vector<std::uint8_t> tooLong(10, 0xFF);
    tooLong.push_back(0x01);
    EXPECT_EQ(loyalty::readVarint(tooLong, pos), std::unexpected(VarintError::Overflow));
    EXPECT_EQ(pos, 0U);
}
