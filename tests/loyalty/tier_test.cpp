#include "loyalty/tier.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "loyalty/ledger.hpp"
#include "loyalty/time.hpp"
#include "read_file.hpp"
#include "replaced_once.hpp"

using loyalty::EntryKind;
using loyalty::Language;
using loyalty::LedgerEntry;
using loyalty::Points;
using loyalty::Tier;
using loyalty::TierRules;
using loyalty::UnixSeconds;

namespace {

constexpr UnixSeconds kDay = 86'400;
const UnixSeconds kT0 = loyalty::parseIso8601("2026-01-10T09:00:00+07:00").value();

TierRules devRules() {
    auto rules = TierRules::fromToml(test_support::readSourceFile("assets/config/tiers.toml"));
    EXPECT_TRUE(rules.has_value()) << (rules ? "" : rules.error().message);
    return *rules;
}

LedgerEntry entry(EntryKind kind, Points points, UnixSeconds at, bool pending = false) {
    static int counter = 0;
    return LedgerEntry{"k" + std::to_string(++counter), kind, points, at, "", pending};
}

LedgerEntry earnAt(Points points, UnixSeconds at) {
    return entry(EntryKind::Earn, points, at);
}

std::string errorOf(std::string_view toml) {
    const auto rules = TierRules::fromToml(toml);
    return rules ? "accepted" : rules.error().message;
}

constexpr std::string_view kRules = R"(
[tiers]
window_days = 365
[tiers.silver]
benefits_vi = "a"
benefits_en = "a"
[tiers.gold]
threshold = 1000
benefits_vi = "b"
benefits_en = "b"
[tiers.diamond]
threshold = 5000
benefits_vi = "c"
benefits_en = "c"
)";

std::string replaced(std::string_view from, std::string_view to) {
    return loyalty::test::replacedOnce(kRules, from, to);
}

}  // namespace

TEST(TierNames, CodesAndNames) {
    EXPECT_EQ(loyalty::tierName(Tier::Diamond, Language::Vietnamese), "Kim Cương");
    EXPECT_EQ(loyalty::tierName(Tier::Gold, Language::Vietnamese), "Vàng");
    EXPECT_EQ(loyalty::tierName(Tier::Silver, Language::Vietnamese), "Bạc");
    EXPECT_EQ(loyalty::tierName(Tier::Silver, Language::English), "Silver");
    for (const Tier tier : {Tier::Silver, Tier::Gold, Tier::Diamond}) {
        EXPECT_EQ(loyalty::tierFromCode(loyalty::tierCode(tier)), tier);
    }
    EXPECT_FALSE(loyalty::tierFromCode("platinum").has_value());
}

TEST(TierRulesToml, DevelopmentRulesLoad) {
    const TierRules rules = devRules();
    EXPECT_EQ(rules.windowDays(), 365);
    EXPECT_EQ(rules.rule(Tier::Silver).threshold, 0);
    EXPECT_EQ(rules.rule(Tier::Gold).threshold, 1000);
    EXPECT_EQ(rules.rule(Tier::Diamond).threshold, 5000);
    EXPECT_FALSE(rules.rule(Tier::Diamond).benefits.vi.empty());
    EXPECT_EQ(rules.tierFor(999), Tier::Silver);
    EXPECT_EQ(rules.tierFor(1000), Tier::Gold);
    EXPECT_EQ(rules.tierFor(4999), Tier::Gold);
    EXPECT_EQ(rules.tierFor(5000), Tier::Diamond);
}

TEST(TierRulesToml, ErrorsNameTheKey) {
    EXPECT_EQ(errorOf(kRules), "accepted");
    EXPECT_EQ(errorOf(replaced("threshold = 5000", "threshold = 1000")),
              "tiers.diamond.threshold must be above the threshold of the tier below (1000)");
    EXPECT_EQ(errorOf(replaced("threshold = 1000", "threshold = -1")),
              "tiers.gold.threshold must be between 1 and 10000000000000, not -1");
    EXPECT_EQ(errorOf(replaced("threshold = 1000", "threshold = \"1000\"")),
              "tiers.gold.threshold must be a whole number");
    EXPECT_EQ(errorOf(replaced("threshold = 1000\n", "")), "tiers.gold.threshold is missing");
    EXPECT_EQ(errorOf(replaced("window_days = 365", "window_days = 0")),
              "tiers.window_days must be between 1 and 3660, not 0");
    EXPECT_EQ(errorOf(replaced("[tiers.silver]\n", "[tiers.silver]\nthreshold = 0\n")),
              "tiers.silver.threshold is not a known key");
    EXPECT_EQ(errorOf(replaced("benefits_en = \"c\"", "benefit_en = \"c\"")),
              "tiers.diamond.benefit_en is not a known key");
    EXPECT_EQ(errorOf(replaced("[tiers.diamond]", "[tiers.platinum]")), "tiers.platinum is not a known key");
    EXPECT_EQ(errorOf("[tiers]\nwindow_days = 365\n"), "tiers.silver is missing");
    EXPECT_EQ(errorOf(""), "tiers is missing");
    EXPECT_EQ(errorOf("[tiers\n").substr(0, 8), "line 1: ");
    EXPECT_EQ(errorOf(replaced("threshold = 1000\n", "threshold = 1000\ncolour = 0x1000000\n")),
              "tiers.gold.colour must be between 0 and 16777215, not 16777216");
}

