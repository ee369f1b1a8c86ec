#include "central_config.hpp"

#include <nlohmann/json.hpp>

#include "loyalty/time.hpp"

namespace kiosk {
namespace {

using nlohmann::json;

/// A reward's availability date: a "2026-11-01" string, or null / absent for unbounded. A date that does
/// not parse leaves the reward out (nullopt): the kiosk never offers a reward it cannot date.
std::optional<std::optional<loyalty::LocalDate>> availabilityOf(const json& reward, const char* key) {
    if (!reward.contains(key) || reward[key].is_null()) {
        return std::optional<loyalty::LocalDate>{};
    }
    if (!reward[key].is_string()) {
        return std::nullopt;
    }
    auto date = loyalty::parseLocalDate(reward[key].get<std::string>());
    return date ? std::optional<std::optional<loyalty::LocalDate>>(*date) : std::nullopt;
}

std::vector<Reward> rewardsOf(const json& list) {
    std::vector<Reward> rewards;
    for (const auto& r : list) {
        if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || !r.contains("cost") ||
            !r["cost"].is_number_integer()) {
            continue;
        }
        Reward reward;
        reward.id = r["id"].get<std::string>();
        reward.title.vi = r.value("name_vi", reward.id);
        reward.title.en = r.value("name_en", reward.title.vi);
        reward.points = r["cost"].get<std::int64_t>();
        const auto from = availabilityOf(r, "available_from");
        const auto until = availabilityOf(r, "available_until");
        if (!from || !until) {
            continue;
        }
        reward.availableFrom = *from;
        reward.availableUntil = *until;
        if (reward.points > 0) {
            rewards.push_back(std::move(reward));
        }
    }
    return rewards;
}

std::vector<std::pair<std::string, loyalty::PublicKey>> storeKeysOf(const json& list) {
    std::vector<std::pair<std::string, loyalty::PublicKey>> keys;
    for (const auto& k : list) {
        if (!k.is_object() || !k.contains("store") || !k["store"].is_string() || !k.contains("public_key") ||
            !k["public_key"].is_string()) {
            continue;
        }
        if (auto key = loyalty::parsePublicKey(k["public_key"].get<std::string>())) {
            keys.emplace_back(k["store"].get<std::string>(), *key);
        }
    }
    return keys;
}

std::vector<StaffCredential> staffOf(const json& list) {
    constexpr std::size_t kMaxHash = 128;  // crypto_pwhash_STRBYTES, its terminating NUL included
    std::vector<StaffCredential> staff;
    for (const auto& s : list) {
        if (!s.is_object()) {
            continue;
        }
        const auto text = [&s](const char* name) {
            const auto it = s.find(name);
            return it != s.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        StaffCredential member{text("staff_id"), text("name"), text("pin_hash")};
        if (member.id.empty() || member.id.size() > 32 || member.name.empty() || member.name.size() > 64 ||
            !member.pinHash.starts_with("$argon2id$") || member.pinHash.size() >= kMaxHash) {
            continue;
        }
        staff.push_back(std::move(member));
    }
    return staff;
}

/// The rewards' pictures ("image_png"): a broken or oversized one costs the picture, not the reward.
void picturesOf(const json& list, CentralConfig& parsed) {
    for (const auto& r : list) {
        if (!r.is_object() || !r.contains("image_png") || !r.contains("id") || !r["id"].is_string()) {
            continue;
        }
        const std::string id = r["id"].get<std::string>();
        auto picture = decodePicture(r["image_png"], kMaxRewardPictureBytes, kMaxRewardPictureSide,
                                     kMaxRewardPictureSide);
        if (picture) {
            parsed.rewardPictures.emplace(id, std::move(picture->rgba));
        } else {
            parsed.problems.push_back("reward " + id + " is shown without its picture: " + picture.error());
        }
    }
}

}  // namespace

std::expected<CentralConfig, std::string> parseCentralConfig(const std::string& body) {
    const json config = json::parse(body, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        return std::unexpected("not a JSON object");
    }
    CentralConfig parsed;
    if (config.contains("campaign_toml")) {
        if (!config["campaign_toml"].is_string()) {
            return std::unexpected("campaign_toml is not text");
        }
        auto campaign = loyalty::Campaign::fromToml(config["campaign_toml"].get<std::string>());
        if (!campaign) {
            return std::unexpected("campaign: " + campaign.error().message);
        }
        parsed.campaign = std::move(*campaign);
    }
    if (config.contains("tiers_toml")) {
        if (!config["tiers_toml"].is_string()) {
            return std::unexpected("tiers_toml is not text");
        }
        auto rules = loyalty::TierRules::fromToml(config["tiers_toml"].get<std::string>());
        if (!rules) {
            return std::unexpected("tiers: " + rules.error().message);
        }
        parsed.tierRules = std::move(*rules);
    }
    if (config.contains("rewards")) {
        if (!config["rewards"].is_array()) {
            return std::unexpected("rewards is not a list");
        }
        parsed.rewards = rewardsOf(config["rewards"]);
        picturesOf(config["rewards"], parsed);
    }
    if (config.contains("store_keys")) {
        if (!config["store_keys"].is_array()) {
            return std::unexpected("store_keys is not a list");
        }
        parsed.storeKeys = storeKeysOf(config["store_keys"]);
    }
    if (config.contains("staff")) {
        if (!config["staff"].is_array()) {
            return std::unexpected("staff is not a list");
        }
        parsed.staff = staffOf(config["staff"]);
    }
    // An empty object is a chain that set no look (or cleared it): a look of nothing, which brings the
    // kiosk's own [theme], Noto Sans and no logo back.
    if (const auto theme = config.find("theme"); theme != config.end()) {
        parsed.look = parseChainLook(*theme);
    }
    return parsed;
}

}  // namespace kiosk
