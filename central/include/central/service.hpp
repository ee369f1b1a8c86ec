#pragma once
// The central service's operations, one per API call of docs/api.md, independent of HTTP: each takes
// the authenticated caller and the parsed JSON body and returns the JSON answer or an ApiError. Every
// rule comes from the loyalty domain (token verification, earning, tiers, rewards, vouchers, phones);
// this class adds storage, authentication, idempotency and rate limits.
//
// Correctness never relies on this process being alone: each operation is one database transaction
// whose races are decided by unique keys and conditional updates (see service.cpp), so several
// processes may serve one PostgreSQL database.
//
// Threads: all methods may be called concurrently from any number of threads. They BLOCK on the
// database.

#include <nlohmann/json.hpp>

#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/otp_notifier.hpp"
#include "loyalty/campaign.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/reward.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/tier.hpp"

namespace central {

class ClaimOps;
class FleetOps;
class GameOps;
class SpendOps;
class StaffOps;
struct Catalog;
using Json = nlohmann::json;
using JsonResult = std::expected<Json, ApiError>;

/// What the service is seeded with on first start (empty database) and its secrets.
struct ServiceOptions {
    std::string campaignToml;  ///< used when the database has no campaign yet
    std::string tiersToml;     ///< used when the database has no tier rules yet
    std::string rewardsToml;   ///< catalog seeded when the database has no rewards (may be empty)
    /// Stores (id, public key text) seeded when the database has no stores.
    std::vector<std::pair<std::string, std::string>> seedStoreKeys;
    /// A one-time enrollment code created at start-up if it does not exist (empty = none).
    std::string seedEnrollmentCode;
    std::string seedEnrollmentKiosk;
    std::string seedEnrollmentStore;
    std::string adminToken;  ///< compared in constant time
    /// Keys the hash of stored one-time codes (crypto_generichash key, 32 bytes): a stolen database
    /// alone does not give the codes away.
    std::string otpKey;
    std::string consentTextVersion = "2026-11";
    /// A claim writes its notifications to the outbox (docs/notifications.md) only when this is set.
    bool notifications = false;
    std::string version = "0.1.0";
};

/// Who is calling, after authentication.
struct Caller {
    enum class Kind { Kiosk, Admin };
    Kind kind = Kind::Kiosk;
    std::string kioskId;  ///< kiosks only
    std::string store;    ///< kiosks only
};

class Service {
  public:
    /// Seeds an empty database from `options`. Throws std::runtime_error if the seed is invalid or
    /// the database refuses it (start-up only).
    /// `voucherKeys` sign every voucher; kiosks and POS verify with its public half (config).
    /// `clock` is every timestamp the service stores or compares (it must outlive the service).
    Service(Database& db, const loyalty::Clock& clock, ServiceOptions options,
            loyalty::SigningKeyPair voucherKeys, std::unique_ptr<OtpNotifier> notifier);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    /// Credentials, enrollment, kiosks' config, heartbeats and commands (ops/fleet.hpp).
    [[nodiscard]] FleetOps& fleet() { return *m_fleet; }

    // Admin calls (the caller must be Admin). The fleet's four answer JSON for the console's routes
    // (defined in api/fleet_api.cpp over fleet()).
    [[nodiscard]] JsonResult createEnrollmentCode(const Caller& caller, const Json& body);
    [[nodiscard]] JsonResult listKiosks(const Caller& caller);
    [[nodiscard]] JsonResult revokeKiosk(const Caller& caller, std::string_view kioskId);
    [[nodiscard]] JsonResult queueCommand(const Caller& caller, std::string_view kioskId, const Json& body);
    [[nodiscard]] JsonResult getCampaign(const Caller& caller);
    [[nodiscard]] JsonResult putCampaign(const Caller& caller, const Json& body);
    /// The chain's look for its kiosks (service_theme.cpp): brand colours and a logo.
    [[nodiscard]] JsonResult getTheme(const Caller& caller);
    [[nodiscard]] JsonResult putTheme(const Caller& caller, const Json& body);
    [[nodiscard]] JsonResult listRewards(const Caller& caller);
    [[nodiscard]] JsonResult putReward(const Caller& caller, std::string_view rewardId, const Json& body);
    [[nodiscard]] JsonResult listStores(const Caller& caller);
    [[nodiscard]] JsonResult putStore(const Caller& caller, std::string_view storeId, const Json& body);
    [[nodiscard]] JsonResult adjustMember(const Caller& caller, std::string_view phone, const Json& body);
    [[nodiscard]] JsonResult pointsReport(const Caller& caller, std::string_view from, std::string_view to);
    /// A receipt brought back, in full or in part (service_care.cpp, docs/console.md): its points
    /// reversed in proportion, the tier recomputed; idempotent by the body's key. `actor`: who asked.
    [[nodiscard]] JsonResult returnReceipt(const Caller& caller, const std::string& actor, const Json& body);

