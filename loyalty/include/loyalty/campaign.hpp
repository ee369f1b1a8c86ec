#pragma once
// A campaign: the chain's earn rules, loaded from TOML (assets/config/campaign.toml is the development
// campaign and documents every key). Computing points from it is earn.hpp's job.
//
// Immutable after construction; share freely between threads. Pure: parses TEXT, reads no file.

#include <array>
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/localized_text.hpp"
#include "loyalty/money.hpp"
#include "loyalty/points.hpp"
#include "loyalty/tier.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

/// A time-boxed promotion: extra points while it runs, judged at the receipt's local purchase time.
struct Promotion {
    enum class Kind {
        Weekend,    ///< every Saturday and Sunday, 00:00:00-23:59:59 Vietnam time
        DateRange,  ///< from `from` 00:00:00 to `to` 23:59:59 Vietnam time: BOTH ends inclusive
    };
    std::string id;
    Kind kind = Kind::Weekend;
    /// 200 = double points: the promotion adds (multiplierPercent - 100)% of the base. 101..10000.
    std::uint32_t multiplierPercent = 200;
    LocalDate from;       ///< DateRange only
    LocalDate to;         ///< DateRange only
    LocalizedText label;  ///< "khuyến mãi cuối tuần" / "weekend promotion"

    [[nodiscard]] bool appliesAt(UnixSeconds t) const;
    bool operator==(const Promotion&) const = default;
};

/// A configuration error; `message` names the offending key ("campaign.dong_per_point must be ...").
struct CampaignError {
    std::string message;
};

struct Campaign {
    std::string id;
    LocalizedText name;
    /// Receipts purchased from `validFrom` 00:00:00 to `validTo` 23:59:59 Vietnam time earn.
    LocalDate validFrom;
    LocalDate validTo;
    Dong dongPerPoint{10'000};  ///< 1 point per this many dong, rounded down; 1..kMaxDong
    Points pointsPerItem = 0;   ///< 0..1'000'000
    Dong minimumSpend{0};       ///< a receipt below this earns nothing (not even item points)
    /// Percent of the base a tier earns in total: 100 = no bonus, 150 = +50%. 100..10000 each.
    std::array<std::uint32_t, kTierCount> tierMultiplierPercent{100, 100, 100};
    std::vector<Promotion> promotions;
    std::optional<Points> receiptCap;     ///< most points one receipt earns (sign-up bonus excepted)
    Points signUpBonus = 0;               ///< granted once, with a new member's first receipt
    std::int64_t receiptWindowDays = 30;  ///< a receipt older than this at claim time is refused; 1..3660
    /// Points expire this many whole months after the END of the month they were earned in; 0 = never.
    /// (Earned any day of Nov 2026 with 12 → expire at 2027-12-01 00:00:00 Vietnam time.)
    unsigned pointsExpiryMonths = 12;

    /// Parses the format of assets/config/campaign.toml. Refuses missing keys, wrong types, negative
    /// or out-of-range values, validTo before validFrom, a promotion with an unknown kind, a date range
    /// ending before it starts, and duplicate promotion ids — each with a message naming the key.
    [[nodiscard]] static std::expected<Campaign, CampaignError> fromToml(std::string_view tomlText);

    /// Whether a receipt purchased at `t` falls in the campaign's validity.
    [[nodiscard]] bool isValidAt(UnixSeconds t) const;
    /// The receipt window as a duration (for VerifyPolicy::maxAge of receipt_token.hpp).
    [[nodiscard]] std::chrono::seconds receiptWindow() const { return std::chrono::days{receiptWindowDays}; }
    [[nodiscard]] std::uint32_t tierMultiplier(Tier tier) const {
        return tierMultiplierPercent[static_cast<std::size_t>(tier)];
    }

    bool operator==(const Campaign&) const = default;
};

}  // namespace loyalty
