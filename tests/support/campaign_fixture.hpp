#pragma once
// The one test campaign. Valid 2000–2099, so points never depend on the day the tests run; 1 point per
// 10.000 ₫ and no promotions. Its fields are the rules tests vary; toml() is the campaign file central
// reads (`campaign_file`) or takes from PUT /v1/admin/campaign.

#include <cstdint>
#include <optional>
#include <string>

namespace test_support {

struct TestCampaign {
    std::string id = "TEST";
    std::string nameVi = "Chương trình thử";
    std::string nameEn = "Test campaign";
    std::int64_t minimumSpendDong = 20'000;
    std::optional<std::int64_t> receiptCapPoints = 5'000;  ///< nullopt: no cap
    std::int64_t signupBonusPoints = 50;
    std::int64_t pointsExpiryMonths = 12;  ///< 0: points never expire
    std::int64_t goldPercent = 125;        ///< tier multipliers (silver is 100)
    std::int64_t diamondPercent = 150;

    /// Exactly floor(amount / 10.000 ₫) points per receipt — no minimum, cap, sign-up bonus, expiry or
    /// tier bonus — so the expected ledger is known without asking central.
    [[nodiscard]] static TestCampaign flat();
    [[nodiscard]] std::string toml() const;
};

}  // namespace test_support
