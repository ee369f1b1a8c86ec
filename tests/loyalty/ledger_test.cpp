#include "loyalty/ledger.hpp"

#include <gtest/gtest.h>

#include "iso_time.hpp"
#include "loyalty/time.hpp"

using loyalty::AppendResult;
using loyalty::EntryKind;
using loyalty::Ledger;
using loyalty::LedgerEntry;
using loyalty::LedgerError;
using loyalty::Points;
using loyalty::UnixSeconds;
using loyalty::test::at;

namespace {

LedgerEntry make(std::string key, EntryKind kind, Points points, UnixSeconds when, bool pending = false) {
    return LedgerEntry{std::move(key), kind, points, when, "HCM001/R1", pending};
}

const UnixSeconds kNow = at("2026-11-23T10:00:00+07:00");

}  // namespace

TEST(Ledger, ExactReplayIsAlreadyAppliedDifferentContentIsAConflict) {
    Ledger ledger;
    const LedgerEntry earn = make("claim:HCM001/R1", EntryKind::Earn, 120, kNow);
    EXPECT_EQ(ledger.append(earn), AppendResult::Applied);
    EXPECT_EQ(ledger.append(earn), AppendResult::AlreadyApplied);
    EXPECT_EQ(ledger.entries().size(), 1U);
    EXPECT_EQ(ledger.balance(), 120);

    LedgerEntry other = earn;
    other.points = 121;
    EXPECT_EQ(ledger.append(other).error(), LedgerError::Conflict);
    other = earn;
    other.at += 1;
    EXPECT_EQ(ledger.append(other).error(), LedgerError::Conflict);
    other = earn;
    other.reference = "HCM001/R2";
    EXPECT_EQ(ledger.append(other).error(), LedgerError::Conflict);
    other = earn;
    other.kind = EntryKind::GamePrize;
    EXPECT_EQ(ledger.append(other).error(), LedgerError::Conflict);
    EXPECT_EQ(ledger.entries().size(), 1U);
    EXPECT_EQ(ledger.balance(), 120);
    ASSERT_NE(ledger.find("claim:HCM001/R1"), nullptr);
    EXPECT_EQ(*ledger.find("claim:HCM001/R1"), earn);
    EXPECT_EQ(ledger.find("claim:HCM001/R2"), nullptr);
}

TEST(Ledger, PendingEntriesAreConfirmedByTheSameKey) {
    Ledger ledger;
    const LedgerEntry pending = make("claim:HCM001/R1", EntryKind::Earn, 100, kNow, true);
    EXPECT_EQ(ledger.append(pending), AppendResult::Applied);
    EXPECT_EQ(ledger.balance(), 0);
    EXPECT_EQ(ledger.pendingPoints(), 100);

    LedgerEntry confirmed = pending;
    confirmed.pending = false;
    EXPECT_EQ(ledger.append(confirmed), AppendResult::Applied);
    EXPECT_EQ(ledger.balance(), 100);
    EXPECT_EQ(ledger.pendingPoints(), 0);
    EXPECT_EQ(ledger.entries().size(), 1U);
    EXPECT_EQ(ledger.append(confirmed), AppendResult::AlreadyApplied);
    EXPECT_EQ(ledger.append(pending), AppendResult::AlreadyApplied);  // a late retry of the kiosk
    EXPECT_EQ(ledger.balance(), 100);

    LedgerEntry confirmedDifferently = pending;
    confirmedDifferently.points = 90;
    confirmedDifferently.pending = false;
    Ledger other;
    ASSERT_TRUE(other.append(pending).has_value());
    EXPECT_EQ(other.append(confirmedDifferently).error(), LedgerError::Conflict);
}

TEST(Ledger, DebitsNeverGoBelowZeroAndPendingPointsCannotBeSpent) {
    Ledger ledger;
    ASSERT_TRUE(ledger.append(make("e1", EntryKind::Earn, 100, kNow)).has_value());
    ASSERT_TRUE(ledger.append(make("e2", EntryKind::Earn, 500, kNow, true)).has_value());
    EXPECT_EQ(ledger.append(make("r1", EntryKind::Redeem, -101, kNow)).error(),
              LedgerError::InsufficientPoints);
    EXPECT_EQ(ledger.append(make("a1", EntryKind::Adjustment, -101, kNow)).error(),
              LedgerError::InsufficientPoints);
    EXPECT_EQ(ledger.append(make("r1", EntryKind::Redeem, -100, kNow)), AppendResult::Applied);
    EXPECT_EQ(ledger.balance(), 0);
    EXPECT_EQ(ledger.pendingPoints(), 500);
    EXPECT_EQ(ledger.entries().size(), 3U);
}

