#pragma once
// The outbox: receipts the kiosk accepted, queued until central settles them (accepted or refused).
// Durability design and what "confirmed" means: docs/sync.md.
//
// Contract: as LocalStore (any thread, blocks on disk I/O, a write returns after SQLite's fsync, one
// transaction per call, errors are values).

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/sync/database.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk::sync {

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

class Outbox {
  public:
    /// `database` must outlive this part.
    explicit Outbox(Database& database) : m_database(database) {}

    /// Durably queues an accepted receipt; returns its idempotency key. Duplicate if the receipt is
    /// already queued (pending, confirmed or refused).
    [[nodiscard]] StoreResult<std::string> enqueue(const NewClaim& claim);

    /// Up to `max` pending entries, oldest first.
    [[nodiscard]] StoreResult<std::vector<OutboxEntry>> pendingBatch(std::size_t max);

    /// Applies definitive answers in one transaction; entries already settled are left as they are. A
    /// refusal goes to the refusal audit in the same transaction.
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

  private:
    Database& m_database;
};

}  // namespace kiosk::sync
