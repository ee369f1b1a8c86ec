// Service: construction and seeding, the catalog cache, the operations it owns.

#include "central/service.hpp"

#include <stdexcept>

#include "api/claims_api.hpp"
#include "api/json_fields.hpp"
#include "loyalty/phone.hpp"
#include "ops/catalog.hpp"
#include "ops/claims.hpp"
#include "ops/fleet.hpp"
#include "ops/games.hpp"
#include "ops/secrets.hpp"
#include "ops/spend.hpp"
#include "ops/staff_ops.hpp"
#include "spend_otp.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

/// How long a loaded catalog is trusted. Admin changes made through THIS process invalidate it at
/// once; another process sharing the database sees them within this delay.
constexpr loyalty::MonotonicMs kCatalogTtlMs = 2'000;
constexpr loyalty::UnixSeconds kDevEnrollmentValidity = 10LL * 365 * 86'400;

}  // namespace

Service::Service(Database& db, const loyalty::Clock& clock, ServiceOptions options,
                 loyalty::SigningKeyPair voucherKeys, std::unique_ptr<OtpNotifier> notifier)
    : m_db(db),
      m_clock(clock),
      m_options(std::move(options)),
      m_voucherKeys(std::move(voucherKeys)),
      m_notifier(std::move(notifier)) {
    seed();
    m_games = std::make_unique<GameOps>(
        m_db, m_clock, m_voucherKeys,
        [this](const std::string& id) -> std::expected<std::optional<loyalty::Reward>, ApiError> {
            auto loaded = catalog();
            if (!loaded) return std::unexpected(loaded.error());
            const auto it = (*loaded)->rewards.find(id);
            if (it == (*loaded)->rewards.end()) return std::nullopt;
            return it->second;
        },
        [this](Connection& c, const Caller& caller, const std::string& e164, const std::string& scope,
               const std::string& otp, loyalty::UnixSeconds now) {
            return useSpendOtp(c, OtpUse{caller.kioskId, e164, scope, otp, now}, m_options.otpKey);
        },
        [this] { return pointsExpiryMonths(); });
    m_staff = std::make_unique<StaffOps>(m_db, m_clock);
    m_spend = std::make_unique<SpendOps>(
        m_db, m_clock, [this] { return catalog(); }, SpendOps::Secrets{m_options.otpKey, m_voucherKeys},
        *m_notifier);
    m_fleet = std::make_unique<FleetOps>(
        m_db, m_clock, [this] { return catalog(); },
        FleetOps::Options{m_options.adminToken,
                          loyalty::formatPublicKey(m_voucherKeys.publicKey(), "central voucher key"),
                          m_options.consentTextVersion});
    m_claims = std::make_unique<ClaimOps>(
        m_db, m_clock, [this] { return catalog(); },
        ClaimOps::Options{m_options.consentTextVersion, m_options.notifications});
    if (auto loaded = catalog(); !loaded)
        throw std::runtime_error("cannot load the catalog: " + loaded.error().messageEn);
}

Service::~Service() = default;

void Service::seed() {
    // Validate what we seed with before writing anything.
    if (auto c = loyalty::Campaign::fromToml(m_options.campaignToml); !c)
        throw std::runtime_error("campaign: " + c.error().message);
    if (auto t = loyalty::TierRules::fromToml(m_options.tiersToml); !t)
        throw std::runtime_error("tiers: " + t.error().message);
    std::vector<loyalty::Reward> rewards;
    if (!m_options.rewardsToml.empty()) {
        auto parsed = loyalty::parseRewardCatalog(m_options.rewardsToml);
        if (!parsed) throw std::runtime_error("rewards: " + parsed.error().message);
        rewards = std::move(*parsed);
    }
    for (const auto& [store, key] : m_options.seedStoreKeys) {
        if (!loyalty::isValidStoreId(store)) throw std::runtime_error("seed store id is invalid: " + store);
        if (!loyalty::parsePublicKey(key))
            throw std::runtime_error("seed public key of " + store + " is invalid");
    }
    const auto now = m_clock.now();
    auto seeded = transact(m_db, [&](Connection& c) -> JsonResult {
        // ON CONFLICT DO NOTHING everywhere: processes starting together on one database seed once.
        CENTRAL_TRY(
            a,
            c.query("INSERT INTO settings (key, value) VALUES ('campaign_toml', $1) ON CONFLICT DO NOTHING",
                    {m_options.campaignToml}));
        CENTRAL_TRY(
            b, c.query("INSERT INTO settings (key, value) VALUES ('tiers_toml', $1) ON CONFLICT DO NOTHING",
                       {m_options.tiersToml}));
        CENTRAL_TRY(rewardCount, c.query("SELECT COUNT(*) FROM rewards"));
        if (rewardCount->at(0).integer(0) == 0) {
            for (const auto& r : rewards) {
                const Param stock = r.stock ? Param(static_cast<std::int64_t>(*r.stock)) : Param(nullptr);
                const Param limit = static_cast<std::int64_t>(r.perMemberLimit.value_or(0));
                CENTRAL_TRY(ins, c.query("INSERT INTO rewards (reward_id, definition, cost_points, stock, "
                                         "per_member_limit, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                         "ON CONFLICT DO NOTHING",
                                         {r.id, rewardToJson(r).dump(), r.cost, stock, limit, now}));
            }
        }
        CENTRAL_TRY(storeCount, c.query("SELECT COUNT(*) FROM stores"));
        if (storeCount->at(0).integer(0) == 0) {
            for (const auto& [store, key] : m_options.seedStoreKeys) {
                CENTRAL_TRY(s, c.query("INSERT INTO stores (store_id, name, created_at) VALUES ($1, $1, $2) "
                                       "ON CONFLICT DO NOTHING",
                                       {store, now}));
                const auto text = loyalty::formatPublicKey(*loyalty::parsePublicKey(key));
                CENTRAL_TRY(
                    k, c.query("INSERT INTO store_keys (store_id, public_key, added_at) VALUES ($1, $2, $3) "
                               "ON CONFLICT DO NOTHING",
                               {store, text, now}));
            }
        }
        if (!m_options.seedEnrollmentCode.empty()) {
            CENTRAL_TRY(s, c.query("INSERT INTO stores (store_id, name, created_at) VALUES ($1, $1, $2) "
                                   "ON CONFLICT DO NOTHING",
                                   {m_options.seedEnrollmentStore, now}));
            CENTRAL_TRY(e, c.query("INSERT INTO enrollment_codes (code_hash, kiosk_id, store_id, created_at, "
                                   "expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                                   {sha256Hex(m_options.seedEnrollmentCode), m_options.seedEnrollmentKiosk,
                                    m_options.seedEnrollmentStore, now, now + kDevEnrollmentValidity}));
        }
        return Json::object();
    });
    if (!seeded) throw std::runtime_error("seeding the database: " + seeded.error().messageEn);
}

