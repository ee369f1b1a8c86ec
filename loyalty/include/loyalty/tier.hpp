#pragma once
// Membership tiers — Bạc / Vàng / Kim Cương (Silver / Gold / Diamond) — by points EARNED in a trailing
// window (365 days by default), and everything a screen needs to say about them: progress to the next
// tier and what happens at the window's edge ("earn 120 more by 31/12/2026 to keep Gold").
//
// Which entries count (qualifying points): Earn and GamePrize entries, pending or confirmed (a kiosk
// shows the tier its offline claims will give; central never stores pending entries). Redemptions and
// expiry do NOT lower the tier (spending points never costs status), and Adjustments do not count at
// all (a staff correction moves the balance, not the status). A Return (goods brought back) takes its
// points off the Earn of the same receipt (same reference) among the entries given, never below 0: a
// returned purchase keeps status only for what was kept; a Return whose Earn is not among them (already
// out of the window) changes nothing.
//
// The window's edge: an entry made at time T counts while  now - T < windowDays * 86400 , i.e. for
// exactly windowDays days. An entry exactly 365 days old is OUT. Entries dated after `now` (a kiosk
// clock running ahead) count. Pure functions and values; no I/O; any thread.

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/localized_text.hpp"
#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"

namespace loyalty {

struct LedgerEntry;

enum class Tier : std::uint8_t { Silver = 0, Gold = 1, Diamond = 2 };
inline constexpr std::size_t kTierCount = 3;

/// "silver" / "gold" / "diamond": stable codes for config, the API and i18n keys.
[[nodiscard]] std::string_view tierCode(Tier tier);
[[nodiscard]] std::optional<Tier> tierFromCode(std::string_view code);
/// "Bạc" / "Vàng" / "Kim Cương" or "Silver" / "Gold" / "Diamond".
[[nodiscard]] std::string_view tierName(Tier tier, Language language);

struct TierRule {
    Points threshold = 0;  ///< qualifying points needed; Silver's is always 0
    LocalizedText benefits;
    std::optional<std::uint32_t> colour;  ///< 0xRRGGBB of the tier's card on a kiosk; none: the kiosk's
    bool operator==(const TierRule&) const = default;
};

/// A configuration error; `message` names the offending key.
struct TierRulesError {
    std::string message;
};

/// Thresholds, window and benefits. Immutable after construction; share freely between threads.
class TierRules {
  public:
    /// Parses the format of assets/config/tiers.toml:
    ///     [tiers]
    ///     window_days = 365
    ///     [tiers.silver]  benefits_vi = "…"  benefits_en = "…"           (threshold is 0)
    ///     [tiers.gold]    threshold = 1000   benefits_vi = "…"  benefits_en = "…"
    ///     [tiers.diamond] threshold = 5000   …
    /// and, optional in every tier, colour = 0xC99714 (0xRRGGBB).
    /// Refuses a missing or mistyped key, window_days outside 1..3660, a threshold outside
    /// 1..kMaxPoints, and thresholds that do not strictly increase Silver < Gold < Diamond.
    [[nodiscard]] static std::expected<TierRules, TierRulesError> fromToml(std::string_view tomlText);

    [[nodiscard]] const TierRule& rule(Tier tier) const { return m_rules[static_cast<std::size_t>(tier)]; }
    [[nodiscard]] std::int64_t windowDays() const { return m_windowDays; }
    /// The highest tier whose threshold `qualifyingPoints` reaches.
    [[nodiscard]] Tier tierFor(Points qualifyingPoints) const;

    bool operator==(const TierRules&) const = default;

  private:
    TierRules() = default;
    std::array<TierRule, kTierCount> m_rules{};
    std::int64_t m_windowDays = 365;
};

/// What the member would lose at the window's edge if they earned nothing more.
struct TierDrop {
    UnixSeconds at = 0;  ///< the first moment the member's tier would fall
    Tier fallsTo = Tier::Silver;
    /// Points to earn before `at` to still hold the current tier at `at` (the UI says "earn X more
    /// by DATE to keep Gold"; DATE is localDate(at - 1), the last day on which earning helps).
    Points earnToKeep = 0;
    bool operator==(const TierDrop&) const = default;
};

struct TierStatus {
    Tier tier = Tier::Silver;
    Points qualifyingPoints = 0;
    std::optional<Tier> nextTier;  ///< none at Diamond
    Points pointsToNext = 0;       ///< 0 at Diamond
    /// Progress from the current tier's threshold to the next one's, 0-1000 (1000 at Diamond).
    std::uint32_t progressPermille = 0;
    /// When the oldest qualifying points now counted leave the window, and how many leave then
    /// (several entries at the same second leave together). None without qualifying points.
    std::optional<UnixSeconds> oldestPointsLeaveAt;
    Points oldestPointsLeaving = 0;
    /// None at Silver (it cannot fall); above Silver there is always one, at the latest when the last
    /// counted points leave the window.
    std::optional<TierDrop> drop;
    bool operator==(const TierStatus&) const = default;
};

/// Qualifying points of `entries` at `now` (see the top of this file for which count).
[[nodiscard]] Points qualifyingPoints(std::span<const LedgerEntry> entries, const TierRules& rules,
                                      UnixSeconds now);

/// The tier status at `now` derived from one member's entries (any order).
[[nodiscard]] TierStatus tierStatus(std::span<const LedgerEntry> entries, const TierRules& rules,
                                    UnixSeconds now);

}  // namespace loyalty
