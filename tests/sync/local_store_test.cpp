#include "kiosk/sync/local_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "temp_dir.hpp"

namespace kiosk::sync {
namespace {

NewClaim sampleClaim(const std::string& number, const std::string& phone = "0901234567",
                     std::int64_t points = 12) {
    NewClaim claim;
    claim.receiptId = "HCM001/" + number;
    claim.token = "TOKEN-" + number;
    claim.phone = phone;
    claim.consentJoin = true;
    claim.consentTextVersion = "v1";
    claim.acceptedAt = 1'790'000'000;
    claim.provisionalPoints = points;
    return claim;
}

std::unique_ptr<LocalStore> openStore(const std::filesystem::path& file) {
    auto store = LocalStore::open(file);
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
    return store ? std::move(*store) : nullptr;
}

TEST(LocalStore, EnqueueSurvivesReopenAndKeepsOrder) {
    TempDir dir;
    std::vector<std::string> keys;
    {
        auto store = openStore(dir.path() / "kiosk.db");
        ASSERT_TRUE(store);
        for (int i = 0; i < 5; ++i) {
            auto key = store->enqueue(sampleClaim(std::to_string(i)));
            ASSERT_TRUE(key.has_value()) << key.error().message;
            EXPECT_EQ(key->size(), 32u);
            keys.push_back(*key);
        }
    }
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    auto batch = store->pendingBatch(3);
    ASSERT_TRUE(batch.has_value());
    ASSERT_EQ(batch->size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ((*batch)[i].idempotencyKey, keys[i]);
        EXPECT_EQ((*batch)[i].claim.receiptId, "HCM001/" + std::to_string(i));
        EXPECT_EQ((*batch)[i].claim.token, "TOKEN-" + std::to_string(i));
        EXPECT_TRUE((*batch)[i].claim.consentJoin);
        EXPECT_FALSE((*batch)[i].claim.consentMarketing);
        EXPECT_EQ((*batch)[i].state, EntryState::Pending);
    }
    EXPECT_EQ(store->outboxDepth().value(), 5);
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
}

TEST(LocalStore, UsesWalWithFullSync) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->enqueue(sampleClaim("1")).has_value());
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "kiosk.db-wal"));
}

TEST(LocalStore, SameReceiptQueuesOnce) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->enqueue(sampleClaim("7")).has_value());
    auto again = store->enqueue(sampleClaim("7"));
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().kind, StoreError::Kind::Duplicate);
    EXPECT_EQ(store->outboxDepth().value(), 1);
}

TEST(LocalStore, RefusesIncompleteClaim) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    auto claim = sampleClaim("1");
    claim.token.clear();
    auto key = store->enqueue(claim);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().kind, StoreError::Kind::Invalid);
    EXPECT_EQ(store->outboxDepth().value(), 0);
}

TEST(LocalStore, SettleConfirmsAndAuditsRefusalsOnce) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    const auto a = store->enqueue(sampleClaim("1", "0901111111", 10)).value();
    const auto b = store->enqueue(sampleClaim("2", "0901111111", 20)).value();
    const auto c = store->enqueue(sampleClaim("3", "0902222222", 30)).value();
    EXPECT_EQ(store->pendingPoints("0901111111").value(), 30);

    ASSERT_TRUE(store
                    ->settle({Settlement{a, true, 11, 111, "", "", 1},
                              Settlement{b, false, 0, 0, "already_claimed", "already claimed at HCM002", 2}})
                    .has_value());
    // A late, contradicting duplicate answer does not flip a settled entry nor audit twice.
    ASSERT_TRUE(
        store->settle({Settlement{a, false, 0, 0, "x", "y", 3}, Settlement{b, false, 0, 0, "z", "w", 3}})
            .has_value());

    EXPECT_EQ(store->entry(a).value().state, EntryState::Confirmed);
    EXPECT_EQ(store->entry(a).value().pointsEarned, 11);
    EXPECT_EQ(store->entry(b).value().state, EntryState::Refused);
    EXPECT_EQ(store->entry(c).value().state, EntryState::Pending);
    EXPECT_EQ(store->outboxDepth().value(), 1);
    EXPECT_EQ(store->pendingPoints("0901111111").value(), 0);
    EXPECT_EQ(store->pendingPoints("0902222222").value(), 30);

    auto refusals = store->refusals().value();
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0].receiptId, "HCM001/2");
    EXPECT_EQ(refusals[0].code, "already_claimed");
    EXPECT_EQ(refusals[0].reason, "already claimed at HCM002");
    EXPECT_EQ(refusals[0].provisionalPoints, 20);
    ASSERT_TRUE(store->acknowledgeRefusal(refusals[0].id).has_value());
    EXPECT_TRUE(store->refusals().value().empty());
    EXPECT_EQ(store->refusals(true).value().size(), 1u);
    EXPECT_EQ(store->acknowledgeRefusal(999).error().kind, StoreError::Kind::NotFound);
    EXPECT_EQ(store->entry("nope").error().kind, StoreError::Kind::NotFound);
}

