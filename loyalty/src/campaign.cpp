#include "loyalty/campaign.hpp"

#include <algorithm>

#include "loyalty/toml_fields.hpp"

namespace loyalty {
namespace {

constexpr std::int64_t kMaxMultiplierPercent = 10'000;
constexpr std::int64_t kMaxPointsPerItem = 1'000'000;
constexpr std::int64_t kMaxWindowDays = 3'660;
constexpr std::int64_t kMaxExpiryMonths = 120;

bool inDateRange(LocalDate date, LocalDate from, LocalDate to) {
    return from <= date && date <= to;
}

std::expected<Promotion, std::string> readPromotion(const toml::table& table, std::string path) {
    TomlFields fields(table, std::move(path));
    fields.allowOnly({"id", "kind", "multiplier_percent", "from", "to", "label_vi", "label_en"});
    Promotion promotion;
    promotion.id = fields.text("id");
    const std::string kind = fields.text("kind");
    promotion.multiplierPercent =
        static_cast<std::uint32_t>(fields.integer("multiplier_percent", 101, kMaxMultiplierPercent));
    promotion.label = fields.localized("label");
    if (kind == "weekend") {
        promotion.kind = Promotion::Kind::Weekend;
        if (table.contains("from") || table.contains("to"))
            fields.fail("from", "is only for kind = \"date_range\"");
    } else if (kind == "date_range") {
        promotion.kind = Promotion::Kind::DateRange;
        promotion.from = fields.date("from");
        promotion.to = fields.date("to");
        if (!fields.error() && promotion.to < promotion.from) fields.fail("to", "is before from");
    } else if (!fields.error()) {
        fields.fail("kind", "must be \"weekend\" or \"date_range\", not \"" + kind + "\"");
    }
    if (fields.error()) return std::unexpected(*fields.error());
    return promotion;
}

}  // namespace

bool Promotion::appliesAt(UnixSeconds t) const {
    switch (kind) {
        case Kind::Weekend: {
            const Weekday day = localWeekday(t);
            return day == Weekday::Saturday || day == Weekday::Sunday;
        }
        case Kind::DateRange:
            return inDateRange(localDate(t), from, to);
    }
    return false;
}

bool Campaign::isValidAt(UnixSeconds t) const {
    return inDateRange(localDate(t), validFrom, validTo);
}

std::expected<Campaign, CampaignError> Campaign::fromToml(std::string_view tomlText) {
    auto root = parseTomlText(tomlText);
    if (!root) return std::unexpected(CampaignError{root.error()});
    TomlFields top(*root, "");
    top.allowOnly({"campaign"});
    const toml::table* table = top.table("campaign");
    if (table == nullptr) return std::unexpected(CampaignError{*top.error()});

    TomlFields fields(*table, "campaign");
    fields.allowOnly({"id", "name_vi", "name_en", "valid_from", "valid_to", "dong_per_point",
                      "points_per_item", "minimum_spend", "tier_multiplier_percent", "promotions",
                      "receipt_cap", "signup_bonus", "receipt_window_days", "points_expiry_months"});
    Campaign campaign;
    campaign.id = fields.text("id");
    campaign.name = fields.localized("name");
    campaign.validFrom = fields.date("valid_from");
    campaign.validTo = fields.date("valid_to");
    if (!fields.error() && campaign.validTo < campaign.validFrom)
        fields.fail("valid_to", "is before valid_from");
    campaign.dongPerPoint = Dong{fields.integer("dong_per_point", 1, kMaxDong.value)};
    campaign.pointsPerItem = fields.integer("points_per_item", 0, kMaxPointsPerItem);
    campaign.minimumSpend = Dong{fields.integer("minimum_spend", 0, kMaxDong.value)};
    campaign.receiptCap = fields.optionalInteger("receipt_cap", 1, kMaxPoints);
    campaign.signUpBonus = fields.integer("signup_bonus", 0, kMaxPoints);
    campaign.receiptWindowDays = fields.integer("receipt_window_days", 1, kMaxWindowDays);
    campaign.pointsExpiryMonths =
        static_cast<unsigned>(fields.integer("points_expiry_months", 0, kMaxExpiryMonths));

    if (const toml::table* multipliers = fields.table("tier_multiplier_percent")) {
        TomlFields tiers(*multipliers, "campaign.tier_multiplier_percent");
        tiers.allowOnly({"silver", "gold", "diamond"});
        for (const Tier tier : {Tier::Silver, Tier::Gold, Tier::Diamond}) {
            campaign.tierMultiplierPercent[static_cast<std::size_t>(tier)] =
                static_cast<std::uint32_t>(tiers.integer(tierCode(tier), 100, kMaxMultiplierPercent));
        }
        if (tiers.error()) return std::unexpected(CampaignError{*tiers.error()});
    }
    const toml::array* promotions = fields.arrayOfTables("promotions", false);
    if (fields.error()) return std::unexpected(CampaignError{*fields.error()});

    if (promotions != nullptr) {
        for (std::size_t i = 0; i < promotions->size(); ++i) {
            const std::string path = "campaign.promotions[" + std::to_string(i) + "]";
            auto promotion = readPromotion(*(*promotions)[i].as_table(), path);
            if (!promotion) return std::unexpected(CampaignError{promotion.error()});
            const bool duplicate = std::any_of(campaign.promotions.begin(), campaign.promotions.end(),
                                               [&](const Promotion& p) { return p.id == promotion->id; });
            if (duplicate) {
                return std::unexpected(CampaignError{path + ".id \"" + promotion->id + "\" is used twice"});
            }
            campaign.promotions.push_back(std::move(*promotion));
        }
    }
    return campaign;
}

}  // namespace loyalty
