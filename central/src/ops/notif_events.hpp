#pragma once
// Which notifications a change of the ledger causes (docs/notifications.md, "Events"). Each function
// writes into the outbox on `c`, in the caller's open transaction, so a message exists exactly when
// the change it announces was committed. Private to central_core.

#include <cstdint>
#include <span>
#include <string>

#include "central/database.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/ledger.hpp"
#include "loyalty/tier.hpp"
#include "ops/notif_params.hpp"
#include "store/notif_store.hpp"

namespace central {

/// What a stored claim announces: the points earned, and a tier change if there was one.
struct ClaimNotice {
    std::int64_t memberId = 0;
    std::string phone;  ///< E.164
    std::string receiptId;
    std::string store;
    loyalty::Points points = 0;
    loyalty::Points balance = 0;
    loyalty::Tier tierBefore = loyalty::Tier::Silver;
    loyalty::Tier tierAfter = loyalty::Tier::Silver;
    loyalty::UnixSeconds at = 0;
};

/// "earned" (and "tier_up" / "tier_down") for a claim; keyed by its receipt, so never twice.
[[nodiscard]] DbResult<void> enqueueClaimNotices(Connection& c, const ClaimNotice& notice);

/// "points_expiring" reminders of one member (`entries`: all of theirs, in order): one per FIFO batch
/// (earn lot) whose points expire in (now, now + days], keyed by the lot, so a daily job that runs
/// again adds nothing. `expiryMonths` as the campaign's (0 = points never expire: nothing). Returns
/// how many were added.
[[nodiscard]] DbResult<std::int64_t> enqueueExpiryReminders(Connection& c, const NotifStore::Recipient& to,
                                                            std::span<const loyalty::LedgerEntry> entries,
                                                            unsigned expiryMonths, loyalty::UnixSeconds now,
                                                            unsigned days);

/// "tier_at_risk": the member's tier falls in (now, now + days] unless they earn more (the drop of
/// loyalty::tierStatus). Keyed by member and the moment of that drop: one message per period at risk,
/// however often the daily job runs; earning enough to push the drop later starts a new period.
/// Returns 1 when it was added.
[[nodiscard]] DbResult<std::int64_t> enqueueTierRisk(Connection& c, const NotifStore::Recipient& to,
                                                     std::span<const loyalty::LedgerEntry> entries,
                                                     const loyalty::TierRules& rules,
                                                     loyalty::UnixSeconds now, unsigned days);

/// "voucher_expiring" reminders: every unconsumed voucher expiring in (now, now + days], once each.
[[nodiscard]] DbResult<std::int64_t> enqueueVoucherReminders(Connection& c, loyalty::UnixSeconds now,
                                                             unsigned days);

/// A marketing "promotion" to every member who consented to marketing now; keyed by promotion and
/// member. Consent, quiet hours and the weekly cap are checked again when it is sent.
[[nodiscard]] DbResult<std::int64_t> enqueuePromotion(Connection& c, const std::string& promotionId,
                                                      const NotifParams& params, loyalty::UnixSeconds now);

}  // namespace central