TEST(LocalStore, NoteAttemptKeepsPending) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    const auto a = store->enqueue(sampleClaim("1")).value();
    ASSERT_TRUE(store->noteAttempt({a}, "timeout").has_value());
    ASSERT_TRUE(store->noteAttempt({a}, "reset").has_value());
    const auto entry = store->entry(a).value();
    EXPECT_EQ(entry.state, EntryState::Pending);
    EXPECT_EQ(entry.attempts, 2);
    EXPECT_EQ(entry.lastError, "reset");
}

TEST(LocalStore, ConfigClockOffsetAndUpdatePostponementPersist) {
    TempDir dir;
    {
        auto store = openStore(dir.path() / "kiosk.db");
        ASSERT_TRUE(store);
        EXPECT_FALSE(store->loadConfig().value().has_value());
        EXPECT_EQ(store->loadClockOffset().value(), 0);
        EXPECT_EQ(store->loadUpdatePostponedUntil().value(), 0);
        ASSERT_TRUE(store->saveConfig({"\"v1\"", R"({"campaign":1})", 5}).has_value());
        ASSERT_TRUE(store->saveConfig({"\"v2\"", R"({"campaign":2})", 6}).has_value());
        ASSERT_TRUE(store->saveClockOffset(-3600).has_value());
        ASSERT_TRUE(store->saveUpdatePostponedUntil(1'790'086'400).has_value());
    }
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    const auto config = store->loadConfig().value();
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->etag, "\"v2\"");
    EXPECT_EQ(config->body, R"({"campaign":2})");
    EXPECT_EQ(config->fetchedAt, 6);
    EXPECT_EQ(store->loadClockOffset().value(), -3600);
    EXPECT_EQ(store->loadUpdatePostponedUntil().value(), 1'790'086'400);
}

IssuedVoucher sampleVoucher(const std::string& code) {
    IssuedVoucher voucher;
    voucher.code = code;
    voucher.qrPayload = "LV1." + code + ".signature";
    voucher.title = {"Phiếu mua hàng 50.000 ₫", "50,000 VND voucher"};
    voucher.valueDong = 50'000;
    voucher.issuedAt = 1'790'000'000;
    voucher.expiresAt = 1'792'592'000;
    voucher.terms = {"Dùng một lần.", "Single use."};
    return voucher;
}

TEST(LocalStore, VouchersPersistNewestFirstAndRememberPrinting) {
    TempDir dir;
    {
        auto store = openStore(dir.path() / "kiosk.db");
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->saveVoucher(sampleVoucher("V-1")).has_value());
        ASSERT_TRUE(store->saveVoucher(sampleVoucher("V-2")).has_value());
        ASSERT_TRUE(store->markVoucherPrinted("V-1").has_value());
        // Central's answer to a retried redemption repeats the voucher: the kept copy stays as it is.
        ASSERT_TRUE(store->saveVoucher(sampleVoucher("V-1")).has_value());
    }
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    auto vouchers = store->vouchers();
    ASSERT_TRUE(vouchers.has_value());
    ASSERT_EQ(vouchers->size(), 2U);
    EXPECT_EQ((*vouchers)[0].code, "V-2");
    EXPECT_FALSE((*vouchers)[0].printed);
    const IssuedVoucher& first = (*vouchers)[1];
    EXPECT_EQ(first.code, "V-1");
    EXPECT_TRUE(first.printed);
    EXPECT_EQ(first.qrPayload, "LV1.V-1.signature");
    EXPECT_EQ(first.title.vi, "Phiếu mua hàng 50.000 ₫");
    EXPECT_EQ(first.title.en, "50,000 VND voucher");
    EXPECT_EQ(first.valueDong, 50'000);
    EXPECT_EQ(first.issuedAt, 1'790'000'000);
    EXPECT_EQ(first.expiresAt, 1'792'592'000);
    EXPECT_EQ(first.terms.vi, "Dùng một lần.");
    EXPECT_EQ(first.terms.en, "Single use.");
    EXPECT_EQ(store->vouchers(1)->size(), 1U);

    EXPECT_EQ(store->markVoucherPrinted("NO-SUCH").error().kind, StoreError::Kind::NotFound);
    IssuedVoucher noPayload = sampleVoucher("V-3");
    noPayload.qrPayload.clear();
    EXPECT_EQ(store->saveVoucher(noPayload).error().kind, StoreError::Kind::Invalid);
    EXPECT_EQ(store->vouchers()->size(), 2U);
}

TEST(LocalStore, VouchersNotPrintedComeFirstHoweverManyFollow) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    // V-1's print failed midway; many whole prints followed before staff came.
    for (int i = 1; i <= 30; ++i) {
        const std::string code = "V-" + std::to_string(i);
        ASSERT_TRUE(store->saveVoucher(sampleVoucher(code)).has_value());
        if (i != 1 && i != 29) {
            ASSERT_TRUE(store->markVoucherPrinted(code).has_value());
        }
    }
    auto vouchers = store->vouchers(3);
    ASSERT_TRUE(vouchers.has_value());
    ASSERT_EQ(vouchers->size(), 3U);
    EXPECT_EQ((*vouchers)[0].code, "V-29");
    EXPECT_EQ((*vouchers)[1].code, "V-1");
    EXPECT_EQ((*vouchers)[2].code, "V-30");
    EXPECT_FALSE((*vouchers)[1].printed);
    EXPECT_TRUE((*vouchers)[2].printed);
    ASSERT_TRUE(store->markVoucherPrinted("V-1").has_value());  // reprinted: back in date order
    EXPECT_EQ(store->vouchers(2)->at(1).code, "V-30");
}

TEST(LocalStore, ASchemaOneFileGainsTheVoucherTableAndKeepsItsOutbox) {
    TempDir dir;
    const auto file = dir.path() / "kiosk.db";
    std::string key;
    {
        auto store = openStore(file);
        ASSERT_TRUE(store);
        key = store->enqueue(sampleClaim("OLD")).value();
    }
    // Turn the file back into what an early release left: schema 1, none of the later tables.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE vouchers; DROP TABLE staff_actions; DROP TABLE service_state; "
                           "PRAGMA user_version=1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);

    auto store = openStore(file);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->entry(key)->claim.receiptId, "HCM001/OLD");
    EXPECT_TRUE(store->saveVoucher(sampleVoucher("V-NEW")).has_value());
    EXPECT_EQ(store->vouchers()->size(), 1U);
}

TEST(LocalStore, GarbageFileIsAnErrorNotACrash) {
    TempDir dir;
    const auto file = dir.path() / "kiosk.db";
    std::ofstream(file) << std::string(8192, 'x');
    auto store = LocalStore::open(file);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().kind, StoreError::Kind::Io);
    EXPECT_FALSE(store.error().message.empty());
}

TEST(LocalStore, ConcurrentEnqueueFromThreads) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i)
                EXPECT_TRUE(
                    store->enqueue(sampleClaim(std::to_string(t) + "-" + std::to_string(i))).has_value());
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(store->outboxDepth().value(), 100);
}

