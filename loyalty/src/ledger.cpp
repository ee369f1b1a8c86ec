#include "loyalty/ledger.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <numeric>

#include "loyalty/time.hpp"

namespace loyalty {
namespace {

constexpr std::array kKinds{EntryKind::Earn,       EntryKind::Redeem, EntryKind::GamePrize,
                            EntryKind::Adjustment, EntryKind::Expiry, EntryKind::Return};

bool isCredit(const LedgerEntry& entry) {
    return entry.points > 0;
}

/// Equal except for the pending flag.
bool sameContent(const LedgerEntry& a, const LedgerEntry& b) {
    return a.idempotencyKey == b.idempotencyKey && a.kind == b.kind && a.points == b.points && a.at == b.at &&
           a.reference == b.reference;
}

struct Lot {
    const LedgerEntry* credit;
    Points remaining;
};

void consumeOldestFirst(std::vector<Lot>& lots, Points amount) {
    for (Lot& lot : lots) {
        if (amount == 0) return;
        const Points taken = std::min(lot.remaining, amount);
        lot.remaining -= taken;
        amount -= taken;
    }
}

}  // namespace

std::string_view entryKindCode(EntryKind kind) {
    switch (kind) {
        case EntryKind::Earn:
            return "earn";
        case EntryKind::Redeem:
            return "redeem";
        case EntryKind::GamePrize:
            return "game_prize";
        case EntryKind::Adjustment:
            return "adjustment";
        case EntryKind::Expiry:
            return "expiry";
        case EntryKind::Return:
            return "return";
    }
    return "earn";
}

std::optional<EntryKind> entryKindFromCode(std::string_view code) {
    for (const EntryKind kind : kKinds) {
        if (entryKindCode(kind) == code) return kind;
    }
    return std::nullopt;
}

std::string_view ledgerErrorCode(LedgerError error) {
    switch (error) {
        case LedgerError::InvalidKey:
            return "ledger_invalid_key";
        case LedgerError::InvalidPoints:
            return "ledger_invalid_points";
        case LedgerError::PendingNotAllowed:
            return "ledger_pending_not_allowed";
        case LedgerError::Conflict:
            return "ledger_conflict";
        case LedgerError::InsufficientPoints:
            return "ledger_insufficient_points";
    }
    return "ledger_error";
}

std::string_view describe(LedgerError error) {
    switch (error) {
        case LedgerError::InvalidKey:
            return "the idempotency key is empty, too long or not printable ASCII";
        case LedgerError::InvalidPoints:
            return "the points are zero, out of range or of the wrong sign for the entry kind";
        case LedgerError::PendingNotAllowed:
            return "only earn entries may be pending";
        case LedgerError::Conflict:
            return "the idempotency key was already used for a different entry";
        case LedgerError::InsufficientPoints:
            return "the balance is too low for this debit";
    }
    return "ledger error";
}

std::expected<void, LedgerError> validateEntry(const LedgerEntry& entry) {
    const std::size_t maxKey =
        kMaxIdempotencyKeyChars + (entry.kind == EntryKind::Expiry ? kExpiryKeyPrefix.size() : 0);
    const bool printable = std::all_of(entry.idempotencyKey.begin(), entry.idempotencyKey.end(),
                                       [](char c) { return c >= 0x20 && c <= 0x7E; });
    if (entry.idempotencyKey.empty() || entry.idempotencyKey.size() > maxKey || !printable) {
        return std::unexpected(LedgerError::InvalidKey);
    }
    if (entry.points == 0 || entry.points > kMaxPoints || entry.points < -kMaxPoints) {
        return std::unexpected(LedgerError::InvalidPoints);
    }
    const bool positive = entry.points > 0;
    switch (entry.kind) {
        case EntryKind::Earn:
        case EntryKind::GamePrize:
            if (!positive) return std::unexpected(LedgerError::InvalidPoints);
            break;
        case EntryKind::Redeem:
        case EntryKind::Expiry:
        case EntryKind::Return:
            if (positive) return std::unexpected(LedgerError::InvalidPoints);
            break;
        case EntryKind::Adjustment:
            break;
    }
    if (entry.pending && entry.kind != EntryKind::Earn)
        return std::unexpected(LedgerError::PendingNotAllowed);
    return {};
}

Points balanceOf(std::span<const LedgerEntry> entries) {
    return std::accumulate(entries.begin(), entries.end(), Points{0},
                           [](Points sum, const LedgerEntry& e) { return e.pending ? sum : sum + e.points; });
}

Points pendingPointsOf(std::span<const LedgerEntry> entries) {
    return std::accumulate(entries.begin(), entries.end(), Points{0},
                           [](Points sum, const LedgerEntry& e) { return e.pending ? sum + e.points : sum; });
}

UnixSeconds pointsExpireAt(UnixSeconds at, unsigned expiryMonths) {
    return startOfLocalDay(firstOfMonthAfter(localDate(at), expiryMonths + 1));
}

std::vector<LedgerEntry> dueExpiries(std::span<const LedgerEntry> entries, unsigned expiryMonths,
                                     UnixSeconds now) {
    if (expiryMonths == 0) return {};
    std::vector<const LedgerEntry*> timeline;
    for (const LedgerEntry& entry : entries) {
        if (!entry.pending) timeline.push_back(&entry);
    }
    // By time, then ledger order (the pointers run in it): stable_sort's order without libstdc++ 12's
    // temporary buffer, which clang-tidy reports as deprecated.
    std::sort(timeline.begin(), timeline.end(), [](const LedgerEntry* a, const LedgerEntry* b) {
        return a->at != b->at ? a->at < b->at : std::less<>()(a, b);
    });

    std::vector<Lot> lots;
    for (const LedgerEntry* entry : timeline) {
        if (isCredit(*entry)) {
            lots.push_back(Lot{entry, entry->points});
            continue;
        }
        if (entry->kind == EntryKind::Expiry || entry->kind == EntryKind::Return) {
            // An expiry names its lot by key; a return names its receipt, as the receipt's Earn does.
            const auto lot = std::find_if(lots.begin(), lots.end(), [&](const Lot& l) {
                return entry->kind == EntryKind::Expiry
                           ? l.credit->idempotencyKey == entry->reference
                           : l.credit->kind == EntryKind::Earn && l.credit->reference == entry->reference;
            });
            if (lot != lots.end()) {
                const Points taken = std::min(lot->remaining, -entry->points);
                lot->remaining -= taken;
                consumeOldestFirst(lots, -entry->points - taken);
                continue;
            }
        }
        consumeOldestFirst(lots, -entry->points);
    }

    std::vector<LedgerEntry> due;
    for (const Lot& lot : lots) {
        const UnixSeconds expiresAt = pointsExpireAt(lot.credit->at, expiryMonths);
        if (lot.remaining > 0 && expiresAt <= now) {
            due.push_back(LedgerEntry{std::string(kExpiryKeyPrefix) + lot.credit->idempotencyKey,
                                      EntryKind::Expiry, -lot.remaining, expiresAt,
                                      lot.credit->idempotencyKey, false});
        }
    }
    return due;
}

std::expected<AppendResult, LedgerError> Ledger::append(const LedgerEntry& entry) {
    if (auto valid = validateEntry(entry); !valid) return std::unexpected(valid.error());
    if (const auto known = m_indexByKey.find(entry.idempotencyKey); known != m_indexByKey.end()) {
        LedgerEntry& existing = m_entries[known->second];
        if (!sameContent(existing, entry)) return std::unexpected(LedgerError::Conflict);
        if (existing.pending && !entry.pending) {
            existing.pending = false;
            m_balance += existing.points;
            return AppendResult::Applied;
        }
        return AppendResult::AlreadyApplied;
    }
    if (entry.points < 0 && m_balance + entry.points < 0)
        return std::unexpected(LedgerError::InsufficientPoints);
    m_indexByKey.emplace(entry.idempotencyKey, m_entries.size());
    m_entries.push_back(entry);
    if (!entry.pending) m_balance += entry.points;
    return AppendResult::Applied;
}

const LedgerEntry* Ledger::find(std::string_view idempotencyKey) const {
    const auto known = m_indexByKey.find(idempotencyKey);
    return known == m_indexByKey.end() ? nullptr : &m_entries[known->second];
}

}  // namespace loyalty
