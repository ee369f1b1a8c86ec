#include "loyalty/campaign.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "iso_time.hpp"
#include "loyalty/time.hpp"
#include "read_file.hpp"

using loyalty::Campaign;
using loyalty::LocalDate;
using loyalty::Promotion;
using loyalty::Tier;
using loyalty::TimeError;
using loyalty::UnixSeconds;
using loyalty::Weekday;
using loyalty::test::at;

namespace {

constexpr std::string_view kMinimal = R"(
[campaign]
id = "T"
name_vi = "Thử"
name_en = "Test"
valid_from = 2026-01-01
valid_to = 2026-12-31
dong_per_point = 10000
points_per_item = 0
minimum_spend = 0
signup_bonus = 0
receipt_window_days = 30
points_expiry_months = 12
[campaign.tier_multiplier_percent]
silver = 100
gold = 125
diamond = 150
)";

/// kMinimal with `line` put in the [campaign] table (a later duplicate key is a TOML error, so the
/// line replaces the key it names when kMinimal has it).
std::string withLine(std::string_view line) {
    std::string text(kMinimal);
    const std::string key(line.substr(0, line.find(' ')));
    const auto existing = text.find("\n" + key + " =");
    if (existing != std::string::npos) {
        const auto end = text.find('\n', existing + 1);
        text.erase(existing + 1, end - existing - 1);
        text.insert(existing + 1, std::string(line));
    } else {
        text.insert(text.find("[campaign.tier"), std::string(line) + "\n");
    }
    return text;
}

std::string errorOf(const std::string& toml) {
    const auto campaign = Campaign::fromToml(toml);
    return campaign ? "accepted" : campaign.error().message;
}

}  // namespace

// --- time.hpp: Vietnam local calendar -----------------------------------------------------------

TEST(LocalTime, IsUtcPlusSeven) {
    // 2026-11-28 is a Saturday; 17:00:00 UTC on the Friday is already Saturday 00:00 in Vietnam.
    const UnixSeconds fridayUtc = at("2026-11-27T17:00:00Z");
    EXPECT_EQ(loyalty::localDate(fridayUtc), (LocalDate{2026, 11, 28}));
    EXPECT_EQ(loyalty::localWeekday(fridayUtc), Weekday::Saturday);
    EXPECT_EQ(loyalty::localWeekday(fridayUtc - 1), Weekday::Friday);
    EXPECT_EQ(loyalty::startOfLocalDay({2026, 11, 28}), fridayUtc);
}

TEST(LocalTime, FormatsAndParsesIso8601) {
    EXPECT_EQ(loyalty::formatIso8601(0), "1970-01-01T07:00:00+07:00");
    EXPECT_EQ(loyalty::formatIso8601(at("2026-11-23T14:05:09+07:00")), "2026-11-23T14:05:09+07:00");
    EXPECT_EQ(at("2026-11-23T07:05:09Z"), at("2026-11-23T14:05:09+07:00"));
    EXPECT_EQ(at("2026-11-23T14:05:09"), at("2026-11-23T14:05:09+07:00"));  // no offset: Vietnam time
    EXPECT_EQ(at("2026-11-23 14:05:09+07:00"), at("2026-11-23T14:05:09+07:00"));
    EXPECT_EQ(at("2026-11-23T02:05:09-05:00"), at("2026-11-23T14:05:09+07:00"));
    EXPECT_EQ(loyalty::formatIso8601(at("1969-12-31T23:59:59+07:00")), "1969-12-31T23:59:59+07:00");
}

TEST(LocalTime, RefusesBadIso8601) {
    for (const std::string_view bad :
         {"", "2026-11-23", "2026-11-23T14:05", "2026-11-23T14:05:09.5Z", "2026/11/23T14:05:09Z",
          "2026-11-23T14:05:09+0700", "+2026-11-23T14:05:09Z", "2026-11-23T14:05:09 Z",
          "x026-11-23T14:05:09Z", "2026-11-23T-4:05:09Z"}) {
        const auto t = loyalty::parseIso8601(bad);
        ASSERT_FALSE(t.has_value()) << bad;
        EXPECT_EQ(t.error(), TimeError::Malformed) << bad;
    }
    for (const std::string_view bad :
         {"2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T23:60:00Z",
          "2026-11-23T23:59:60Z", "2026-11-23T23:59:59+14:01"}) {
        const auto t = loyalty::parseIso8601(bad);
        ASSERT_FALSE(t.has_value()) << bad;
        EXPECT_EQ(t.error(), TimeError::OutOfRange) << bad;
    }
    EXPECT_TRUE(loyalty::parseIso8601("2028-02-29T00:00:00Z").has_value());
}