TEST(TierRulesToml, AColourIsOptionalPerTier) {
    EXPECT_FALSE(TierRules::fromToml(kRules)->rule(Tier::Gold).colour.has_value());
    const auto rules =
        TierRules::fromToml(replaced("threshold = 1000\n", "threshold = 1000\ncolour = 0xC99714\n"));
    ASSERT_TRUE(rules.has_value()) << rules.error().message;
    EXPECT_EQ(rules->rule(Tier::Gold).colour, 0xC99714U);
    EXPECT_EQ(devRules().rule(Tier::Diamond).colour, 0x2B8CBEU);
}

TEST(TierStatus, WhichEntriesQualify) {
    const TierRules rules = devRules();
    const UnixSeconds now = kT0 + 10 * kDay;
    const std::vector<LedgerEntry> entries{
        earnAt(600, kT0),
        entry(EntryKind::GamePrize, 300, kT0),
        entry(EntryKind::Earn, 200, kT0, true),       // pending: counts (the kiosk shows the tier it gives)
        entry(EntryKind::Adjustment, 5000, kT0),      // a staff correction moves no status
        entry(EntryKind::Redeem, -1000, kT0 + kDay),  // spending never costs status
        entry(EntryKind::Expiry, -100, kT0 + 2 * kDay),
    };
    EXPECT_EQ(loyalty::qualifyingPoints(entries, rules, now), 1100);
    EXPECT_EQ(loyalty::tierStatus(entries, rules, now).tier, Tier::Gold);
}

TEST(TierStatus, AnEntryExactly365DaysOldNoLongerCounts) {
    const TierRules rules = devRules();
    const std::vector<LedgerEntry> entries{earnAt(1000, kT0)};
    EXPECT_EQ(loyalty::tierStatus(entries, rules, kT0 + 365 * kDay - 1).tier, Tier::Gold);
    EXPECT_EQ(loyalty::qualifyingPoints(entries, rules, kT0 + 365 * kDay - 1), 1000);
    EXPECT_EQ(loyalty::qualifyingPoints(entries, rules, kT0 + 365 * kDay), 0);
    EXPECT_EQ(loyalty::tierStatus(entries, rules, kT0 + 365 * kDay).tier, Tier::Silver);
    // An entry dated after now (a kiosk clock running ahead) counts.
    EXPECT_EQ(loyalty::qualifyingPoints(entries, rules, kT0 - 60), 1000);
}

TEST(TierStatus, ProgressToTheNextTier) {
    const TierRules rules = devRules();
    const UnixSeconds now = kT0 + kDay;
    const auto status = [&](Points points) {
        return loyalty::tierStatus(std::vector<LedgerEntry>{earnAt(points, kT0)}, rules, now);
    };
    EXPECT_EQ(status(500).tier, Tier::Silver);
    EXPECT_EQ(status(500).nextTier, Tier::Gold);
    EXPECT_EQ(status(500).pointsToNext, 500);
    EXPECT_EQ(status(500).progressPermille, 500U);
    EXPECT_EQ(status(999).progressPermille, 999U);
    EXPECT_EQ(status(1000).tier, Tier::Gold);
    EXPECT_EQ(status(1000).progressPermille, 0U);
    EXPECT_EQ(status(3000).progressPermille, 500U);  // halfway from 1000 to 5000
    EXPECT_EQ(status(3000).pointsToNext, 2000);
    EXPECT_EQ(status(7000).tier, Tier::Diamond);
    EXPECT_FALSE(status(7000).nextTier.has_value());
    EXPECT_EQ(status(7000).pointsToNext, 0);
    EXPECT_EQ(status(7000).progressPermille, 1000U);

    const auto none = loyalty::tierStatus({}, rules, now);
    EXPECT_EQ(none.tier, Tier::Silver);
    EXPECT_EQ(none.pointsToNext, 1000);
    EXPECT_FALSE(none.oldestPointsLeaveAt.has_value());
    EXPECT_FALSE(none.drop.has_value());
}

