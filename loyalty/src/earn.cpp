#include "loyalty/earn.hpp"

#include <algorithm>

#include "loyalty/money.hpp"
#include "loyalty/time.hpp"

namespace loyalty {
namespace {

LocalizedText labelOf(EarnLineKind kind) {
    switch (kind) {
        case EarnLineKind::Base:
            return {"cơ bản", "base"};
        case EarnLineKind::Items:
            return {"theo sản phẩm", "per item"};
        case EarnLineKind::TierBonus:
            return {"thưởng hạng thành viên", "member tier bonus"};
        case EarnLineKind::Promotion:
            return {"khuyến mãi", "promotion"};
        case EarnLineKind::Cap:
            return {"giới hạn mỗi hoá đơn", "per-receipt cap"};
        case EarnLineKind::SignUpBonus:
            return {"thưởng đăng ký", "sign-up bonus"};
    }
    return {};
}

/// floor(base * (percent - 100) / 100): the bonus part of a multiplier. base <= ~10^11 and
/// percent <= 10^4, so the product stays below 10^15.
Points bonusOf(Points base, std::uint32_t percent) {
    return base * (static_cast<Points>(percent) - 100) / 100;
}

const Promotion* bestPromotion(const Campaign& campaign, UnixSeconds at) {
    const Promotion* best = nullptr;
    for (const Promotion& promotion : campaign.promotions) {
        if (promotion.appliesAt(at) &&
            (best == nullptr || promotion.multiplierPercent > best->multiplierPercent)) {
            best = &promotion;
        }
    }
    return best;
}

/// "1.200" in Vietnamese, "1,200" in English: a dot reads as a decimal point to an English reader.
std::string groupedPoints(Points points, Language language) {
    std::string text = groupThousands(points);
    if (language == Language::English) std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

}  // namespace

Earning computeEarning(const Receipt& receipt, const MemberContext& member, const Campaign& campaign) {
    Earning earning;
    const auto add = [&](EarnLineKind kind, Points points, LocalizedText label) {
        if (points == 0) return;
        earning.total += points;
        earning.lines.push_back(EarnLine{kind, points, std::move(label)});
    };

    earning.belowMinimumSpend = receipt.amount < campaign.minimumSpend;
    if (!earning.belowMinimumSpend) {
        const Points base = receipt.amount.value / campaign.dongPerPoint.value;
        const Points items = static_cast<Points>(receipt.items) * campaign.pointsPerItem;
        const Points earnedBase = base + items;
        add(EarnLineKind::Base, base, labelOf(EarnLineKind::Base));
        add(EarnLineKind::Items, items, labelOf(EarnLineKind::Items));
        add(EarnLineKind::TierBonus, bonusOf(earnedBase, campaign.tierMultiplier(member.tier)),
            labelOf(EarnLineKind::TierBonus));
        if (const Promotion* promotion = bestPromotion(campaign, receipt.issuedAt)) {
            add(EarnLineKind::Promotion, bonusOf(earnedBase, promotion->multiplierPercent), promotion->label);
        }
        if (campaign.receiptCap && earning.total > *campaign.receiptCap) {
            add(EarnLineKind::Cap, *campaign.receiptCap - earning.total, labelOf(EarnLineKind::Cap));
        }
    }
    if (member.isNewMember) {
        add(EarnLineKind::SignUpBonus, campaign.signUpBonus, labelOf(EarnLineKind::SignUpBonus));
    }
    return earning;
}

std::string Earning::explain(Language language) const {
    const std::string_view unit = language == Language::Vietnamese ? " điểm" : " points";
    std::string text = groupedPoints(total, language) + std::string(unit);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const EarnLine& line = lines[i];
        if (i == 0) {
            text += " = ";
            if (line.points < 0) text += "−";
        } else {
            text += line.points < 0 ? " − " : " + ";
        }
        text += groupedPoints(line.points < 0 ? -line.points : line.points, language) + " " +
                line.label.in(language);
    }
    return text;
}

std::string_view eligibilityErrorCode(EligibilityError error) {
    switch (error) {
        case EligibilityError::OutsideCampaign:
            return "receipt_outside_campaign";
        case EligibilityError::TooOld:
            return "receipt_too_old";
    }
    return "receipt_ineligible";
}

std::string_view describe(EligibilityError error) {
    switch (error) {
        case EligibilityError::OutsideCampaign:
            return "the receipt was issued outside the campaign's validity dates";
        case EligibilityError::TooOld:
            return "the receipt is older than the campaign's receipt window";
    }
    return "the receipt cannot earn points";
}

std::expected<void, EligibilityError> checkReceiptEligible(const Receipt& receipt, const Campaign& campaign,
                                                           UnixSeconds now) {
    if (!campaign.isValidAt(receipt.issuedAt)) return std::unexpected(EligibilityError::OutsideCampaign);
    if (now - receipt.issuedAt > campaign.receiptWindowDays * kSecondsPerDay) {
        return std::unexpected(EligibilityError::TooOld);
    }
    return {};
}

}  // namespace loyalty
