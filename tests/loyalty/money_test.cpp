#include "loyalty/money.hpp"

#include <gtest/gtest.h>

using loyalty::Dong;
using loyalty::MoneyError;

TEST(Money, FormatsAsVietnameseLocale) {
    EXPECT_EQ(loyalty::formatVnd(Dong{1234567}), "1.234.567\u00A0\u20AB");
    EXPECT_EQ(loyalty::formatVnd(Dong{0}), "0\u00A0\u20AB");
    EXPECT_EQ(loyalty::formatVnd(Dong{999}), "999\u00A0\u20AB");
    EXPECT_EQ(loyalty::formatVnd(Dong{1000}), "1.000\u00A0\u20AB");
    EXPECT_EQ(loyalty::formatVnd(Dong{-50000}), "-50.000\u00A0\u20AB");
}

TEST(Money, GroupsExtremes) {
    EXPECT_EQ(loyalty::groupThousands(INT64_MIN), "-9.223.372.036.854.775.808");
    EXPECT_EQ(loyalty::groupThousands(INT64_MAX), "9.223.372.036.854.775.807");
    EXPECT_EQ(loyalty::groupThousands(100000), "100.000");
}

TEST(Money, ParsesWhatPeopleType) {
    EXPECT_EQ(loyalty::parseDong("1234567"), Dong{1234567});
    EXPECT_EQ(loyalty::parseDong("1.234.567"), Dong{1234567});
    EXPECT_EQ(loyalty::parseDong("1.234.567\u00A0\u20AB"), Dong{1234567});
    EXPECT_EQ(loyalty::parseDong(" 50.000 \u20AB "), Dong{50000});
    EXPECT_EQ(loyalty::parseDong("50000\u0111"), Dong{50000});
    EXPECT_EQ(loyalty::parseDong("0"), Dong{0});
}

TEST(Money, RefusesWhatIsNotAnAmount) {
    EXPECT_EQ(loyalty::parseDong(""), std::unexpected(MoneyError::Empty));
    EXPECT_EQ(loyalty::parseDong("-5"), std::unexpected(MoneyError::Negative));
    EXPECT_EQ(loyalty::parseDong("12,5"), std::unexpected(MoneyError::NotANumber));
    EXPECT_EQ(loyalty::parseDong("1.23"), std::unexpected(MoneyError::NotANumber));
    EXPECT_EQ(loyalty::parseDong("1.2345"), std::unexpected(MoneyError::NotANumber));
    EXPECT_EQ(loyalty::parseDong(".123"), std::unexpected(MoneyError::NotANumber));
    EXPECT_EQ(loyalty::parseDong("1234.567"), std::unexpected(MoneyError::NotANumber));
    EXPECT_EQ(loyalty::parseDong("1e9"), std::unexpected(MoneyError::NotANumber));
    EXPECT_EQ(loyalty::parseDong("100000000001"), std::unexpected(MoneyError::TooLarge));
    EXPECT_EQ(loyalty::parseDong("99999999999999999999999"), std::unexpected(MoneyError::TooLarge));
    EXPECT_EQ(loyalty::parseDong("1;DROP TABLE"), std::unexpected(MoneyError::NotANumber));
}
