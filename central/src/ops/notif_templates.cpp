#include "ops/notif_templates.hpp"

#include <array>

namespace central {
namespace {

struct Template {
    std::string_view event;
    std::string_view vi;
    std::string_view en;
};

// The ids a chain registers with Zalo (ZNS) or its SMS gateway; docs/notifications.md gives the text
// and parameters of each.
constexpr std::array<Template, 7> kTemplates{{
    {"earned", "loyalty_earned_vi", "loyalty_earned_en"},
    {"tier_up", "loyalty_tier_up_vi", "loyalty_tier_up_en"},
    {"tier_down", "loyalty_tier_down_vi", "loyalty_tier_down_en"},
    {"tier_at_risk", "loyalty_tier_at_risk_vi", "loyalty_tier_at_risk_en"},
    {"points_expiring", "loyalty_points_expiring_vi", "loyalty_points_expiring_en"},
    {"voucher_expiring", "loyalty_voucher_expiring_vi", "loyalty_voucher_expiring_en"},
    {"promotion", "loyalty_promotion_vi", "loyalty_promotion_en"},
}};

}  // namespace

std::string templateId(std::string_view event, std::string_view language) {
    for (const auto& t : kTemplates)
        if (t.event == event) return std::string(language == "en" ? t.en : t.vi);
    return "";
}

}  // namespace central