    /// Claims and a member's read (ops/claims.hpp): the operations the claims routes call.
    [[nodiscard]] ClaimOps& claims() { return *m_claims; }
    /// A member as GET /v1/members/{phone} answers (claims().member() in JSON): kept as JSON for the
    /// console's routes, which read it.
    [[nodiscard]] JsonResult member(const Caller& caller, std::string_view phone);

    /// One-time codes, redemptions and voucher consumption (ops/spend.hpp): what the spend routes call.
    [[nodiscard]] SpendOps& spend() { return *m_spend; }

    /// Promo games (docs/games.md): the operations the games routes call.
    [[nodiscard]] GameOps& games() { return *m_games; }

    /// Staff of the maintenance mode (issue 13): PINs, revocation, the actions kiosks report.
    [[nodiscard]] StaffOps& staff() { return *m_staff; }

    /// The clock the service reads (the HTTP layer stamps server_time with it).
    [[nodiscard]] const loyalty::Clock& clock() const { return m_clock; }

    /// The database the service runs on (the release and rollout routes share it).
    [[nodiscard]] Database& database() { return m_db; }
    /// The OTP key and notifier: the console's phone change and merge send a code like a kiosk does.
    [[nodiscard]] const std::string& otpKey() const { return m_options.otpKey; }
    [[nodiscard]] OtpNotifier& otpNotifier() { return *m_notifier; }

    /// The campaign's points expiry in months (0 = never; also 0 when the campaign cannot be read).
    [[nodiscard]] unsigned pointsExpiryMonths();
    /// The tier rules in effect (none when the catalog cannot be read).
    [[nodiscard]] std::optional<loyalty::TierRules> tierRules();
    /// True while claims wait for the write lock or are being stored (any thread, never blocks): the
    /// notification worker holds its own writes back meanwhile (docs/notifications.md).
    [[nodiscard]] bool claimsWaiting() const;

    /// For /healthz: true if the database answers.
    [[nodiscard]] bool databaseHealthy();

    /// The catalog (ops/catalog.hpp), cached for a short while (service.cpp). Any thread.
    [[nodiscard]] std::expected<std::shared_ptr<const Catalog>, ApiError> catalog();

  private:
    void invalidateCatalog();
    void seed();

    Database& m_db;
    const loyalty::Clock& m_clock;
    ServiceOptions m_options;
    loyalty::SigningKeyPair m_voucherKeys;
    std::unique_ptr<OtpNotifier> m_notifier;
    std::mutex m_catalogMutex;
    std::shared_ptr<const Catalog> m_catalog;
    loyalty::MonotonicMs m_catalogLoadedAt = 0;
    std::unique_ptr<GameOps> m_games;
    std::unique_ptr<StaffOps> m_staff;
    std::unique_ptr<SpendOps> m_spend;
    std::unique_ptr<FleetOps> m_fleet;
    /// Single and batched claims, stored together across requests (ops/claims.cpp). Last member:
    /// destroyed first, storing what is queued while everything it uses is still alive.
    std::unique_ptr<ClaimOps> m_claims;
};

}  // namespace central
