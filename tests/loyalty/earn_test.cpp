#include "loyalty/earn.hpp"

#include <gtest/gtest.h>

#include "iso_time.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/time.hpp"

using loyalty::Campaign;
using loyalty::Dong;
using loyalty::Earning;
using loyalty::EarnLineKind;
using loyalty::EligibilityError;
using loyalty::Language;
using loyalty::MemberContext;
using loyalty::Points;
using loyalty::Promotion;
using loyalty::Receipt;
using loyalty::Tier;
using loyalty::UnixSeconds;
using loyalty::test::at;

namespace {

// 2026-11-25 is a Wednesday, 2026-11-28 a Saturday.
const UnixSeconds kWeekday = at("2026-11-25T10:00:00+07:00");

Promotion weekend(std::uint32_t percent = 200) {
    return Promotion{
        "weekend", Promotion::Kind::Weekend, percent, {}, {}, {"khuyến mãi cuối tuần", "weekend promotion"}};
}

Promotion tet() {
    return Promotion{"tet",          Promotion::Kind::DateRange,         300, {2026, 12, 1},
                     {2026, 12, 14}, {"khuyến mãi Tết", "Tet promotion"}};
}

Campaign campaign() {
    Campaign c;
    c.id = "TEST";
    c.validFrom = {2026, 1, 1};
    c.validTo = {2027, 12, 31};
    c.dongPerPoint = Dong{10'000};
    c.tierMultiplierPercent = {100, 125, 150};
    return c;
}

Receipt receipt(std::int64_t dong, UnixSeconds when = kWeekday, std::uint32_t items = 0) {
    return Receipt{"HCM001", "R1", Dong{dong}, when, items};
}

Earning earn(const Receipt& r, const Campaign& c, Tier tier = Tier::Silver, bool isNew = false) {
    return loyalty::computeEarning(r, MemberContext{tier, isNew}, c);
}

Points pointsOf(const Earning& e, EarnLineKind kind) {
    Points sum = 0;
    for (const auto& line : e.lines) {
        if (line.kind == kind) sum += line.points;
    }
    return sum;
}

}  // namespace

TEST(Earn, BaseRoundsDown) {
    const Campaign c = campaign();
    EXPECT_EQ(earn(receipt(1'009'999), c).total, 100);
    EXPECT_EQ(earn(receipt(1'010'000), c).total, 101);
    EXPECT_EQ(earn(receipt(9'999), c).total, 0);
    EXPECT_TRUE(earn(receipt(9'999), c).lines.empty());
    EXPECT_EQ(earn(receipt(0), c).total, 0);
}

TEST(Earn, MinimumSpendBlocksEverythingButTheSignUpBonus) {
    Campaign c = campaign();
    c.minimumSpend = Dong{20'000};
    c.pointsPerItem = 5;
    c.signUpBonus = 50;
    const Earning below = earn(receipt(19'999, kWeekday, 3), c);
    EXPECT_TRUE(below.belowMinimumSpend);
    EXPECT_EQ(below.total, 0);
    const Earning exactly = earn(receipt(20'000, kWeekday, 3), c);
    EXPECT_FALSE(exactly.belowMinimumSpend);
    EXPECT_EQ(exactly.total, 2 + 15);
    const Earning newMember = earn(receipt(19'999), c, Tier::Silver, true);
    EXPECT_EQ(newMember.total, 50);
    ASSERT_EQ(newMember.lines.size(), 1U);
    EXPECT_EQ(newMember.lines[0].kind, EarnLineKind::SignUpBonus);
}

TEST(Earn, ItemPointsJoinTheBaseForMultipliers) {
    Campaign c = campaign();
    c.pointsPerItem = 10;
    c.promotions = {weekend()};
    const Earning e = earn(receipt(1'000'000, at("2026-11-28T12:00:00+07:00"), 4), c, Tier::Gold);
    EXPECT_EQ(pointsOf(e, EarnLineKind::Base), 100);
    EXPECT_EQ(pointsOf(e, EarnLineKind::Items), 40);
    EXPECT_EQ(pointsOf(e, EarnLineKind::TierBonus), 35);   // 25 % of 140
    EXPECT_EQ(pointsOf(e, EarnLineKind::Promotion), 140);  // +100 % of 140
    EXPECT_EQ(e.total, 315);
}

TEST(Earn, TierAndPromotionBonusesAreAddedFromTheBaseNotMultiplied) {
    Campaign c = campaign();
    c.promotions = {weekend()};
    const UnixSeconds saturday = at("2026-11-28T12:00:00+07:00");
    EXPECT_EQ(earn(receipt(1'000'000, saturday), c, Tier::Diamond).total, 100 + 50 + 100);  // not 300
    EXPECT_EQ(earn(receipt(1'000'000, saturday), c, Tier::Gold).total, 100 + 25 + 100);
    EXPECT_EQ(earn(receipt(1'000'000, saturday), c, Tier::Silver).total, 200);
    EXPECT_EQ(earn(receipt(1'000'000), c, Tier::Gold).total, 125);
}

TEST(Earn, EachBonusLineRoundsDownOnItsOwn) {
    Campaign c = campaign();
    c.promotions = {weekend(150)};
    // base 7: gold bonus floor(1.75) = 1, promotion floor(3.5) = 3.
    const Earning e = earn(receipt(79'999, at("2026-11-29T08:00:00+07:00")), c, Tier::Gold);
    EXPECT_EQ(pointsOf(e, EarnLineKind::TierBonus), 1);
    EXPECT_EQ(pointsOf(e, EarnLineKind::Promotion), 3);
    EXPECT_EQ(e.total, 11);
    // base 3 at gold: floor(0.75) = 0, and a zero line is left out.
    const Earning small = earn(receipt(30'000), c, Tier::Gold);
    EXPECT_EQ(small.total, 3);
    EXPECT_EQ(small.lines.size(), 1U);
}

TEST(Earn, WeekendStartsAndEndsAtLocalMidnight) {
    Campaign c = campaign();
    c.promotions = {weekend()};
    const auto total = [&](std::string_view iso) { return earn(receipt(1'000'000, at(iso)), c).total; };
    EXPECT_EQ(total("2026-11-27T23:59:59+07:00"), 100);  // Friday
    EXPECT_EQ(total("2026-11-28T00:00:00+07:00"), 200);  // Saturday
    EXPECT_EQ(total("2026-11-27T17:00:00Z"), 200);       // the same instant, written in UTC
    EXPECT_EQ(total("2026-11-27T16:59:59Z"), 100);       // still Friday in Vietnam
    EXPECT_EQ(total("2026-11-29T23:59:59+07:00"), 200);  // Sunday
    EXPECT_EQ(total("2026-11-30T00:00:00+07:00"), 100);  // Monday
    EXPECT_EQ(total("2026-11-29T17:00:00Z"), 100);       // Sunday in UTC, Monday in Vietnam
}

TEST(Earn, DateRangeIncludesBothWholeEndDays) {
    Campaign c = campaign();
    c.promotions = {tet()};
    const auto total = [&](std::string_view iso) { return earn(receipt(1'000'000, at(iso)), c).total; };
    EXPECT_EQ(total("2026-11-30T23:59:59+07:00"), 100);
    EXPECT_EQ(total("2026-12-01T00:00:00+07:00"), 300);
    EXPECT_EQ(total("2026-12-14T23:59:59+07:00"), 300);
    EXPECT_EQ(total("2026-12-15T00:00:00+07:00"), 100);
}

TEST(Earn, BestPromotionWinsOnlyOneCounts) {
    Campaign c = campaign();
    c.promotions = {weekend(), tet()};
    const Earning e = earn(receipt(1'000'000, at("2026-12-05T10:00:00+07:00")), c);  // a Saturday in range
    EXPECT_EQ(e.total, 300);
    ASSERT_EQ(e.lines.size(), 2U);
    EXPECT_EQ(e.lines[1].label.en, "Tet promotion");
    // Equal multipliers: the first in the configuration names the line.
    c.promotions = {weekend(300), tet()};
    EXPECT_EQ(earn(receipt(1'000'000, at("2026-12-05T10:00:00+07:00")), c).lines[1].label.en,
              "weekend promotion");
}

TEST(Earn, CapAppliesToEverythingButTheSignUpBonus) {
    Campaign c = campaign();
    c.promotions = {weekend()};
    c.receiptCap = 150;
    c.signUpBonus = 50;
    const Earning e = earn(receipt(1'000'000, at("2026-11-28T10:00:00+07:00")), c, Tier::Gold, true);
    EXPECT_EQ(pointsOf(e, EarnLineKind::Cap), -75);
    EXPECT_EQ(e.total, 150 + 50);
    EXPECT_EQ(e.lines.back().kind, EarnLineKind::SignUpBonus);
    EXPECT_EQ(earn(receipt(1'500'000), c).total, 150);
    EXPECT_EQ(pointsOf(earn(receipt(1'500'000), c), EarnLineKind::Cap), 0);  // exactly at the cap
    EXPECT_EQ(earn(receipt(1'490'000), c).total, 149);
}

TEST(Earn, ExplainReadsLikeTheShopperExpects) {
    Campaign c = campaign();
    c.promotions = {weekend(120)};
    const Earning e = earn(receipt(1'000'000, at("2026-11-28T10:00:00+07:00")), c);
    EXPECT_EQ(e.explain(Language::Vietnamese), "120 điểm = 100 cơ bản + 20 khuyến mãi cuối tuần");
    EXPECT_EQ(e.explain(Language::English), "120 points = 100 base + 20 weekend promotion");

    c.promotions = {weekend()};
    c.receiptCap = 150;
    const Earning capped = earn(receipt(1'000'000, at("2026-11-28T10:00:00+07:00")), c, Tier::Gold);
    EXPECT_EQ(capped.explain(Language::Vietnamese),
              "150 điểm = 100 cơ bản + 25 thưởng hạng thành viên + 100 khuyến mãi cuối tuần − 75 giới hạn "
              "mỗi hoá đơn");

    EXPECT_EQ(earn(receipt(5'000), c).explain(Language::Vietnamese), "0 điểm");
    EXPECT_EQ(earn(receipt(123'456'789), campaign()).explain(Language::Vietnamese),
              "12.345 điểm = 12.345 cơ bản");
    EXPECT_EQ(earn(receipt(123'456'789), campaign()).explain(Language::English),
              "12,345 points = 12,345 base");
}

TEST(Earn, NoOverflowAtTheLargestInputs) {
    Campaign c = campaign();
    c.dongPerPoint = Dong{1};
    c.pointsPerItem = 1'000'000;
    c.tierMultiplierPercent = {10'000, 10'000, 10'000};
    c.promotions = {weekend(10'000)};
    const Earning e =
        earn(receipt(loyalty::kMaxDong.value, at("2026-11-28T10:00:00+07:00"), loyalty::kMaxReceiptItems), c,
             Tier::Diamond, true);
    const Points earnedBase = 100'000'000'000 + 9'999LL * 1'000'000;
    EXPECT_EQ(e.total, earnedBase * 199);
}

TEST(Eligibility, CampaignDatesAndReceiptWindow) {
    Campaign c = campaign();
    c.receiptWindowDays = 30;
    const UnixSeconds bought = at("2026-11-01T09:00:00+07:00");
    EXPECT_TRUE(loyalty::checkReceiptEligible(receipt(100'000, bought), c, bought + 30 * 86'400).has_value());
    EXPECT_EQ(loyalty::checkReceiptEligible(receipt(100'000, bought), c, bought + 30 * 86'400 + 1).error(),
              EligibilityError::TooOld);
    EXPECT_EQ(
        loyalty::checkReceiptEligible(receipt(100'000, at("2025-12-31T23:59:59+07:00")), c, bought).error(),
        EligibilityError::OutsideCampaign);
    EXPECT_EQ(loyalty::eligibilityErrorCode(EligibilityError::TooOld), "receipt_too_old");
    EXPECT_FALSE(loyalty::describe(EligibilityError::OutsideCampaign).empty());
}
