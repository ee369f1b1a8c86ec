#pragma once
// Central's configuration document (GET /v1/kiosk/config), parsed once into a typed value: the sync
// worker's validator asks whether it parses, the UI thread applies the parsed value.

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chain_look.hpp"
#include "kiosk/journey_config.hpp"
#include "loyalty/campaign.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/tier.hpp"

namespace kiosk {

/// A staff member central issued a PIN to: the PIN only as crypto_pwhash_str's Argon2id string.
struct StaffCredential {
    std::string id;
    std::string name;
    std::string pinHash;
};

struct CentralConfig {
    std::optional<std::vector<Reward>> rewards;  ///< entries without an id, a positive cost or readable
                                                 ///< availability dates are left out
    std::optional<loyalty::Campaign> campaign;
    std::optional<loyalty::TierRules> tierRules;  ///< each tier's benefits, for the tier card
    /// Store keys central vouches for (added to the configured ones); unreadable entries are left out.
    std::optional<std::vector<std::pair<std::string, loyalty::PublicKey>>> storeKeys;
    /// The active staff members (a revoked one is no longer listed); entries without an id, a name or an
    /// Argon2id string are left out. nullopt: a central without staff PINs (nothing changes).
    std::optional<std::vector<StaffCredential>> staff;
    /// The chain's look; one with nothing set ("theme": {}, head office set none or cleared it) is the
    /// kiosk's own [theme], Noto Sans and no logo. nullopt: the document has no "theme" (nothing
    /// changes). An error: a look this kiosk refuses (illegible colours, a broken or oversized logo) —
    /// the rest of the document is still used, and the last good look stays on screen and paper.
    std::optional<std::expected<ChainLook, std::string>> look;
    /// Rewards' pictures by reward id (RGBA), with `rewards`; a reward whose picture is broken or too large
    /// is listed without one (a plain tile) and said in `problems`.
    std::map<std::string, ui::Image> rewardPictures;
    std::vector<std::string> problems;  ///< what was left out of the document and why, for the log
};

/// Error: why this kiosk cannot use the document. A refused document never replaces the last good one
/// (kiosk_sync keeps it).
[[nodiscard]] std::expected<CentralConfig, std::string> parseCentralConfig(const std::string& body);

}  // namespace kiosk
