#include "ops/notif_events.hpp"

#include "loyalty/ledger.hpp"
#include "loyalty/time.hpp"
#include "ops/notif_params.hpp"
#include "store/notif_store.hpp"

namespace central {
namespace {

DbResult<bool> add(Connection& c, std::string key, const NotifStore::Recipient& to, const char* event,
                   bool marketing, const NotifParams& params, loyalty::UnixSeconds now) {
    NotifMessage m;
    m.key = std::move(key);
    m.memberId = to.memberId;
    m.phone = to.phone;
    m.event = event;
    m.marketing = marketing;
    m.params = encodeParams(params);
    m.createdAt = now;
    return NotifStore(c).enqueue(m, now);
}

}  // namespace

DbResult<void> enqueueClaimNotices(Connection& c, const ClaimNotice& n) {
    const NotifStore::Recipient to{n.memberId, n.phone};
    auto earned = add(
        c, "earned:" + n.receiptId, to, "earned", false,
        {{"points", std::to_string(n.points)}, {"balance", std::to_string(n.balance)}, {"store", n.store}},
        n.at);
    if (!earned) return std::unexpected(earned.error());
    if (n.tierAfter == n.tierBefore) return {};
    const bool up = n.tierAfter > n.tierBefore;
    auto tier = add(c, "tier:" + n.receiptId, to, up ? "tier_up" : "tier_down", false,
                    {{"tier", std::string(loyalty::tierCode(n.tierAfter))},
                     {"tier_vi", std::string(loyalty::tierName(n.tierAfter, loyalty::Language::Vietnamese))},
                     {"tier_en", std::string(loyalty::tierName(n.tierAfter, loyalty::Language::English))}},
                    n.at);
    if (!tier) return std::unexpected(tier.error());
    return {};
}

DbResult<std::int64_t> enqueueExpiryReminders(Connection& c, const NotifStore::Recipient& to,
                                              std::span<const loyalty::LedgerEntry> entries,
                                              unsigned expiryMonths, loyalty::UnixSeconds now,
                                              unsigned days) {
    if (expiryMonths == 0) return 0;
    // The expiries due by the horizon that are not due yet: the batches expiring in the window, each
    // with what is left of it after FIFO spending.
    const auto horizon = now + static_cast<loyalty::UnixSeconds>(days) * loyalty::kSecondsPerDay;
    std::int64_t added = 0;
    for (const auto& expiry : loyalty::dueExpiries(entries, expiryMonths, horizon)) {
        if (expiry.at <= now) continue;
        auto one = add(c, "remind:" + expiry.idempotencyKey, to, "points_expiring", false,
                       {{"points", std::to_string(-expiry.points)},
                        {"expires_on", loyalty::formatLocalDate(loyalty::localDate(expiry.at))}},
                       now);
        if (!one) return std::unexpected(one.error());
        added += *one ? 1 : 0;
    }
    return added;
}

DbResult<std::int64_t> enqueueTierRisk(Connection& c, const NotifStore::Recipient& to,
                                       std::span<const loyalty::LedgerEntry> entries,
                                       const loyalty::TierRules& rules, loyalty::UnixSeconds now,
                                       unsigned days) {
    const auto status = loyalty::tierStatus(entries, rules, now);
    const auto horizon = now + static_cast<loyalty::UnixSeconds>(days) * loyalty::kSecondsPerDay;
    if (!status.drop || status.drop->at > horizon) return 0;
    const auto& drop = *status.drop;
    using loyalty::Language;
    auto one = add(c, "tier_risk:" + std::to_string(to.memberId) + ":" + std::to_string(drop.at), to,
                   "tier_at_risk", false,
                   {{"tier", std::string(loyalty::tierCode(status.tier))},
                    {"tier_vi", std::string(loyalty::tierName(status.tier, Language::Vietnamese))},
                    {"tier_en", std::string(loyalty::tierName(status.tier, Language::English))},
                    {"falls_to_vi", std::string(loyalty::tierName(drop.fallsTo, Language::Vietnamese))},
                    {"falls_to_en", std::string(loyalty::tierName(drop.fallsTo, Language::English))},
                    {"earn_to_keep", std::to_string(drop.earnToKeep)},
                    // The last day on which earning still helps (loyalty/tier.hpp).
                    {"keep_until", loyalty::formatLocalDate(loyalty::localDate(drop.at - 1))}},
                   now);
    if (!one) return std::unexpected(one.error());
    return *one ? 1 : 0;
}

DbResult<std::int64_t> enqueueVoucherReminders(Connection& c, loyalty::UnixSeconds now, unsigned days) {
    const auto horizon = now + static_cast<loyalty::UnixSeconds>(days) * loyalty::kSecondsPerDay;
    auto vouchers = NotifStore(c).vouchersExpiring(now, horizon);
    if (!vouchers) return std::unexpected(vouchers.error());
    std::int64_t added = 0;
    for (const auto& v : *vouchers) {
        // The code is a bearer secret: the message names the reward and its last four characters only.
        auto one = add(c, "voucher:" + v.code, v.member, "voucher_expiring", false,
                       {{"reward_id", v.rewardId},
                        {"value_dong", std::to_string(v.valueDong)},
                        {"expires_on", loyalty::formatLocalDate(loyalty::localDate(v.expiresAt))},
                        {"code_end", v.code.size() > 4 ? v.code.substr(v.code.size() - 4) : v.code}},
                       now);
        if (!one) return std::unexpected(one.error());
        added += *one ? 1 : 0;
    }
    return added;
}

DbResult<std::int64_t> enqueuePromotion(Connection& c, const std::string& promotionId,
                                        const NotifParams& params, loyalty::UnixSeconds now) {
    auto members = NotifStore(c).marketingMembers();
    if (!members) return std::unexpected(members.error());
    std::int64_t added = 0;
    for (const auto& to : *members) {
        auto one = add(c, "promo:" + promotionId + ":" + std::to_string(to.memberId), to, "promotion", true,
                       params, now);
        if (!one) return std::unexpected(one.error());
        added += *one ? 1 : 0;
    }
    return added;
}

}  // namespace central