TEST(LocalStore, PruneRemovesOnlyOldSettledEntriesAndAcknowledgedRefusals) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    constexpr loyalty::UnixSeconds kOld = 1'000'000;
    constexpr loyalty::UnixSeconds kCutoff = 2'000'000;
    constexpr loyalty::UnixSeconds kRecent = 3'000'000;
    const auto confirmedOld = store->enqueue(sampleClaim("A")).value();
    const auto refusedUnacknowledged = store->enqueue(sampleClaim("B")).value();
    const auto refusedAcknowledged = store->enqueue(sampleClaim("C")).value();
    const auto pending = store->enqueue(sampleClaim("D")).value();
    const auto confirmedRecent = store->enqueue(sampleClaim("E")).value();
    ASSERT_TRUE(store
                    ->settle({Settlement{confirmedOld, true, 12, 12, "", "", kOld},
                              Settlement{refusedUnacknowledged, false, 0, 0, "already_claimed", "B", kOld},
                              Settlement{refusedAcknowledged, false, 0, 0, "already_claimed", "C", kOld},
                              Settlement{confirmedRecent, true, 12, 24, "", "", kRecent}})
                    .has_value());
    auto refusals = store->refusals().value();
    ASSERT_EQ(refusals.size(), 2u);
    const auto acknowledged = refusals[0].receiptId == "HCM001/C" ? refusals[0].id : refusals[1].id;
    ASSERT_TRUE(store->acknowledgeRefusal(acknowledged).has_value());

    // The acknowledged refusal and the two old settled entries it no longer holds.
    auto removed = store->pruneSettled(kCutoff, 100);
    ASSERT_TRUE(removed.has_value()) << removed.error().message;
    EXPECT_EQ(*removed, 3u);
    EXPECT_EQ(store->pruneSettled(kCutoff, 100).value(), 0u);

    EXPECT_EQ(store->entry(confirmedOld).error().kind, StoreError::Kind::NotFound);
    EXPECT_EQ(store->entry(refusedAcknowledged).error().kind, StoreError::Kind::NotFound);
    // Staff have not seen this refusal yet: it stays, with its entry.
    EXPECT_EQ(store->entry(refusedUnacknowledged).value().state, EntryState::Refused);
    const auto all = store->refusals(true).value();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].receiptId, "HCM001/B");
    EXPECT_FALSE(all[0].acknowledged);
    // Never a pending entry, however old the cutoff says; a recent settled one stays too.
    EXPECT_EQ(store->entry(pending).value().state, EntryState::Pending);
    EXPECT_EQ(store->entry(confirmedRecent).value().state, EntryState::Confirmed);
    EXPECT_EQ(store->outboxDepth().value(), 1);
    EXPECT_EQ(store->pendingBatch(10).value().front().idempotencyKey, pending);
}

TEST(LocalStore, PruneWorksInBatchesOfTheSizeAsked) {
    TempDir dir;
    auto store = openStore(dir.path() / "kiosk.db");
    ASSERT_TRUE(store);
    std::vector<Settlement> answers;
    for (int i = 0; i < 10; ++i)
        answers.push_back(
            Settlement{store->enqueue(sampleClaim(std::to_string(i))).value(), true, 12, 12, "", "", 100});
    ASSERT_TRUE(store->settle(answers).has_value());
    std::vector<std::size_t> steps;
    for (std::size_t removed = 1; removed > 0;) {
        removed = store->pruneSettled(101, 4).value();
        steps.push_back(removed);
    }
    EXPECT_EQ(steps, (std::vector<std::size_t>{4, 4, 2, 0}));
    // Settled exactly at the cutoff is not older than it.
    ASSERT_TRUE(store->settle({Settlement{store->enqueue(sampleClaim("X")).value(), true, 1, 1, "", "", 101}})
                    .has_value());
    EXPECT_EQ(store->pruneSettled(101, 4).value(), 0u);
}

}  // namespace
}  // namespace kiosk::sync