std::expected<std::shared_ptr<const Catalog>, ApiError> Service::catalog() {
    {
        std::lock_guard lock(m_catalogMutex);
        if (m_catalog && m_clock.monotonicMs() - m_catalogLoadedAt < kCatalogTtlMs) return m_catalog;
    }
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    Connection& c = **lease;
    CENTRAL_TRY(
        settings,
        c.query("SELECT key, value FROM settings WHERE key IN ('campaign_toml', 'tiers_toml', 'theme')"));
    std::string campaignToml, tiersToml, themeJson;
    for (const auto& row : *settings)
        (row.text(0) == "campaign_toml" ? campaignToml
         : row.text(0) == "tiers_toml"  ? tiersToml
                                        : themeJson) = row.text(1);
    auto campaign = loyalty::Campaign::fromToml(campaignToml);
    auto tiers = loyalty::TierRules::fromToml(tiersToml);
    if (!campaign || !tiers) {
        auto e = apiError("internal");
        e.messageEn = "the stored campaign or tier rules do not parse";
        return std::unexpected(e);
    }
    auto catalog = std::make_shared<Catalog>(
        Catalog{campaignToml, tiersToml, *campaign, *tiers, {}, Json::array(), {}, Json::array()});
    if (auto theme = Json::parse(themeJson, nullptr, false); theme.is_object())
        catalog->theme = std::move(theme);
    CENTRAL_TRY(keys, c.query("SELECT store_id, public_key FROM store_keys ORDER BY store_id, public_key"));
    for (const auto& row : *keys) {
        auto key = loyalty::parsePublicKey(row.text(1));
        if (!key) continue;  // validated on the way in; never let one bad row stop the fleet
        catalog->keyring.add(row.text(0), *key);
        catalog->storeKeys.push_back(Json{{"store", row.text(0)}, {"public_key", row.text(1)}});
    }
    CENTRAL_TRY(rewards, c.query("SELECT reward_id, definition FROM rewards ORDER BY reward_id"));
    for (const auto& row : *rewards) {
        auto json = Json::parse(row.text(1), nullptr, false);
        if (json.is_discarded()) continue;
        json.erase("id");
        const Json picture = json.value("image_png", Json());
        json.erase("image_png");
        auto reward = rewardFromJson(row.text(0), json);
        if (!reward) continue;
        catalog->rewardsJson.push_back(rewardToJson(*reward));
        if (picture.is_string()) catalog->rewardsJson.back()["image_png"] = picture;
        catalog->rewards.emplace(reward->id, std::move(*reward));
    }
    std::lock_guard lock(m_catalogMutex);
    m_catalog = std::move(catalog);
    m_catalogLoadedAt = m_clock.monotonicMs();
    return m_catalog;
}

void Service::invalidateCatalog() {
    std::lock_guard lock(m_catalogMutex);
    m_catalog.reset();
}

unsigned Service::pointsExpiryMonths() {
    auto loaded = catalog();
    return loaded ? (*loaded)->campaign.pointsExpiryMonths : 0;
}

std::optional<loyalty::TierRules> Service::tierRules() {
    auto loaded = catalog();
    if (!loaded) return std::nullopt;
    return (*loaded)->tiers;
}

JsonResult Service::member(const Caller& caller, std::string_view phone) {
    auto found = m_claims->member(caller, phone);
    if (!found) return std::unexpected(found.error());
    return memberJson(*found);
}

bool Service::claimsWaiting() const {
    return m_claims->waiting();
}

bool Service::databaseHealthy() {
    auto lease = m_db.lease();
    return lease && (*lease)->query("SELECT 1").has_value();
}

}  // namespace central
