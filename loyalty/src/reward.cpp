#include "loyalty/reward.hpp"

#include <algorithm>

#include "loyalty/toml_fields.hpp"

namespace loyalty {
namespace {

constexpr std::int64_t kMaxCount = 1'000'000'000;
constexpr std::int64_t kMaxVoucherValidityDays = 3'660;

std::expected<Reward, std::string> readReward(const toml::table& table, std::string path) {
    TomlFields fields(table, std::move(path));
    fields.allowOnly({"id", "name_vi", "name_en", "cost", "value", "stock", "available_from",
                      "available_until", "per_member_limit", "voucher_validity_days", "terms_vi",
                      "terms_en"});
    Reward reward;
    reward.id = fields.text("id");
    if (!fields.error() && !isValidRewardId(reward.id)) {
        fields.fail("id", "must be 1-16 characters of A-Z, 0-9 and '-', not \"" + reward.id + "\"");
    }
    reward.name = fields.localized("name");
    reward.cost = fields.integer("cost", 1, kMaxPoints);
    reward.value = Dong{fields.integer("value", 0, kMaxDong.value)};
    if (const auto stock = fields.optionalInteger("stock", 0, kMaxCount)) {
        reward.stock = static_cast<std::uint32_t>(*stock);
    }
    reward.availableFrom = fields.optionalDate("available_from");
    reward.availableUntil = fields.optionalDate("available_until");
    if (reward.availableFrom && reward.availableUntil && *reward.availableUntil < *reward.availableFrom) {
        fields.fail("available_until", "is before available_from");
    }
    if (const auto limit = fields.optionalInteger("per_member_limit", 1, kMaxCount)) {
        reward.perMemberLimit = static_cast<std::uint32_t>(*limit);
    }
    reward.voucherValidityDays =
        static_cast<std::uint32_t>(fields.integer("voucher_validity_days", 1, kMaxVoucherValidityDays));
    reward.terms = fields.localized("terms");
    if (fields.error()) return std::unexpected(*fields.error());
    return reward;
}

}  // namespace

bool isValidRewardId(std::string_view id) {
    return !id.empty() && id.size() <= kMaxRewardIdChars && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    });
}

std::string_view redeemRefusalCode(RedeemRefusal refusal) {
    switch (refusal) {
        case RedeemRefusal::NotYetAvailable:
            return "reward_not_yet_available";
        case RedeemRefusal::NoLongerAvailable:
            return "reward_no_longer_available";
        case RedeemRefusal::OutOfStock:
            return "reward_out_of_stock";
        case RedeemRefusal::MemberLimitReached:
            return "reward_member_limit";
        case RedeemRefusal::InsufficientPoints:
            return "reward_insufficient_points";
    }
    return "reward_refused";
}

std::string_view describe(RedeemRefusal refusal) {
    switch (refusal) {
        case RedeemRefusal::NotYetAvailable:
            return "the reward is not available yet";
        case RedeemRefusal::NoLongerAvailable:
            return "the reward is no longer available";
        case RedeemRefusal::OutOfStock:
            return "the reward is out of stock";
        case RedeemRefusal::MemberLimitReached:
            return "the member already redeemed this reward as often as allowed";
        case RedeemRefusal::InsufficientPoints:
            return "the member does not have enough points";
    }
    return "the reward cannot be redeemed";
}

std::expected<void, RedeemRefusal> checkRedeemable(const Reward& reward, Points balance,
                                                   std::uint32_t alreadyRedeemedByMember, UnixSeconds now) {
    const LocalDate today = localDate(now);
    if (reward.availableFrom && today < *reward.availableFrom) {
        return std::unexpected(RedeemRefusal::NotYetAvailable);
    }
    if (reward.availableUntil && today > *reward.availableUntil) {
        return std::unexpected(RedeemRefusal::NoLongerAvailable);
    }
    if (reward.stock && *reward.stock == 0) return std::unexpected(RedeemRefusal::OutOfStock);
    if (reward.perMemberLimit && alreadyRedeemedByMember >= *reward.perMemberLimit) {
        return std::unexpected(RedeemRefusal::MemberLimitReached);
    }
    if (balance < reward.cost) return std::unexpected(RedeemRefusal::InsufficientPoints);
    return {};
}

std::expected<std::vector<Reward>, RewardCatalogError> parseRewardCatalog(std::string_view tomlText) {
    auto root = parseTomlText(tomlText);
    if (!root) return std::unexpected(RewardCatalogError{root.error()});
    TomlFields top(*root, "");
    top.allowOnly({"rewards"});
    const toml::array* rewards = top.arrayOfTables("rewards", true);
    if (rewards == nullptr) return std::unexpected(RewardCatalogError{*top.error()});

    std::vector<Reward> catalog;
    for (std::size_t i = 0; i < rewards->size(); ++i) {
        const std::string path = "rewards[" + std::to_string(i) + "]";
        auto reward = readReward(*(*rewards)[i].as_table(), path);
        if (!reward) return std::unexpected(RewardCatalogError{reward.error()});
        const bool duplicate =
            std::any_of(catalog.begin(), catalog.end(), [&](const Reward& r) { return r.id == reward->id; });
        if (duplicate)
            return std::unexpected(RewardCatalogError{path + ".id \"" + reward->id + "\" is used twice"});
        catalog.push_back(std::move(*reward));
    }
    return catalog;
}

}  // namespace loyalty
