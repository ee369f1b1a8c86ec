#pragma once
// Helpers shared by the service's implementation files (private to central_core).

#include <cstdint>
#include <ctime>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "central/service.hpp"
#include "loyalty/ledger.hpp"
#include "loyalty/phone.hpp"

namespace central {

/// Evaluates a DbResult expression; on error returns it from the enclosing function as an ApiError.
#define CENTRAL_TRY(var, expr) \
    auto var = (expr);         \
    if (!var) return std::unexpected(::central::storageError(var.error()))

/// The loaded catalog: what the config document and every claim/redemption needs. Immutable; shared.
struct Service::Catalog {
    std::string campaignToml;
    std::string tiersToml;
    loyalty::Campaign campaign;
    loyalty::TierRules tiers;
    loyalty::StoreKeyring keyring;
    Json storeKeys;  ///< [{"store", "public_key"}]
    std::map<std::string, loyalty::Reward, std::less<>> rewards;
    Json rewardsJson;  ///< as in the config document
};

[[nodiscard]] inline loyalty::UnixSeconds nowSeconds() {
    return static_cast<loyalty::UnixSeconds>(std::time(nullptr));
}

/// Runs `work` in one write transaction: commit on success (or when the error says commitAnyway),
/// roll back otherwise. Busy/unavailable storage retries the whole transaction a few times.
[[nodiscard]] JsonResult transact(Database& db, const std::function<JsonResult(Connection&)>& work);

// Strict field readers: a missing field, a wrong type, an out-of-range value → 400 invalid_field.
[[nodiscard]] std::expected<std::string, ApiError> requireString(const Json& object, const char* name,
                                                                 std::size_t maxChars);
[[nodiscard]] std::expected<std::optional<std::string>, ApiError> optionalString(const Json& object,
                                                                                 const char* name,
                                                                                 std::size_t maxChars);
[[nodiscard]] std::expected<std::int64_t, ApiError> requireInt(const Json& object, const char* name,
                                                               std::int64_t min, std::int64_t max);
[[nodiscard]] std::expected<std::optional<std::int64_t>, ApiError> optionalInt(const Json& object,
                                                                               const char* name,
                                                                               std::int64_t min,
                                                                               std::int64_t max);
[[nodiscard]] std::expected<bool, ApiError> optionalBool(const Json& object, const char* name, bool fallback);
/// Refuses any member of `object` not in `allowed` (400 unknown_field).
[[nodiscard]] std::expected<void, ApiError> onlyFields(const Json& object,
                                                       std::initializer_list<std::string_view> allowed);

/// 1-64 characters of [A-Za-z0-9_-] (idempotency keys, kiosk ids up to 32).
[[nodiscard]] bool isToken(std::string_view text, std::size_t maxChars);

[[nodiscard]] std::string sha256Hex(std::string_view text);
/// `bytes` random bytes from the OS CSPRNG, base32 (no padding).
[[nodiscard]] std::string randomBase32(std::size_t bytes);
/// Constant-time equality of two secrets (compares their hashes).
[[nodiscard]] bool secretEquals(std::string_view a, std::string_view b);

/// A voucher code with all but its last two characters hidden ("****-**7K"): enough for a member to
/// tell two vouchers apart, too little to consume one (codes are bearer secrets).
[[nodiscard]] std::string maskedVoucherCode(std::string_view code);

/// Parses a phone the way the API refuses it (422 phone_*).
[[nodiscard]] std::expected<loyalty::PhoneNumber, ApiError> parsePhoneField(std::string_view typed);

/// One member's ledger entries (kinds that count for tiers) newer than `since`: kind, points and at
/// only — what loyalty::tierStatus reads (a claim loads them for every receipt, so no more is fetched).
[[nodiscard]] DbResult<std::vector<loyalty::LedgerEntry>> loadQualifyingEntries(Connection& c,
                                                                                std::int64_t memberId,
                                                                                loyalty::UnixSeconds since);

/// Points expiry (loyalty::dueExpiries over the member's whole ledger): the expiry entries due at
/// `now`. `apply` = false only computes them (for a read); true appends them (idempotent: keyed
/// "expiry:<lot key>") and lowers the balance — call it inside a transaction holding the member row.
/// Returns the points that expired (as a positive number).
[[nodiscard]] DbResult<loyalty::Points> expireDuePoints(Connection& c, std::int64_t memberId,
                                                        unsigned expiryMonths, loyalty::UnixSeconds now,
                                                        bool apply);

/// Tier fields of an answer: tier, tier names, next_tier, progress, next_tier_at, progress_permille,
/// points_to_next_tier.
void addTierFields(Json& out, const loyalty::TierStatus& status, const loyalty::TierRules& rules);

[[nodiscard]] Json rewardToJson(const loyalty::Reward& reward);
/// A reward from the admin JSON (id from the path). Unknown fields refused.
[[nodiscard]] std::expected<loyalty::Reward, ApiError> rewardFromJson(std::string_view id, const Json& body);

/// Refuses a non-admin caller (403 forbidden).
[[nodiscard]] std::expected<void, ApiError> requireAdmin(const Caller& caller);
/// Refuses a caller that is not the kiosk `kioskId` (403 forbidden).
[[nodiscard]] std::expected<void, ApiError> requireKiosk(const Caller& caller, std::string_view kioskId);

}  // namespace central