TEST(LocalTime, DatesAndMonths) {
    EXPECT_EQ(loyalty::addDays({2026, 12, 31}, 1), (LocalDate{2027, 1, 1}));
    EXPECT_EQ(loyalty::addDays({2028, 3, 1}, -1), (LocalDate{2028, 2, 29}));
    EXPECT_EQ(loyalty::firstOfMonthAfter({2026, 11, 30}, 13), (LocalDate{2027, 12, 1}));
    EXPECT_EQ(loyalty::firstOfMonthAfter({2026, 1, 31}, 1), (LocalDate{2026, 2, 1}));
    EXPECT_EQ(loyalty::formatLocalDate({2026, 3, 7}), "2026-03-07");
    EXPECT_EQ(loyalty::formatLocalDateVi({2026, 3, 7}), "07/03/2026");
    EXPECT_EQ(loyalty::parseLocalDate("2026-03-07"), (LocalDate{2026, 3, 7}));
    EXPECT_FALSE(loyalty::parseLocalDate("2026-3-07").has_value());
    EXPECT_FALSE(loyalty::parseLocalDate("2026-02-30").has_value());
    EXPECT_FALSE((LocalDate{2026, 2, 30}.ok()));
    EXPECT_EQ(loyalty::weekdayOf({2026, 11, 23}), Weekday::Monday);
    EXPECT_EQ(loyalty::weekdayOf({2026, 11, 29}), Weekday::Sunday);
}

// --- campaign.hpp: TOML ---------------------------------------------------------------------------

