#pragma once
// The notification outbox (docs/notifications.md): messages written in the transaction of the ledger
// change that caused them, claimed by the delivery worker, marked sent / retried / dead, and the
// provider's delivery receipts. Private to central_core; SQL only here. Every call runs on `c` as it
// is: in the caller's open transaction when there is one.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/ledger.hpp"

namespace central {

/// One outbox message. `key` is its idempotency key, chain-wide unique ("earned:<receipt id>", …):
/// the provider sees it on every attempt and drops a copy.
struct NotifMessage {
    std::int64_t id = 0;
    std::string key;
    std::int64_t memberId = 0;
    std::string phone;       ///< E.164
    std::string event;       ///< "earned", "tier_up", "points_expiring", "promotion", …
    bool marketing = false;  ///< false: transactional
    std::string params;      ///< the template's named parameters, form-encoded (ops/notif_params.hpp)
    loyalty::UnixSeconds createdAt = 0;
    std::string state;  ///< pending | sent | dead | suppressed
    std::int64_t attempts = 0;
    loyalty::UnixSeconds nextAttemptAt = 0;
    std::string lastError;
    std::string receiptStatus;  ///< the provider's last receipt ("delivered", …), "" = none yet
};

/// What one delivery attempt came to, written back by NotifStore::settle.
struct NotifOutcome {
    std::int64_t id = 0;
    std::string state;  ///< pending (retry at nextAttemptAt) | sent | dead | suppressed
    loyalty::UnixSeconds nextAttemptAt = 0;
    std::string error;
    bool attempted = true;  ///< false: not sent (quiet hours, weekly cap): attempts stays
};

class NotifStore {
  public:
    explicit NotifStore(Connection& c) : m_c(c) {}

    /// Adds a pending message due at `at`; a key already used adds nothing (false).
    [[nodiscard]] DbResult<bool> enqueue(const NotifMessage& message, loyalty::UnixSeconds at);
    /// Up to `limit` pending messages due at `now`, oldest first, leased until `leaseUntil` (another
    /// worker — this process's or another central's — skips them until then).
    [[nodiscard]] DbResult<std::vector<NotifMessage>> claimDue(loyalty::UnixSeconds now,
                                                               loyalty::UnixSeconds leaseUntil,
                                                               std::size_t limit);
    /// Writes back what a batch's attempts came to, one UPDATE per distinct outcome (a batch the
    /// provider took whole is one statement; batches are at most 5,000, the ids are bound parameters).
    [[nodiscard]] DbResult<void> settle(std::span<const NotifOutcome> outcomes, loyalty::UnixSeconds now);
    /// Messages in `state` ("" = any), newest first.
    [[nodiscard]] DbResult<std::vector<NotifMessage>> list(const std::string& state, std::size_t limit);
    /// A dead message back to pending, due at `now`, attempts reset; false when it is not dead.
    [[nodiscard]] DbResult<bool> replay(std::int64_t id, loyalty::UnixSeconds now);
    /// Stores a provider receipt once per (message key, status); false when it was a copy or the
    /// message is unknown.
    [[nodiscard]] DbResult<bool> recordReceipt(const std::string& key, const std::string& status,
                                               loyalty::UnixSeconds at);
    /// Marketing messages sent to the member since `since` (the weekly cap).
    [[nodiscard]] DbResult<std::int64_t> marketingSentSince(std::int64_t memberId,
                                                            loyalty::UnixSeconds since);
    /// The member's marketing consent now (false for an unknown member).
    [[nodiscard]] DbResult<bool> marketingConsent(std::int64_t memberId);
    /// Every ledger entry of the member, in order (what loyalty::dueExpiries reads).
    [[nodiscard]] DbResult<std::vector<loyalty::LedgerEntry>> entriesOf(std::int64_t memberId);
    struct Recipient {
        std::int64_t memberId = 0;
        std::string phone;
    };
    /// The daily job's candidates, after `afterId`, `limit` at most: members holding points (expiry
    /// reminders) or who earned since `earnedSince` (their tier may be at risk).
    [[nodiscard]] DbResult<std::vector<Recipient>> membersToRemind(std::int64_t afterId,
                                                                   loyalty::UnixSeconds earnedSince,
                                                                   std::size_t limit);
    /// Members who consent to marketing now.
    [[nodiscard]] DbResult<std::vector<Recipient>> marketingMembers();
    struct ExpiringVoucher {
        Recipient member;
        std::string code;
        std::string rewardId;
        std::int64_t valueDong = 0;
        loyalty::UnixSeconds expiresAt = 0;
    };
    /// Unconsumed vouchers expiring in (from, to].
    [[nodiscard]] DbResult<std::vector<ExpiringVoucher>> vouchersExpiring(loyalty::UnixSeconds from,
                                                                          loyalty::UnixSeconds to);
    /// A member's marketing consent and who last changed it.
    struct Consent {
        bool marketing = false;
        loyalty::UnixSeconds at = 0;
        std::string source;  ///< "kiosk:<id>" (at join or withdrawn there), "console:<user>", "reply", "link"
    };
    /// Withdraws the marketing consent of `phone` (E.164) at `at`, recording `source`; a consent already
    /// withdrawn keeps its first time and source. The consent after it; nullopt: no such member.
    [[nodiscard]] DbResult<std::optional<Consent>> withdrawMarketing(const std::string& phone,
                                                                     loyalty::UnixSeconds at,
                                                                     const std::string& source);
    /// The consent of `phone` (E.164); nullopt: no such member.
    [[nodiscard]] DbResult<std::optional<Consent>> consentOf(const std::string& phone);

  private:
    Connection& m_c;
};

}  // namespace central
