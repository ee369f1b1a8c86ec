#include "ui/view.hpp"

namespace ui {

std::string_view screenName(ScreenId screen) {
    switch (screen) {
        case ScreenId::Attract:
            return "attract";
        case ScreenId::Scan:
            return "scan";
        case ScreenId::Phone:
            return "phone";
        case ScreenId::Consent:
            return "consent";
        case ScreenId::Working:
            return "working";
        case ScreenId::Result:
            return "result";
        case ScreenId::Rewards:
            return "rewards";
        case ScreenId::Otp:
            return "otp";
        case ScreenId::Voucher:
            return "voucher";
        case ScreenId::History:
            return "history";
        case ScreenId::StaffPin:
            return "staff_pin";
        case ScreenId::Maintenance:
            return "maintenance";
        case ScreenId::Game:
            return "game";
        case ScreenId::OptOut:
            return "opt_out";
    }
    return "unknown";
}

const Control* View::control(std::string_view id) const {
    for (const auto& c : controls) {
        if (c.id == id || (!c.hold.empty() && c.hold == id)) {
            return &c;
        }
    }
    const auto colon = id.find(':');
    if (colon == std::string_view::npos) {
        return nullptr;
    }
    for (const auto& c : controls) {
        if (c.id.ends_with(":*") &&
            id.substr(0, colon + 1) == std::string_view(c.id).substr(0, c.id.size() - 1)) {
            return &c;
        }
    }
    return nullptr;
}

}  // namespace ui
