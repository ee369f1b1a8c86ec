#pragma once
// How many points a receipt earns, with a breakdown a shopper can read:
//     "120 điểm = 100 cơ bản + 20 khuyến mãi cuối tuần"
//
// The rules, in order (all integer arithmetic, every line rounded down on its own):
//   1. Below the campaign's minimum spend a receipt earns nothing from rules 2-5.
//   2. base  = floor(amount / dongPerPoint)                                     line Base
//      items = receipt.items * pointsPerItem                                    line Items
//      Multipliers apply to base + items (the "earned base").
//   3. tier bonus  = floor(earnedBase * (tierMultiplierPercent - 100) / 100)     line TierBonus
//   4. promotion bonus = floor(earnedBase * (multiplierPercent - 100) / 100) of the ONE best promotion
//      running at the receipt's local purchase time (highest multiplier; ties: first in the config).
//      Bonuses are computed from the earned base and ADDED, never multiplied together: Gold (150%) on a
//      double-points weekend earns 100 + 50 + 100 = 250, not 300.                line Promotion
//   5. The per-receipt cap applies to the sum of 2-4; what it removes is a negative line Cap.
//   6. The sign-up bonus (new member, first receipt) is added after the cap and is never capped; it
//      is granted even below the minimum spend (it rewards joining, not the purchase). line SignUpBonus
// Lines with 0 points are left out. No overflow for any receipt that validateReceiptFields accepts
// (amount 0..kMaxDong, items 0..kMaxReceiptItems) and any Campaign that fromToml accepts.
//
// Whether the receipt may earn at all (campaign validity, receipt window) is checkReceiptEligible's
// job; computeEarning trusts its caller to have asked. Pure functions, no I/O, any thread.

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/campaign.hpp"
#include "loyalty/localized_text.hpp"
#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/tier.hpp"

namespace loyalty {

struct MemberContext {
    Tier tier = Tier::Silver;  ///< the member's tier when the receipt is claimed
    bool isNewMember = false;  ///< true for the claim that creates the member (gets the sign-up bonus)
};

enum class EarnLineKind { Base, Items, TierBonus, Promotion, Cap, SignUpBonus };

struct EarnLine {
    EarnLineKind kind = EarnLineKind::Base;
    Points points = 0;    ///< negative only for Cap
    LocalizedText label;  ///< "cơ bản" / "base", or the promotion's label
    bool operator==(const EarnLine&) const = default;
};

struct Earning {
    Points total = 0;
    std::vector<EarnLine> lines;
    bool belowMinimumSpend = false;

    /// "120 điểm = 100 cơ bản + 20 khuyến mãi cuối tuần" / "120 points = 100 base + 20 weekend
    /// promotion"; a Cap line reads "− 30 giới hạn mỗi hoá đơn"; just "0 điểm" with no lines.
    /// Numbers are grouped the way each language reads them ("1.200 điểm", "1,200 points").
    [[nodiscard]] std::string explain(Language language) const;
    bool operator==(const Earning&) const = default;
};

[[nodiscard]] Earning computeEarning(const Receipt& receipt, const MemberContext& member,
                                     const Campaign& campaign);

/// Why a receipt may not earn under a campaign. Stable codes for i18n and the API:
///   OutsideCampaign "receipt_outside_campaign"  purchased outside the campaign's validity dates
///   TooOld          "receipt_too_old"            claimed more than receiptWindowDays after purchase
///                                               (exactly receiptWindowDays old is still accepted)
enum class EligibilityError { OutsideCampaign, TooOld };

[[nodiscard]] std::string_view eligibilityErrorCode(EligibilityError error);
[[nodiscard]] std::string_view describe(EligibilityError error);

/// Checks validity dates (at the purchase time) and the receipt window (at `now`, the claim time).
/// A receipt dated after `now` is not this function's concern (receipt_token.hpp refuses those).
[[nodiscard]] std::expected<void, EligibilityError> checkReceiptEligible(const Receipt& receipt,
                                                                         const Campaign& campaign,
                                                                         UnixSeconds now);

}  // namespace loyalty
