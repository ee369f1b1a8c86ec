#pragma once
// The ledger table: one member's entries read back as loyalty::LedgerEntry (or as recent history),
// the expiry entries loyalty's rule (loyalty::dueExpiries) says are due, and appends. Private to
// central_core; SQL only here.

#include <cstdint>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/ledger.hpp"

namespace central {

/// One member's ledger entries (kinds that count for tiers, and returns) newer than `since`: kind,
/// points, at and reference only — what loyalty::tierStatus reads (a claim loads them for every
/// receipt, so no more is fetched).
[[nodiscard]] DbResult<std::vector<loyalty::LedgerEntry>> loadQualifyingEntries(Connection& c,
                                                                                std::int64_t memberId,
                                                                                loyalty::UnixSeconds since);

/// One line of a member's recent history, newest first.
struct RecentEntry {
    loyalty::UnixSeconds at = 0;
    std::string kind;  ///< the ledger's kind code ("earn", "redeem", ...)
    loyalty::Points points = 0;
    std::string reference;  ///< a receipt id, a voucher code (a bearer secret), a game draw...
};
/// The member's `limit` latest entries, newest first.
[[nodiscard]] DbResult<std::vector<RecentEntry>> recentEntries(Connection& c, std::int64_t memberId,
                                                               std::int64_t limit);

/// Points expiry (loyalty::dueExpiries over the member's whole ledger): the expiry entries due at
/// `now`. `apply` = false only computes them (for a read); true appends them (idempotent: keyed
/// "expiry:<lot key>") and lowers the balance — call it inside a transaction holding the member row.
/// Returns the points that expired (as a positive number).
[[nodiscard]] DbResult<loyalty::Points> expireDuePoints(Connection& c, std::int64_t memberId,
                                                        unsigned expiryMonths, loyalty::UnixSeconds now,
                                                        bool apply);

/// Appends one entry of the member made at `store` / `kiosk`, after loyalty's rule for an entry
/// (loyalty::validateEntry: key, sign of the points, never pending): an entry the domain refuses is
/// an internal error, never a row. A key already used is refused by the table's unique key. `reason`:
/// why a person made it (a return, an adjustment), "" for the kiosks' own entries.
[[nodiscard]] DbResult<void> appendEntry(Connection& c, std::int64_t memberId,
                                         const loyalty::LedgerEntry& entry, const std::string& store,
                                         const std::string& kiosk, const std::string& reason = "");

}  // namespace central
