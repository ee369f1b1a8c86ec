#pragma once
// The kiosk's own SQLite file: the outbox of accepted receipts, the last good configuration, the
// audit of claims central refused (for staff), the vouchers issued here (for staff to reprint), and
// small sync state (learned clock offset).
// Durability design and what "confirmed" means: docs/sync.md.
//
// Contract
// - Thread-safe: every method may be called from any thread (the kiosk core enqueues, the SyncWorker
//   drains); calls are serialised on one connection by an internal mutex.
// - Every method BLOCKS on disk I/O. A write returns only after SQLite committed it with
//   synchronous=FULL in WAL mode, i.e. after fsync: once `enqueue` has returned, the claim survives
//   kill -9 and a power cut. Tell the shopper "done" only after it returned a value.
// - Errors are values; a failed write changes nothing (one transaction per call).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/receipt.hpp"

struct sqlite3;

namespace kiosk::sync {

struct StoreError {
    enum class Kind {
        Io,         ///< SQLite could not read/write the file (disk full, permissions, corruption)
        Duplicate,  ///< this receipt is already in the outbox (scanned twice at this kiosk)
        NotFound,
        Invalid,  ///< the caller passed something that cannot be stored (empty key fields …)
    };
    Kind kind = Kind::Io;
    std::string message;
};

template <typename T>
using StoreResult = std::expected<T, StoreError>;

/// A receipt the kiosk accepted, to be claimed on central.
struct NewClaim {
    std::string receiptId;  ///< "STORE/NUMBER" — a receipt enters the outbox once
    std::string token;      ///< the receipt QR text exactly as scanned (central verifies it again)
    std::string phone;      ///< normalised mobile number
    bool consentJoin = false;
    bool consentMarketing = false;
    std::string consentTextVersion;
    loyalty::UnixSeconds acceptedAt = 0;  ///< central's time estimate (kiosk clock + learned offset)
    std::int64_t provisionalPoints = 0;   ///< what the kiosk computed offline and showed as pending
};

enum class EntryState { Pending, Confirmed, Refused };

struct OutboxEntry {
    std::int64_t seq = 0;        ///< local order of acceptance (not the kiosk clock)
    std::string idempotencyKey;  ///< generated at enqueue, sent with every attempt
    NewClaim claim;
    EntryState state = EntryState::Pending;
    std::int64_t attempts = 0;
    std::string lastError;
    std::int64_t pointsEarned = 0;  ///< central's figure once Confirmed
};

/// A definitive answer from central about one outbox entry.
struct Settlement {
    std::string idempotencyKey;
    bool accepted = false;          ///< true: Confirmed; false: Refused (goes to the audit)
    std::int64_t pointsEarned = 0;  ///< when accepted
    std::int64_t balance = 0;       ///< when accepted
    std::string code;               ///< when refused: central's machine code
    std::string reason;             ///< when refused: central's human reason
    loyalty::UnixSeconds at = 0;    ///< central time of the answer
};

/// A claim central refused, kept for staff (maintenance screen) until acknowledged.
struct Refusal {
    std::int64_t id = 0;
    std::string receiptId;
    std::string phone;
    std::int64_t provisionalPoints = 0;
    std::string code;
    std::string reason;
    loyalty::UnixSeconds refusedAt = 0;
    bool acknowledged = false;
};

/// A voucher central issued through this kiosk, kept so staff can reprint it (issue 5: a print that
/// fails midway leaves the voucher safe on central). What the ticket prints, nothing about the member.
struct IssuedVoucher {
    std::string code;
    std::string qrPayload;  ///< central's signed voucher token, exactly as the QR must encode it
    std::string titleVi;
    std::string titleEn;
    std::int64_t valueDong = 0;
    loyalty::UnixSeconds issuedAt = 0;
    loyalty::UnixSeconds expiresAt = 0;  ///< first second it is no longer valid
    std::string termsVi;
    std::string termsEn;
    bool printed = false;  ///< a whole ticket came out of the printer at least once
};

struct CachedConfig {
    std::string etag;
    std::string body;  ///< JSON text as central sent it
    loyalty::UnixSeconds fetchedAt = 0;
};

class LocalStore {
  public:
    /// Opens or creates the store (and its folder), applies pending schema migrations.
    [[nodiscard]] static StoreResult<std::unique_ptr<LocalStore>> open(const std::filesystem::path& file);
    ~LocalStore();
    LocalStore(const LocalStore&) = delete;
    LocalStore& operator=(const LocalStore&) = delete;

    /// Durably queues an accepted receipt; returns its idempotency key. Duplicate if the receipt is
    /// already queued (pending, confirmed or refused).
    [[nodiscard]] StoreResult<std::string> enqueue(const NewClaim& claim);

    /// Up to `max` pending entries, oldest first.
    [[nodiscard]] StoreResult<std::vector<OutboxEntry>> pendingBatch(std::size_t max);

    /// Applies definitive answers in one transaction; entries already settled are left as they are.
    [[nodiscard]] StoreResult<void> settle(const std::vector<Settlement>& answers);

    /// Counts a failed (transient) attempt on these entries, keeping them pending.
    [[nodiscard]] StoreResult<void> noteAttempt(const std::vector<std::string>& keys,
                                                const std::string& error);

    /// Deletes, in one short transaction, up to `max` outbox entries settled (confirmed or refused)
    /// before `settledBefore` (central's time, as stamped by settle) and up to `max` acknowledged
    /// refusals refused before it. Never a pending entry, never an unacknowledged refusal nor the entry
    /// it belongs to. Returns how many rows went (both tables); call again while it is not 0.
    [[nodiscard]] StoreResult<std::size_t> pruneSettled(loyalty::UnixSeconds settledBefore, std::size_t max);

    [[nodiscard]] StoreResult<OutboxEntry> entry(const std::string& idempotencyKey);
    [[nodiscard]] StoreResult<std::int64_t> outboxDepth();

    /// Points queued for this phone and not yet confirmed by central (shown as "đang chờ đồng bộ").
    [[nodiscard]] StoreResult<std::int64_t> pendingPoints(const std::string& phone);

    /// Refusals, newest first; unacknowledged only unless `all`.
    [[nodiscard]] StoreResult<std::vector<Refusal>> refusals(bool all = false, std::size_t limit = 100);
    [[nodiscard]] StoreResult<void> acknowledgeRefusal(std::int64_t id);

    /// Keeps a voucher central issued (code and QR payload required: Invalid otherwise). Saving a code
    /// already kept changes nothing.
    [[nodiscard]] StoreResult<void> saveVoucher(const IssuedVoucher& voucher);
    /// NotFound if the code was never saved.
    [[nodiscard]] StoreResult<void> markVoucherPrinted(const std::string& code);
    /// The vouchers kept: those not printed yet first (what staff must reprint is never pushed out by
    /// later vouchers), then the printed ones; newest first within each.
    [[nodiscard]] StoreResult<std::vector<IssuedVoucher>> vouchers(std::size_t limit = 20);

    [[nodiscard]] StoreResult<void> saveConfig(const CachedConfig& config);
    [[nodiscard]] StoreResult<std::optional<CachedConfig>> loadConfig();

    /// central time minus kiosk time, seconds, as last learned (0 if never).
    [[nodiscard]] StoreResult<void> saveClockOffset(std::int64_t seconds);
    [[nodiscard]] StoreResult<std::int64_t> loadClockOffset();

  private:
    explicit LocalStore(sqlite3* db);
    sqlite3* m_db;
    std::mutex m_mutex;
};

}  // namespace kiosk::sync
