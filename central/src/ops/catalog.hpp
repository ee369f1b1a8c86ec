#pragma once
// The catalog every claim, redemption and config document reads: campaign, tiers, store keys and
// rewards, loaded from the database and cached by the Service (service.cpp, Service::catalog()). Private to
// central_core.

#include <functional>
#include <map>
#include <string>

#include "central/service.hpp"
#include "loyalty/campaign.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/reward.hpp"
#include "loyalty/tier.hpp"

namespace central {

/// The loaded catalog: what the config document and every claim/redemption needs. Immutable; shared.
struct Catalog {
    std::string campaignToml;
    std::string tiersToml;
    loyalty::Campaign campaign;
    loyalty::TierRules tiers;
    loyalty::StoreKeyring keyring;
    Json storeKeys;  ///< [{"store", "public_key"}]
    std::map<std::string, loyalty::Reward, std::less<>> rewards;
    Json rewardsJson;             ///< as in the config document
    Json theme = Json::object();  ///< {"primary"?, "header"?, "logo_png"?}: the chain's look, as stored
};

}  // namespace central
