// The one registration of every step: its id and the function making it (defined beside the step).
#include "kiosk/step.hpp"

namespace kiosk {

std::unique_ptr<Step> makeAttractStep();
std::unique_ptr<Step> makeScanStep();
std::unique_ptr<Step> makePhoneStep();
std::unique_ptr<Step> makeConsentStep();
std::unique_ptr<Step> makeResultStep();
std::unique_ptr<Step> makeHistoryStep();
std::unique_ptr<Step> makeRewardsStep();
std::unique_ptr<Step> makeOtpStep();
std::unique_ptr<Step> makeVoucherStep();
std::unique_ptr<Step> makeStaffPinStep();
std::unique_ptr<Step> makeMaintenanceStep();
std::unique_ptr<Step> makePaperChangeStep();
std::unique_ptr<Step> makeGameStep();
std::unique_ptr<Step> makeBuyPlayStep();
std::unique_ptr<Step> makeOptOutStep();

std::map<StepId, std::unique_ptr<Step>> makeSteps() {
    std::map<StepId, std::unique_ptr<Step>> steps;
    steps.emplace(StepId::Attract, makeAttractStep());
    steps.emplace(StepId::Scan, makeScanStep());
    steps.emplace(StepId::Phone, makePhoneStep());
    steps.emplace(StepId::Consent, makeConsentStep());
    steps.emplace(StepId::Result, makeResultStep());
    steps.emplace(StepId::History, makeHistoryStep());
    steps.emplace(StepId::Rewards, makeRewardsStep());
    steps.emplace(StepId::Otp, makeOtpStep());
    steps.emplace(StepId::Voucher, makeVoucherStep());
    steps.emplace(StepId::StaffPin, makeStaffPinStep());
    steps.emplace(StepId::Maintenance, makeMaintenanceStep());
    steps.emplace(StepId::PaperChange, makePaperChangeStep());
    steps.emplace(StepId::Game, makeGameStep());
    steps.emplace(StepId::BuyPlay, makeBuyPlayStep());
    steps.emplace(StepId::OptOut, makeOptOutStep());
    return steps;
}

}  // namespace kiosk