TEST(TierStatus, WindowEdgeSaysWhatToEarnByWhen) {
    const TierRules rules = devRules();
    const std::vector<LedgerEntry> entries{earnAt(400, kT0), earnAt(200, kT0), earnAt(600, kT0 + 100 * kDay)};
    const auto status = loyalty::tierStatus(entries, rules, kT0 + 200 * kDay);
    EXPECT_EQ(status.tier, Tier::Gold);
    EXPECT_EQ(status.qualifyingPoints, 1200);
    EXPECT_EQ(status.oldestPointsLeaveAt, kT0 + 365 * kDay);
    EXPECT_EQ(status.oldestPointsLeaving, 600);  // both entries of the same second leave together
    ASSERT_TRUE(status.drop.has_value());
    EXPECT_EQ(status.drop->at, kT0 + 365 * kDay);
    EXPECT_EQ(status.drop->fallsTo, Tier::Silver);
    EXPECT_EQ(status.drop->earnToKeep, 400);

    // Earning those 400 before the edge keeps Gold through it.
    std::vector<LedgerEntry> more = entries;
    more.push_back(earnAt(400, kT0 + 364 * kDay));
    EXPECT_EQ(loyalty::tierStatus(more, rules, kT0 + 365 * kDay).tier, Tier::Gold);
    EXPECT_EQ(loyalty::tierStatus(entries, rules, kT0 + 365 * kDay).tier, Tier::Silver);
}

TEST(TierStatus, DropIsTheFirstFallNotTheOldestEntry) {
    const TierRules rules = devRules();
    // Diamond with 6000: the first 500 leaving keeps Diamond (5500), the next 1000 drops to Gold.
    const std::vector<LedgerEntry> entries{earnAt(500, kT0), earnAt(1000, kT0 + 10 * kDay),
                                           earnAt(4500, kT0 + 20 * kDay)};
    const auto status = loyalty::tierStatus(entries, rules, kT0 + 30 * kDay);
    EXPECT_EQ(status.tier, Tier::Diamond);
    EXPECT_EQ(status.oldestPointsLeaveAt, kT0 + 365 * kDay);
    ASSERT_TRUE(status.drop.has_value());
    EXPECT_EQ(status.drop->at, kT0 + 375 * kDay);
    EXPECT_EQ(status.drop->fallsTo, Tier::Gold);
    EXPECT_EQ(status.drop->earnToKeep, 500);

    // Silver cannot fall.
    const auto silver = loyalty::tierStatus(std::vector<LedgerEntry>{earnAt(100, kT0)}, rules, kT0);
    EXPECT_EQ(silver.oldestPointsLeaveAt, kT0 + 365 * kDay);
    EXPECT_FALSE(silver.drop.has_value());
}

TEST(TierStatus, AReturnTakesStatusOffItsOwnReceiptOnly) {
    const TierRules rules = devRules();
    const UnixSeconds now = kT0 + 10 * kDay;
    auto onReceipt = [](LedgerEntry e, const char* receipt) {
        e.reference = receipt;
        return e;
    };
    const LedgerEntry big = onReceipt(earnAt(900, kT0), "HCM001/R1");
    const LedgerEntry small = onReceipt(earnAt(300, kT0 + kDay), "HCM001/R2");
    const LedgerEntry partOfBig = onReceipt(entry(EntryKind::Return, -600, kT0 + 5 * kDay), "HCM001/R1");
    const std::vector<LedgerEntry> before{big, small};
    EXPECT_EQ(loyalty::tierStatus(before, rules, now).tier, Tier::Gold);
    const std::vector<LedgerEntry> after{big, small, partOfBig};
    EXPECT_EQ(loyalty::qualifyingPoints(after, rules, now), 600);
    EXPECT_EQ(loyalty::tierStatus(after, rules, now).tier, Tier::Silver);
    // Never below nothing for one receipt, and a return of a receipt no longer counted changes nothing.
    const LedgerEntry tooMuch = onReceipt(entry(EntryKind::Return, -5000, kT0 + 5 * kDay), "HCM001/R2");
    const std::vector<LedgerEntry> over{big, small, tooMuch};
    EXPECT_EQ(loyalty::qualifyingPoints(over, rules, now), 900);
    const std::vector<LedgerEntry> stale{small,
                                         onReceipt(entry(EntryKind::Return, -600, kT0 + 5 * kDay), "OLD/R0")};
    EXPECT_EQ(loyalty::qualifyingPoints(stale, rules, now), 300);
}