TEST(Ledger, EntriesAreValidated) {
    const auto error = [](const LedgerEntry& e) { return loyalty::validateEntry(e).error(); };
    EXPECT_EQ(error(make("", EntryKind::Earn, 1, kNow)), LedgerError::InvalidKey);
    EXPECT_EQ(error(make(std::string(129, 'k'), EntryKind::Earn, 1, kNow)), LedgerError::InvalidKey);
    EXPECT_TRUE(loyalty::validateEntry(make(std::string(128, 'k'), EntryKind::Earn, 1, kNow)).has_value());
    EXPECT_TRUE(loyalty::validateEntry(make("expiry:" + std::string(128, 'k'), EntryKind::Expiry, -1, kNow)));
    EXPECT_EQ(error(make("a\nb", EntryKind::Earn, 1, kNow)), LedgerError::InvalidKey);
    EXPECT_EQ(error(make("k\xc3\xa9", EntryKind::Earn, 1, kNow)), LedgerError::InvalidKey);
    EXPECT_EQ(error(make("k", EntryKind::Earn, 0, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::Earn, -1, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::GamePrize, -1, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::Redeem, 1, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::Expiry, 1, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::Return, 1, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::Earn, loyalty::kMaxPoints + 1, kNow)), LedgerError::InvalidPoints);
    EXPECT_EQ(error(make("k", EntryKind::Adjustment, -loyalty::kMaxPoints - 1, kNow)),
              LedgerError::InvalidPoints);
    EXPECT_TRUE(loyalty::validateEntry(make("k", EntryKind::Adjustment, -5, kNow)).has_value());
    EXPECT_EQ(error(make("k", EntryKind::GamePrize, 5, kNow, true)), LedgerError::PendingNotAllowed);
    EXPECT_EQ(error(make("k", EntryKind::Redeem, -5, kNow, true)), LedgerError::PendingNotAllowed);

    Ledger ledger;
    EXPECT_EQ(ledger.append(make("", EntryKind::Earn, 1, kNow)).error(), LedgerError::InvalidKey);
    EXPECT_TRUE(ledger.entries().empty());
}

TEST(Ledger, KindCodesRoundTrip) {
    for (const EntryKind kind : {EntryKind::Earn, EntryKind::Redeem, EntryKind::GamePrize,
                                 EntryKind::Adjustment, EntryKind::Expiry, EntryKind::Return}) {
        EXPECT_EQ(loyalty::entryKindFromCode(loyalty::entryKindCode(kind)), kind);
    }
    EXPECT_EQ(loyalty::entryKindCode(EntryKind::GamePrize), "game_prize");
    EXPECT_FALSE(loyalty::entryKindFromCode("bonus").has_value());
    EXPECT_EQ(loyalty::ledgerErrorCode(LedgerError::Conflict), "ledger_conflict");
    EXPECT_FALSE(loyalty::describe(LedgerError::InsufficientPoints).empty());
}

TEST(Ledger, FreeFunctionsOverLoadedEntries) {
    const std::vector<LedgerEntry> rows{make("a", EntryKind::Earn, 100, kNow),
                                        make("b", EntryKind::Earn, 40, kNow, true),
                                        make("c", EntryKind::Redeem, -30, kNow)};
    EXPECT_EQ(loyalty::balanceOf(rows), 70);
    EXPECT_EQ(loyalty::pendingPointsOf(rows), 40);
}

TEST(PointsExpiry, ExpireWholeMonthsAfterTheEndOfTheLocalMonth) {
    EXPECT_EQ(loyalty::pointsExpireAt(at("2026-11-01T00:00:00+07:00"), 12), at("2027-12-01T00:00:00+07:00"));
    EXPECT_EQ(loyalty::pointsExpireAt(at("2026-11-30T23:59:59+07:00"), 12), at("2027-12-01T00:00:00+07:00"));
    // 17:00 UTC on 30 November is already 1 December in Vietnam.
    EXPECT_EQ(loyalty::pointsExpireAt(at("2026-11-30T17:00:00Z"), 12), at("2028-01-01T00:00:00+07:00"));
    EXPECT_EQ(loyalty::pointsExpireAt(at("2026-12-15T12:00:00+07:00"), 1), at("2027-02-01T00:00:00+07:00"));
}

