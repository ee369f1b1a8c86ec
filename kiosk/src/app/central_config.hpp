#pragma once
// Central's configuration document (GET /v1/kiosk/config), parsed once into a typed value: the sync
// worker's validator asks whether it parses, the UI thread applies the parsed value.

#include <expected>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
};

/// Error: why this kiosk cannot use the document. A refused document never replaces the last good one
/// (kiosk_sync keeps it).
[[nodiscard]] std::expected<CentralConfig, std::string> parseCentralConfig(const std::string& body);

}  // namespace kiosk
