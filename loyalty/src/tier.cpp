#include "loyalty/tier.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "loyalty/ledger.hpp"
#include "loyalty/time.hpp"
#include "loyalty/toml_fields.hpp"

namespace loyalty {
namespace {

constexpr std::int64_t kMaxWindowDays = 3'660;
constexpr std::array kTiers{Tier::Silver, Tier::Gold, Tier::Diamond};

bool qualifies(const LedgerEntry& entry, UnixSeconds windowStart) {
    return (entry.kind == EntryKind::Earn || entry.kind == EntryKind::GamePrize) && entry.points > 0 &&
           entry.at > windowStart;
}

/// The qualifying entries in the window, each Earn lowered by the Returns of its receipt.
std::vector<LedgerEntry> countedEntries(std::span<const LedgerEntry> entries, UnixSeconds windowStart) {
    std::map<std::string_view, Points> returned;
    for (const LedgerEntry& entry : entries)
        if (entry.kind == EntryKind::Return) returned[entry.reference] -= entry.points;
    std::vector<LedgerEntry> counted;
    for (const LedgerEntry& entry : entries) {
        if (!qualifies(entry, windowStart)) continue;
        LedgerEntry kept = entry;
        if (const auto r = returned.find(entry.reference);
            entry.kind == EntryKind::Earn && r != returned.end()) {
            const Points taken = std::min(r->second, kept.points);
            kept.points -= taken;
            r->second -= taken;
        }
        if (kept.points > 0) counted.push_back(std::move(kept));
    }
    // The walk below takes entries of one timestamp together, so their order among themselves is free.
    std::sort(counted.begin(), counted.end(),
              [](const LedgerEntry& a, const LedgerEntry& b) { return a.at < b.at; });
    return counted;
}

UnixSeconds windowSeconds(const TierRules& rules) {
    return rules.windowDays() * kSecondsPerDay;
}

}  // namespace

std::string_view tierCode(Tier tier) {
    switch (tier) {
        case Tier::Silver:
            return "silver";
        case Tier::Gold:
            return "gold";
        case Tier::Diamond:
            return "diamond";
    }
    return "silver";
}

std::optional<Tier> tierFromCode(std::string_view code) {
    for (const Tier tier : kTiers) {
        if (tierCode(tier) == code) return tier;
    }
    return std::nullopt;
}

std::string_view tierName(Tier tier, Language language) {
    const bool vi = language == Language::Vietnamese;
    switch (tier) {
        case Tier::Silver:
            return vi ? "Bạc" : "Silver";
        case Tier::Gold:
            return vi ? "Vàng" : "Gold";
        case Tier::Diamond:
            return vi ? "Kim Cương" : "Diamond";
    }
    return {};
}

std::expected<TierRules, TierRulesError> TierRules::fromToml(std::string_view tomlText) {
    auto root = parseTomlText(tomlText);
    if (!root) return std::unexpected(TierRulesError{root.error()});
    TomlFields top(*root, "");
    top.allowOnly({"tiers"});
    const toml::table* table = top.table("tiers");
    if (table == nullptr) return std::unexpected(TierRulesError{*top.error()});

    TomlFields fields(*table, "tiers");
    fields.allowOnly({"window_days", "silver", "gold", "diamond"});
    TierRules rules;
    rules.m_windowDays = fields.integer("window_days", 1, kMaxWindowDays);
    for (const Tier tier : kTiers) {
        const toml::table* tierTable = fields.table(tierCode(tier));
        if (tierTable == nullptr) break;
        TomlFields tierFields(*tierTable, fields.name(tierCode(tier)));
        TierRule& rule = rules.m_rules[static_cast<std::size_t>(tier)];
        if (tier == Tier::Silver) {
            tierFields.allowOnly({"benefits_vi", "benefits_en", "colour"});
        } else {
            tierFields.allowOnly({"threshold", "benefits_vi", "benefits_en", "colour"});
            rule.threshold = tierFields.integer("threshold", 1, kMaxPoints);
            const Points below = rules.m_rules[static_cast<std::size_t>(tier) - 1].threshold;
            if (!tierFields.error() && rule.threshold <= below) {
                tierFields.fail("threshold", "must be above the threshold of the tier below (" +
                                                 std::to_string(below) + ")");
            }
        }
        rule.benefits = tierFields.localized("benefits");
        if (const auto colour = tierFields.optionalInteger("colour", 0, 0xFFFFFF)) {
            rule.colour = static_cast<std::uint32_t>(*colour);
        }
        if (tierFields.error()) return std::unexpected(TierRulesError{*tierFields.error()});
    }
    if (fields.error()) return std::unexpected(TierRulesError{*fields.error()});
    return rules;
}

Tier TierRules::tierFor(Points points) const {
    Tier result = Tier::Silver;
    for (const Tier tier : kTiers) {
        if (points >= rule(tier).threshold) result = tier;
    }
    return result;
}

Points qualifyingPoints(std::span<const LedgerEntry> entries, const TierRules& rules, UnixSeconds now) {
    Points sum = 0;
    for (const LedgerEntry& entry : countedEntries(entries, now - windowSeconds(rules))) sum += entry.points;
    return sum;
}

TierStatus tierStatus(std::span<const LedgerEntry> entries, const TierRules& rules, UnixSeconds now) {
    const UnixSeconds window = windowSeconds(rules);
    const std::vector<LedgerEntry> counted = countedEntries(entries, now - window);

    TierStatus status;
    for (const LedgerEntry& entry : counted) status.qualifyingPoints += entry.points;
    status.tier = rules.tierFor(status.qualifyingPoints);
    const Points floor = rules.rule(status.tier).threshold;
    if (status.tier == Tier::Diamond) {
        status.progressPermille = 1000;
    } else {
        const Tier next = static_cast<Tier>(static_cast<std::uint8_t>(status.tier) + 1);
        const Points ceiling = rules.rule(next).threshold;
        status.nextTier = next;
        status.pointsToNext = ceiling - status.qualifyingPoints;
        status.progressPermille =
            static_cast<std::uint32_t>((status.qualifyingPoints - floor) * 1000 / (ceiling - floor));
    }

    // Walk the counted entries oldest first, as they leave the window one timestamp at a time.
    Points remaining = status.qualifyingPoints;
    for (std::size_t i = 0; i < counted.size();) {
        const UnixSeconds at = counted[i].at;
        Points leaving = 0;
        for (; i < counted.size() && counted[i].at == at; ++i) leaving += counted[i].points;
        remaining -= leaving;
        if (!status.oldestPointsLeaveAt) {
            status.oldestPointsLeaveAt = at + window;
            status.oldestPointsLeaving = leaving;
        }
        const Tier after = rules.tierFor(remaining);
        if (after < status.tier) {
            status.drop = TierDrop{at + window, after, floor - remaining};
            break;
        }
    }
    return status;
}

}  // namespace loyalty