TEST(PointsExpiry, RedemptionsSpendTheOldestPointsFirst) {
    Ledger ledger;
    ASSERT_TRUE(ledger.append(make("e1", EntryKind::Earn, 100, at("2026-01-15T10:00:00+07:00"))));
    ASSERT_TRUE(ledger.append(make("e2", EntryKind::Earn, 50, at("2026-03-10T10:00:00+07:00"))));
    ASSERT_TRUE(ledger.append(make("r1", EntryKind::Redeem, -120, at("2026-06-01T10:00:00+07:00"))));

    // e1 (expires 2027-02-01) was fully spent; e2 (expires 2027-04-01) has 30 left.
    EXPECT_TRUE(ledger.dueExpiries(12, at("2027-02-01T00:00:00+07:00")).empty());
    EXPECT_TRUE(ledger.dueExpiries(12, at("2027-03-31T23:59:59+07:00")).empty());
    const auto due = ledger.dueExpiries(12, at("2027-04-01T00:00:00+07:00"));
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0], (LedgerEntry{"expiry:e2", EntryKind::Expiry, -30, at("2027-04-01T00:00:00+07:00"), "e2",
                                   false}));

    // Applying them is idempotent: nothing more is due, and a second run is AlreadyApplied.
    EXPECT_EQ(ledger.append(due[0]), AppendResult::Applied);
    EXPECT_EQ(ledger.balance(), 0);
    EXPECT_TRUE(ledger.dueExpiries(12, at("2027-05-01T00:00:00+07:00")).empty());
    EXPECT_EQ(ledger.append(due[0]), AppendResult::AlreadyApplied);
}

TEST(PointsExpiry, ExpiryTakesWhatIsLeftOfEachLot) {
    Ledger ledger;
    ASSERT_TRUE(ledger.append(make("e1", EntryKind::Earn, 100, at("2026-01-15T10:00:00+07:00"))));
    ASSERT_TRUE(ledger.append(make("g1", EntryKind::GamePrize, 20, at("2026-01-20T10:00:00+07:00"))));
    ASSERT_TRUE(ledger.append(make("a1", EntryKind::Adjustment, 10, at("2026-02-02T10:00:00+07:00"))));
    ASSERT_TRUE(ledger.append(make("a2", EntryKind::Adjustment, -30, at("2026-02-03T10:00:00+07:00"))));
    ASSERT_TRUE(ledger.append(make("p1", EntryKind::Earn, 70, at("2026-01-16T10:00:00+07:00"), true)));

    const auto due = ledger.dueExpiries(12, at("2027-02-01T00:00:00+07:00"));
    ASSERT_EQ(due.size(), 2U);  // the January lots; the pending entry takes no part
    EXPECT_EQ(due[0].points, -70);
    EXPECT_EQ(due[0].reference, "e1");
    EXPECT_EQ(due[1].points, -20);
    EXPECT_EQ(due[1].reference, "g1");
    for (const auto& entry : due) ASSERT_EQ(ledger.append(entry), AppendResult::Applied);
    EXPECT_EQ(ledger.balance(), 10);

    const auto later = ledger.dueExpiries(12, at("2027-03-01T00:00:00+07:00"));
    ASSERT_EQ(later.size(), 1U);
    EXPECT_EQ(later[0].points, -10);
    EXPECT_TRUE(ledger.dueExpiries(0, at("2030-01-01T00:00:00+07:00")).empty());  // 0 months: never
}

TEST(PointsExpiry, ALateExpiryRunNeverTakesTheBalanceBelowZero) {
    Ledger ledger;
    ASSERT_TRUE(ledger.append(make("e1", EntryKind::Earn, 100, at("2026-01-15T10:00:00+07:00"))));
    // e1 expired at 2027-02-01 but the expiry run has not written it yet; the shopper spends 60.
    ASSERT_TRUE(ledger.append(make("r1", EntryKind::Redeem, -60, at("2027-02-15T10:00:00+07:00"))));
    const auto due = ledger.dueExpiries(12, at("2027-03-01T00:00:00+07:00"));
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].points, -40);
    EXPECT_EQ(due[0].at, at("2027-02-01T00:00:00+07:00"));
    ASSERT_EQ(ledger.append(due[0]), AppendResult::Applied);
    EXPECT_EQ(ledger.balance(), 0);
}

TEST(PointsExpiry, AReturnTakesFromItsOwnReceiptsPointsFirst) {
    Ledger ledger;
    auto onReceipt = [](LedgerEntry e, const char* receipt) {
        e.reference = receipt;
        return e;
    };
    ASSERT_TRUE(ledger.append(
        onReceipt(make("claim:A", EntryKind::Earn, 100, at("2026-01-15T10:00:00+07:00")), "S/A")));
    ASSERT_TRUE(ledger.append(
        onReceipt(make("claim:B", EntryKind::Earn, 50, at("2026-03-10T10:00:00+07:00")), "S/B")));
    // B's goods come back: B's own 40 points go, not the older A's.
    ASSERT_TRUE(ledger.append(
        onReceipt(make("return:1", EntryKind::Return, -40, at("2026-04-01T10:00:00+07:00")), "S/B")));
    const auto due = ledger.dueExpiries(12, at("2027-02-01T00:00:00+07:00"));
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].reference, "claim:A");
    EXPECT_EQ(due[0].points, -100);
    const auto later = ledger.dueExpiries(12, at("2027-04-01T00:00:00+07:00"));
    ASSERT_EQ(later.size(), 2U);
    EXPECT_EQ(later[1].points, -10);
}
