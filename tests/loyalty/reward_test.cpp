#include "loyalty/reward.hpp"

#include <gtest/gtest.h>

#include "iso_time.hpp"
#include "loyalty/time.hpp"
#include "read_file.hpp"
#include "replaced_once.hpp"

using loyalty::Dong;
using loyalty::RedeemRefusal;
using loyalty::Reward;
using loyalty::UnixSeconds;
using loyalty::test::at;

namespace {

Reward reward() {
    Reward r;
    r.id = "GIFT-50K";
    r.name = {"Phiếu 50.000 ₫", "50,000 ₫ voucher"};
    r.cost = 450;
    r.value = Dong{50'000};
    r.stock = 10;
    r.availableFrom = loyalty::LocalDate{2026, 12, 1};
    r.availableUntil = loyalty::LocalDate{2026, 12, 31};
    r.perMemberLimit = 2;
    return r;
}

constexpr std::string_view kOne = R"(
[[rewards]]
id = "CAFE-20K"
name_vi = "a"
name_en = "a"
cost = 200
value = 20000
voucher_validity_days = 30
terms_vi = "t"
terms_en = "t"
)";

std::string errorOf(std::string_view toml) {
    const auto catalog = loyalty::parseRewardCatalog(toml);
    return catalog ? "accepted" : catalog.error().message;
}

std::string with(std::string_view from, std::string_view to) {
    return loyalty::test::replacedOnce(kOne, from, to);
}

}  // namespace

TEST(Reward, DevelopmentCatalogLoads) {
    const auto catalog =
        loyalty::parseRewardCatalog(test_support::readSourceFile("assets/config/rewards.toml"));
    ASSERT_TRUE(catalog.has_value()) << catalog.error().message;
    ASSERT_EQ(catalog->size(), 3U);
    EXPECT_EQ((*catalog)[0].id, "CAFE-20K");
    EXPECT_FALSE((*catalog)[0].stock.has_value());
    EXPECT_EQ((*catalog)[1].stock, 100U);
    EXPECT_EQ((*catalog)[1].perMemberLimit, 2U);
    EXPECT_EQ((*catalog)[2].availableUntil, (loyalty::LocalDate{2027, 2, 14}));
    EXPECT_EQ((*catalog)[2].value, Dong{0});
}

TEST(Reward, RefusalsInOrder) {
    const UnixSeconds inDecember = at("2026-12-10T10:00:00+07:00");
    EXPECT_TRUE(loyalty::checkRedeemable(reward(), 450, 1, inDecember).has_value());
    EXPECT_EQ(loyalty::checkRedeemable(reward(), 449, 1, inDecember).error(),
              RedeemRefusal::InsufficientPoints);
    EXPECT_EQ(loyalty::checkRedeemable(reward(), 10'000, 2, inDecember).error(),
              RedeemRefusal::MemberLimitReached);
    Reward soldOut = reward();
    soldOut.stock = 0;
    EXPECT_EQ(loyalty::checkRedeemable(soldOut, 10'000, 0, inDecember).error(), RedeemRefusal::OutOfStock);
    EXPECT_EQ(loyalty::checkRedeemable(soldOut, 0, 5, at("2026-11-30T23:59:59+07:00")).error(),
              RedeemRefusal::NotYetAvailable);
    EXPECT_EQ(loyalty::checkRedeemable(soldOut, 0, 5, at("2027-01-01T00:00:00+07:00")).error(),
              RedeemRefusal::NoLongerAvailable);
}

TEST(Reward, AvailabilityIsWholeLocalDaysAndUnlimitedWhenUnset) {
    EXPECT_TRUE(loyalty::checkRedeemable(reward(), 450, 0, at("2026-12-01T00:00:00+07:00")).has_value());
    EXPECT_TRUE(loyalty::checkRedeemable(reward(), 450, 0, at("2026-12-31T23:59:59+07:00")).has_value());
    Reward open = reward();
    open.stock.reset();
    open.perMemberLimit.reset();
    open.availableFrom.reset();
    open.availableUntil.reset();
    EXPECT_TRUE(loyalty::checkRedeemable(open, 450, 1'000'000, at("2035-01-01T00:00:00+07:00")).has_value());
}

TEST(Reward, RefusalCodes) {
    EXPECT_EQ(loyalty::redeemRefusalCode(RedeemRefusal::OutOfStock), "reward_out_of_stock");
    EXPECT_EQ(loyalty::redeemRefusalCode(RedeemRefusal::InsufficientPoints), "reward_insufficient_points");
    EXPECT_FALSE(loyalty::describe(RedeemRefusal::MemberLimitReached).empty());
}

TEST(Reward, IdsTravelInTheVoucherQr) {
    EXPECT_TRUE(loyalty::isValidRewardId("CAFE-20K"));
    EXPECT_TRUE(loyalty::isValidRewardId(std::string(16, 'A')));
    EXPECT_FALSE(loyalty::isValidRewardId(std::string(17, 'A')));
    EXPECT_FALSE(loyalty::isValidRewardId(""));
    EXPECT_FALSE(loyalty::isValidRewardId("cafe"));
    EXPECT_FALSE(loyalty::isValidRewardId("CAFE 20K"));
}

TEST(Reward, CatalogErrorsNameTheKey) {
    EXPECT_EQ(errorOf(kOne), "accepted");
    EXPECT_EQ(errorOf(std::string(kOne) + std::string(kOne)), "rewards[1].id \"CAFE-20K\" is used twice");
    EXPECT_EQ(errorOf(with("\"CAFE-20K\"", "\"cafe\"")),
              "rewards[0].id must be 1-16 characters of A-Z, 0-9 and '-', not \"cafe\"");
    EXPECT_EQ(errorOf(with("cost = 200", "cost = 0")),
              "rewards[0].cost must be between 1 and 10000000000000, not 0");
    EXPECT_EQ(errorOf(with("value = 20000", "value = -1")),
              "rewards[0].value must be between 0 and 100000000000, not -1");
    EXPECT_EQ(errorOf(with("value = 20000", "value = 20000\nstock = -1")).substr(0, 31),
              "rewards[0].stock must be betwee");
    EXPECT_EQ(errorOf(with("value = 20000", "value = 20000\nper_member_limit = 0")).substr(0, 37),
              "rewards[0].per_member_limit must be b");
    EXPECT_EQ(errorOf(with("value = 20000",
                           "value = 20000\navailable_from = 2026-02-01\navailable_until = 2026-01-01")),
              "rewards[0].available_until is before available_from");
    EXPECT_EQ(errorOf(with("terms_en = \"t\"", "")), "rewards[0].terms_en is missing");
    EXPECT_EQ(errorOf(with("cost = 200", "cost = 200\ncolour = 3")), "rewards[0].colour is not a known key");
    EXPECT_EQ(errorOf(""), "rewards is missing");
    EXPECT_EQ(errorOf("rewards = 5"), "rewards must be an array of tables ([[rewards]])");
    EXPECT_EQ(errorOf("[[rewards]\n").substr(0, 8), "line 1: ");
}
