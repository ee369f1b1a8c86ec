// What the journey lends its steps (StepContext) and the pieces several steps draw alike: the Working
// screen and the digit keypad.
#include <algorithm>

#include "kiosk/step.hpp"
#include "kiosk/wording.hpp"

namespace kiosk {

std::string StepContext::tr(std::string_view key, const TextArgs& args) const {
    return strings().text(key, args);
}

bool StepContext::has(std::string_view key) const {
    return strings().has(key);
}

std::string StepContext::trCode(std::string_view prefix, const std::string& code,
                                std::string_view fallbackKey) const {
    const std::string key = std::string(prefix) + code;
    return has(key) ? tr(key) : tr(fallbackKey);
}

std::string StepContext::number(std::int64_t n) const {
    return numberText(n, m_language);
}

std::string StepContext::money(loyalty::Dong amount) const {
    return moneyText(amount, m_language);
}

void StepContext::lockStaff() {
    m_staffLockedUntil = m_now.mono + kStaffLockout;
    m_wipe = true;
}

void recordStaffAction(StepContext& ctx, std::string action, std::string detail) {
    if (const auto& staff = ctx.session().staff) {
        ctx.emit(RecordStaffAction{staff->id, std::move(action), std::move(detail)});
    }
}

std::string printerProblemText(const StepContext& ctx, const std::string& problem) {
    return ctx.trCode("staff.printer_problem.", problem, "staff.printer_problem.other");
}

void StepContext::setMessage(std::string key, TextArgs args) {
    m_session.messageKey = std::move(key);
    m_session.messageArgs = std::move(args);
}

void StepContext::rememberClaimed(const std::string& receiptId) {
    // A few days of a busy kiosk; older receipts are the outbox's to refuse.
    constexpr std::size_t kClaimsRemembered = 5'000;
    if (claimedHere(receiptId)) {
        return;
    }
    m_claimedHere.push_back(receiptId);
    if (m_claimedHere.size() > kClaimsRemembered) {
        m_claimedHere.pop_front();
    }
}

bool StepContext::claimedHere(const std::string& receiptId) const {
    return std::find(m_claimedHere.begin(), m_claimedHere.end(), receiptId) != m_claimedHere.end();
}

const Reward* StepContext::reward(const std::string& id) const {
    const auto& rewards = m_config.rewards;
    auto found = std::find_if(rewards.begin(), rewards.end(), [&](const Reward& r) { return r.id == id; });
    return found == rewards.end() ? nullptr : &*found;
}

void presentWorking(const StepContext& ctx, ui::View& view, std::string_view key) {
    view.screen = ui::ScreenId::Working;
    view.title = ctx.tr("working.title");
    view.lines.push_back({ctx.tr(key), ui::TextLine::Style::Big});
    view.spinner = 0.0F;  // the journey turns it with its clock (Journey::rebuild)
}

std::string refusalText(const StepContext& ctx, const std::string& code) {
    // A receipt-token or phone refusal is worded like the Scan or Phone screen's.
    for (const std::string_view prefix : {"claim.error.", "scan.error.", "phone.error."}) {
        if (const std::string key = std::string(prefix) + code; ctx.has(key)) {
            return ctx.tr(key);
        }
    }
    return ctx.tr("claim.error.other");
}

void addKeypad(const StepContext& ctx, ui::View& view, bool okEnabled) {
    for (char d = '1'; d <= '9'; ++d) {
        view.controls.push_back({encodeIntent(Digit{d}), std::string(1, d), ui::Control::Kind::Key});
    }
    ui::Control del{encodeIntent(Action::Delete), ctx.tr("keypad.delete"), ui::Control::Kind::Key};
    del.hold = encodeIntent(Action::Clear);
    view.controls.push_back(del);
    view.controls.push_back({encodeIntent(Digit{'0'}), "0", ui::Control::Kind::Key});
    view.controls.push_back(
        {encodeIntent(Action::Ok), ctx.tr("keypad.ok"), ui::Control::Kind::Key, okEnabled, true});
    view.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
}

bool typeKey(StepContext& ctx, const Intent& intent, std::size_t maxDigits) {
    std::string& digits = ctx.session().digits;
    if (const auto* digit = std::get_if<Digit>(&intent)) {
        if (digits.size() < maxDigits) {
            digits += digit->digit;
        }
    } else if (intent == Intent{Action::Delete}) {
        if (!digits.empty()) {
            digits.pop_back();
        }
    } else if (intent == Intent{Action::Clear}) {
        digits.clear();
    } else {
        return false;
    }
    ctx.setMessage("");
    return true;
}

}  // namespace kiosk
