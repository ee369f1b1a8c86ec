#include "campaign_fixture.hpp"

#include <sstream>

namespace test_support {

TestCampaign TestCampaign::flat() {
    TestCampaign c;
    c.id = "FLAT-TEST";
    c.minimumSpendDong = 0;
    c.receiptCapPoints.reset();
    c.signupBonusPoints = 0;
    c.pointsExpiryMonths = 0;
    c.goldPercent = 100;
    c.diamondPercent = 100;
    return c;
}

std::string TestCampaign::toml() const {
    std::ostringstream out;
    out << "[campaign]\n"
        << "id = \"" << id << "\"\n"
        << "name_vi = \"" << nameVi << "\"\n"
        << "name_en = \"" << nameEn << "\"\n"
        << "valid_from = 2000-01-01\n"
        << "valid_to = 2099-12-31\n"
        << "dong_per_point = 10000\n"
        << "points_per_item = 0\n"
        << "minimum_spend = " << minimumSpendDong << "\n";
    if (receiptCapPoints) out << "receipt_cap = " << *receiptCapPoints << "\n";
    out << "signup_bonus = " << signupBonusPoints << "\n"
        << "receipt_window_days = 30\n"
        << "points_expiry_months = " << pointsExpiryMonths << "\n"
        << "[campaign.tier_multiplier_percent]\n"
        << "silver = 100\n"
        << "gold = " << goldPercent << "\n"
        << "diamond = " << diamondPercent << "\n";
    return out.str();
}

}  // namespace test_support
