#pragma once
// One member's points ledger: append-only entries; balance, pending points, tier and expiry are
// derived from them. The central service keeps entries in SQL and calls the free functions below over
// the entries it loads; the kiosk keeps a Ledger value for the member on screen.
//
// Idempotency: every entry carries a key chosen by whoever caused it ("claim:HCM001/R123",
// "redeem:<request id>", "expiry:<key of the expiring entry>"). Appending a key again with the same
// content is harmless ("already applied"); with different content it is a conflict, never a second
// entry.
//
// Points expiry: each credit (Earn, GamePrize, positive Adjustment) is a lot that expires
// Campaign::pointsExpiryMonths whole months after the end of the local month it was made in. Debits
// (Redeem, negative Adjustment) consume the oldest lots first (FIFO, by entry time then ledger order),
// so a shopper always spends the points closest to expiring; a lot past its expiry time whose Expiry
// entry is not written yet can still be spent (the shopper's gain, never a negative balance). An Expiry
// entry removes what is left of one lot and names it by reference. Pending entries take no part in expiry
// (only confirmed points expire; central never holds pending entries).
//
// Returns: a Return entry reverses (part of) a receipt's points when goods are brought back. Its
// reference is the receipt id, like the Earn it reverses, and it takes from that receipt's own lot first
// (then the oldest lots). For tiers it nets against that Earn (loyalty/tier.hpp).
//
// Values and pure functions; no I/O; a Ledger is not synchronised (one thread at a time).

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/tier.hpp"

namespace loyalty {

enum class EntryKind { Earn, Redeem, GamePrize, Adjustment, Expiry, Return };

/// "earn" / "redeem" / "game_prize" / "adjustment" / "expiry" / "return": stable codes for SQL and the API.
[[nodiscard]] std::string_view entryKindCode(EntryKind kind);
[[nodiscard]] std::optional<EntryKind> entryKindFromCode(std::string_view code);

inline constexpr std::size_t kMaxIdempotencyKeyChars = 128;
/// An Expiry entry's key is "expiry:" + the expiring entry's key, so it may be this much longer.
inline constexpr std::string_view kExpiryKeyPrefix = "expiry:";

struct LedgerEntry {
    /// 1-kMaxIdempotencyKeyChars printable ASCII characters (Expiry: + kExpiryKeyPrefix.size()).
    std::string idempotencyKey;
    EntryKind kind = EntryKind::Earn;
    /// Signed: > 0 for Earn and GamePrize, < 0 for Redeem, Expiry and Return, != 0 for Adjustment.
    Points points = 0;
    UnixSeconds at = 0;  ///< when it happened (for Earn: when the receipt was claimed)
    std::string
        reference;  ///< receipt id "STORE/NUMBER" (Earn, Return), voucher code, or the expired entry's key
    bool pending = false;  ///< a kiosk's provisional entry, not yet confirmed by central
    bool operator==(const LedgerEntry&) const = default;
};

/// Why an entry was refused. Stable codes for the API ("ledger_…"):
///   InvalidKey        empty, too long or non-printable idempotency key
///   InvalidPoints     zero, beyond ±kMaxPoints, or the wrong sign for the kind
///   PendingNotAllowed only Earn entries may be pending (spending needs central)
///   Conflict          the key is already used by an entry with different content
///   InsufficientPoints a debit would take the confirmed balance below zero
enum class LedgerError { InvalidKey, InvalidPoints, PendingNotAllowed, Conflict, InsufficientPoints };
[[nodiscard]] std::string_view ledgerErrorCode(LedgerError error);
[[nodiscard]] std::string_view describe(LedgerError error);

/// Checks one entry on its own (key, sign, pending) — what append checks before the ledger state.
[[nodiscard]] std::expected<void, LedgerError> validateEntry(const LedgerEntry& entry);

enum class AppendResult {
    Applied,         ///< a new entry was added (or a pending entry was confirmed, see Ledger::append)
    AlreadyApplied,  ///< an identical entry with this key exists; nothing changed
};

/// Sum of confirmed points: what the member can spend.
[[nodiscard]] Points balanceOf(std::span<const LedgerEntry> entries);
/// Sum of pending points (shown as "pending" until central confirms them).
[[nodiscard]] Points pendingPointsOf(std::span<const LedgerEntry> entries);

/// The Expiry entries due at `now` (lots whose expiry time is <= now and that still hold points), in
/// lot order, each dated at its lot's expiry time, keyed "expiry:<lot key>", referencing the lot.
/// Idempotent: once they are appended, the same call returns nothing; appending the same result twice
/// is AlreadyApplied. `expiryMonths` 0 = points never expire (returns nothing).
[[nodiscard]] std::vector<LedgerEntry> dueExpiries(std::span<const LedgerEntry> entries,
                                                   unsigned expiryMonths, UnixSeconds now);

/// When a credit made at `at` expires: the first second of the local month expiryMonths + 1 months
/// after at's month. expiryMonths >= 1.
[[nodiscard]] UnixSeconds pointsExpireAt(UnixSeconds at, unsigned expiryMonths);

/// One member's ledger, in append order.
class Ledger {
  public:
    Ledger() = default;

    /// Adds `entry` unless its key is known. A known key with identical content is AlreadyApplied.
    /// A known key of a PENDING entry whose content differs from `entry` only by pending = false is
    /// central's confirmation: the entry becomes confirmed (Applied); the other way round (a pending
    /// replay of a confirmed entry) is AlreadyApplied. Any other difference: Conflict.
    /// Debits are refused (InsufficientPoints) if they would take the confirmed balance below zero.
    /// On error nothing changes.
    [[nodiscard]] std::expected<AppendResult, LedgerError> append(const LedgerEntry& entry);

    [[nodiscard]] std::span<const LedgerEntry> entries() const { return m_entries; }
    [[nodiscard]] const LedgerEntry* find(std::string_view idempotencyKey) const;
    [[nodiscard]] Points balance() const { return m_balance; }
    [[nodiscard]] Points pendingPoints() const { return pendingPointsOf(m_entries); }
    [[nodiscard]] TierStatus tierStatus(const TierRules& rules, UnixSeconds now) const {
        return loyalty::tierStatus(m_entries, rules, now);
    }
    [[nodiscard]] std::vector<LedgerEntry> dueExpiries(unsigned expiryMonths, UnixSeconds now) const {
        return loyalty::dueExpiries(m_entries, expiryMonths, now);
    }

  private:
    std::vector<LedgerEntry> m_entries;
    std::map<std::string, std::size_t, std::less<>> m_indexByKey;
    Points m_balance = 0;
};

}  // namespace loyalty
