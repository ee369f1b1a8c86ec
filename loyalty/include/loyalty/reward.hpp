#pragma once
// The rewards catalog: what points buy. Redeeming one issues a Voucher (voucher.hpp). Whether a member
// may redeem is decided here, purely; central enforces the same decision atomically against its store
// (stock and per-member counts are the store's numbers, passed in).
//
// Values; no I/O; any thread.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/localized_text.hpp"
#include "loyalty/money.hpp"
#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/time.hpp"

namespace loyalty {

inline constexpr std::size_t kMaxRewardIdChars = 16;

/// A reward id: 1-kMaxRewardIdChars characters of [A-Z0-9-] (it travels in the voucher QR).
[[nodiscard]] bool isValidRewardId(std::string_view id);

struct Reward {
    std::string id;  ///< e.g. "CAFE-50K"
    LocalizedText name;
    Points cost = 0;  ///< points spent, 1..kMaxPoints
    Dong value{0};    ///< what the voucher is worth at the POS, 0..kMaxDong (0: a gift, not money)
    /// Vouchers left; none = unlimited. The caller passes the store's current count.
    std::optional<std::uint32_t> stock;
    /// Redeemable from `availableFrom` 00:00:00 to `availableUntil` 23:59:59 Vietnam time, both
    /// inclusive; none = open-ended on that side.
    std::optional<LocalDate> availableFrom;
    std::optional<LocalDate> availableUntil;
    /// How many of this reward one member may redeem in total; none = no limit.
    std::optional<std::uint32_t> perMemberLimit;
    /// A voucher issued on day D is valid through the end of day D + voucherValidityDays (local).
    std::uint32_t voucherValidityDays = 30;
    LocalizedText terms;

    bool operator==(const Reward&) const = default;
};

/// Why a reward cannot be redeemed now. Checked in this order; stable codes for i18n and the API:
///   NotYetAvailable    "reward_not_yet_available"
///   NoLongerAvailable  "reward_no_longer_available"
///   OutOfStock         "reward_out_of_stock"
///   MemberLimitReached "reward_member_limit"
///   InsufficientPoints "reward_insufficient_points"
enum class RedeemRefusal {
    NotYetAvailable,
    NoLongerAvailable,
    OutOfStock,
    MemberLimitReached,
    InsufficientPoints
};

[[nodiscard]] std::string_view redeemRefusalCode(RedeemRefusal refusal);
[[nodiscard]] std::string_view describe(RedeemRefusal refusal);

/// `balance`: the member's spendable (confirmed) points. `alreadyRedeemedByMember`: how many of this
/// reward the member redeemed before.
[[nodiscard]] std::expected<void, RedeemRefusal> checkRedeemable(const Reward& reward, Points balance,
                                                                 std::uint32_t alreadyRedeemedByMember,
                                                                 UnixSeconds now);

struct RewardCatalogError {
    std::string message;  ///< names the offending key, e.g. "rewards[2].cost must be ..."
};

/// Parses a catalog in TOML (assets/config/rewards.toml documents the keys):
///     [[rewards]]
///     id = "CAFE-50K"   name_vi = "…"  name_en = "…"  cost = 500  value = 50000
///     stock = 100 (optional)  available_from = 2026-01-01 (optional)  available_until = … (optional)
///     per_member_limit = 2 (optional)  voucher_validity_days = 30  terms_vi = "…"  terms_en = "…"
/// Refuses missing keys, wrong types, out-of-range values, invalid or duplicate ids.
[[nodiscard]] std::expected<std::vector<Reward>, RewardCatalogError> parseRewardCatalog(
    std::string_view tomlText);

}  // namespace loyalty