TEST(CampaignToml, DevelopmentCampaignLoads) {
    const std::string text = test_support::readSourceFile("assets/config/campaign.toml");
    ASSERT_FALSE(text.empty());
    const auto campaign = Campaign::fromToml(text);
    ASSERT_TRUE(campaign.has_value()) << campaign.error().message;
    EXPECT_EQ(campaign->dongPerPoint, loyalty::Dong{10'000});
    EXPECT_EQ(campaign->tierMultiplier(Tier::Gold), 125U);
    ASSERT_EQ(campaign->promotions.size(), 2U);
    EXPECT_EQ(campaign->promotions[0].kind, Promotion::Kind::Weekend);
    EXPECT_EQ(campaign->promotions[1].kind, Promotion::Kind::DateRange);
    EXPECT_EQ(campaign->promotions[1].label.vi, "khuyến mãi Tết");
    EXPECT_EQ(campaign->receiptCap, 5000);
}

TEST(CampaignToml, MinimalHasNoCapAndNoPromotions) {
    const auto campaign = Campaign::fromToml(std::string(kMinimal));
    ASSERT_TRUE(campaign.has_value()) << campaign.error().message;
    EXPECT_FALSE(campaign->receiptCap.has_value());
    EXPECT_TRUE(campaign->promotions.empty());
    EXPECT_EQ(campaign->receiptWindow(), std::chrono::days{30});
}

TEST(CampaignToml, ErrorsNameTheKey) {
    EXPECT_EQ(errorOf(withLine("dong_per_point = -5")),
              "campaign.dong_per_point must be between 1 and 100000000000, not -5");
    EXPECT_EQ(errorOf(withLine("dong_per_point = 0")),
              "campaign.dong_per_point must be between 1 and 100000000000, not 0");
    EXPECT_EQ(errorOf(withLine("dong_per_point = \"10000\"")),
              "campaign.dong_per_point must be a whole number");
    EXPECT_EQ(errorOf(withLine("dong_per_point = 1.5")), "campaign.dong_per_point must be a whole number");
    EXPECT_EQ(errorOf(withLine("minimum_spend = -1")),
              "campaign.minimum_spend must be between 0 and 100000000000, not -1");
    EXPECT_EQ(errorOf(withLine("signup_bonus = -1")).substr(0, 28), "campaign.signup_bonus must b");
    EXPECT_EQ(errorOf(withLine("receipt_cap = 0")).substr(0, 36), "campaign.receipt_cap must be between");
    EXPECT_EQ(errorOf(withLine("receipt_window_days = 0")).substr(0, 33),
              "campaign.receipt_window_days must");
    EXPECT_EQ(errorOf(withLine("valid_from = \"2026-01-01\"")),
              "campaign.valid_from must be a date such as 2026-12-31 (no quotes)");
    EXPECT_EQ(errorOf(withLine("valid_to = 2025-12-31")), "campaign.valid_to is before valid_from");
    EXPECT_EQ(errorOf(withLine("name_vi = \"\"")), "campaign.name_vi must be a non-empty string");
    EXPECT_EQ(errorOf(withLine("dong_per_pont = 5")), "campaign.dong_per_pont is not a known key");

    std::string noId(kMinimal);
    noId.erase(noId.find("id = \"T\"\n"), 9);
    EXPECT_EQ(errorOf(noId), "campaign.id is missing");

    std::string badTier(kMinimal);
    badTier.replace(badTier.find("gold = 125"), 10, "gold = 99");
    EXPECT_EQ(errorOf(badTier),
              "campaign.tier_multiplier_percent.gold must be between 100 and 10000, not 99");

    EXPECT_EQ(errorOf(""), "campaign is missing");
    EXPECT_EQ(errorOf("[campaign").substr(0, 8), "line 1: ");
    EXPECT_EQ(errorOf("[campaign]\nid = \"T\"\n[other]\n"), "other is not a known key");
}

TEST(CampaignToml, PromotionErrors) {
    const auto promo = [](std::string_view body) {
        return std::string(kMinimal) + "[[campaign.promotions]]\n" + std::string(body);
    };
    const std::string weekend =
        "id = \"w\"\nkind = \"weekend\"\nmultiplier_percent = 200\n"
        "label_vi = \"cuối tuần\"\nlabel_en = \"weekend\"\n";
    EXPECT_EQ(errorOf(promo(weekend)), "accepted");
    EXPECT_EQ(errorOf(promo(weekend) + "[[campaign.promotions]]\n" + weekend),
              "campaign.promotions[1].id \"w\" is used twice");
    std::string monthly = weekend;
    monthly.replace(monthly.find("weekend\"\nmul"), 7, "monthly");
    EXPECT_EQ(errorOf(promo(monthly)),
              "campaign.promotions[0].kind must be \"weekend\" or \"date_range\", not \"monthly\"");
    std::string low = weekend;
    low.replace(low.find("= 200"), 5, "= 100");
    EXPECT_EQ(errorOf(promo(low)),
              "campaign.promotions[0].multiplier_percent must be between 101 and 10000, not 100");
    std::string noLabel = weekend;
    noLabel.erase(noLabel.find("label_en"));
    EXPECT_EQ(errorOf(promo(noLabel)), "campaign.promotions[0].label_en is missing");

    const std::string range =
        "id = \"r\"\nkind = \"date_range\"\nmultiplier_percent = 300\n"
        "label_vi = \"Tết\"\nlabel_en = \"Tet\"\n";
    EXPECT_EQ(errorOf(promo(range)), "campaign.promotions[0].from is missing");
    EXPECT_EQ(errorOf(promo(range + "from = 2026-02-10\nto = 2026-02-01\n")),
              "campaign.promotions[0].to is before from");
    EXPECT_EQ(errorOf(promo(range + "from = 2026-02-01\nto = 2026-02-10\n")), "accepted");
    EXPECT_EQ(errorOf(promo(weekend + "from = 2026-02-01\n")),
              "campaign.promotions[0].from is only for kind = \"date_range\"");
    EXPECT_EQ(errorOf(withLine("promotions = 3")),
              "campaign.promotions must be an array of tables ([[campaign.promotions]])");
}

TEST(CampaignValidity, WholeLocalDaysBothEndsInclusive) {
    const auto campaign = Campaign::fromToml(std::string(kMinimal));
    ASSERT_TRUE(campaign.has_value());
    EXPECT_FALSE(campaign->isValidAt(at("2025-12-31T23:59:59+07:00")));
    EXPECT_TRUE(campaign->isValidAt(at("2026-01-01T00:00:00+07:00")));
    EXPECT_TRUE(campaign->isValidAt(at("2026-12-31T23:59:59+07:00")));
    EXPECT_FALSE(campaign->isValidAt(at("2027-01-01T00:00:00+07:00")));
    // 2026-12-31T17:30Z is already 2027-01-01 in Vietnam.
    EXPECT_FALSE(campaign->isValidAt(at("2026-12-31T17:30:00Z")));
}

TEST(CampaignToml, MutatedConfigNeverCrashes) {
    const std::string original = test_support::readSourceFile("assets/config/campaign.toml");
    ASSERT_FALSE(original.empty());
    std::mt19937 rng(5);
    int refused = 0;
    for (int i = 0; i < 500; ++i) {
        std::string text = original;
        for (int n = 0; n < 1 + static_cast<int>(rng() % 4); ++n) {
            text[rng() % text.size()] = static_cast<char>(rng() % 256);
        }
        const auto campaign = Campaign::fromToml(text);
        if (!campaign) {
            EXPECT_FALSE(campaign.error().message.empty());
            ++refused;
        }
    }
    EXPECT_GT(refused, 0);
}
