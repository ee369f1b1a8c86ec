// The journey's screens: the view of each step, rebuilt by rebuild() after any change (journey.cpp
// holds the inputs: intents, events, the idle clock).
#include <algorithm>

#include "entry_limits.hpp"
#include "kiosk/journey.hpp"
#include "kiosk/wording.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

/// Rows of refused claims and of vouchers the maintenance screen lists (each with its button): what
/// fits a landscape screen; the count of the others is shown.
constexpr std::size_t kStaffRows = 2;

/// "0901234567" typed so far, grouped as Vietnamese numbers are written: "090 123 4567".
std::string groupPhone(const std::string& digits) {
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i == 3 || i == 6) {
            out += ' ';
        }
        out += digits[i];
    }
    return out;
}

/// The string key of the scanner's advice; empty for None.
std::string_view scanTipKey(ScanTip tip) {
    switch (tip) {
        case ScanTip::None:
            return "";
        case ScanTip::HoldCloser:
            return "scan.tip.closer";
        case ScanTip::HoldStill:
            return "scan.tip.still";
        case ScanTip::TiltAwayFromLight:
            return "scan.tip.glare";
        case ScanTip::FlattenReceipt:
            return "scan.tip.flatten";
    }
    return "";
}

}  // namespace

// ---- the view --------------------------------------------------------------------------------------

std::string Journey::money(loyalty::Dong amount) const {
    return moneyText(amount, m_language);
}

std::string Journey::number(std::int64_t n) const {
    return numberText(n, m_language);
}

const Reward* Journey::reward(const std::string& id) const {
    auto found = std::find_if(m_config.rewards.begin(), m_config.rewards.end(),
                              [&](const Reward& r) { return r.id == id; });
    return found == m_config.rewards.end() ? nullptr : &*found;
}

std::string Journey::rewardTitle(const Reward& r) const {
    return m_language == "en" ? r.titleEn : r.titleVi;
}

void Journey::rebuild() {
    ui::View v;
    v.language = m_language;
    v.revision = m_view.revision + 1;
    switch (m_step) {
        case Step::Attract:
            buildAttract(v);
            break;
        case Step::Scan:
            buildScan(v);
            break;
        case Step::Phone:
            buildPhone(v);
            break;
        case Step::Consent:
            buildConsent(v);
            break;
        case Step::Working:
            v.screen = ui::ScreenId::Working;
            v.title = tr("working.title");
            v.lines.push_back({tr(m_s.workingKey), ui::TextLine::Style::Big});
            break;
        case Step::Result:
            buildResult(v);
            break;
        case Step::Rewards:
            buildRewards(v);
            break;
        case Step::Otp:
            buildOtp(v);
            break;
        case Step::Voucher:
            buildVoucher(v);
            break;
        case Step::History:
            buildHistory(v);
            break;
        case Step::StaffPin:
            buildStaffPin(v);
            break;
        case Step::Maintenance:
            buildMaintenance(v);
            break;
    }
    if (!m_s.messageKey.empty()) {
        v.lines.push_back({tr(m_s.messageKey, m_s.messageArgs), ui::TextLine::Style::Body, ui::Tone::Error});
    }
    v.controls.push_back({"lang", tr("common.other_language")});
    if (m_countdownShown) {
        v.countdown = tr("common.countdown", {{"seconds", std::to_string(*m_countdownShown)}});
    }
    v.status = m_online
                   ? (m_outboxDepth > 0 ? tr("status.syncing", {{"count", std::to_string(m_outboxDepth)}})
                                        : tr("status.online"))
                   : tr("status.offline");
    m_view = std::move(v);
}

void Journey::buildAttract(ui::View& v) const {
    v.screen = ui::ScreenId::Attract;
    v.title = tr("attract.title");
    v.lines.push_back({tr("attract.offer"), ui::TextLine::Style::Big});
    const bool en = m_language == "en";
    if (m_campaignName) {
        v.lines.push_back({en ? m_campaignName->en : m_campaignName->vi, ui::TextLine::Style::Heading});
    }
    for (const auto& promotion : m_promotions) {
        const std::string label = en ? promotion.label.en : promotion.label.vi;
        const std::string times =
            std::to_string(promotion.multiplierPercent / 100) +
            (promotion.multiplierPercent % 100 == 0
                 ? ""
                 : (en ? "." : ",") + std::to_string(promotion.multiplierPercent % 100 / 10));
        v.lines.push_back(
            {promotion.kind == loyalty::Promotion::Kind::Weekend
                 ? tr("attract.promotion_weekend", {{"label", label}, {"times", times}})
                 : tr("attract.promotion_dates", {{"label", label},
                                                  {"times", times},
                                                  {"from", loyalty::formatLocalDateVi(promotion.from)},
                                                  {"to", loyalty::formatLocalDateVi(promotion.to)}}),
             ui::TextLine::Style::Body, ui::Tone::Good});
    }
    v.cameraPreview = false;
    v.controls.push_back({"start", tr("attract.start"), ui::Control::Kind::Button, true, true});
    if (!m_config.staffPin.empty()) {
        v.controls.push_back({"staff", "", ui::Control::Kind::Hidden});
    }
}

void Journey::buildScan(ui::View& v) const {
    v.screen = ui::ScreenId::Scan;
    v.title = tr("scan.title");
    v.lines.push_back({tr("scan.hint"), ui::TextLine::Style::Body});
    if (const std::string_view tip = scanTipKey(m_scanTip); !tip.empty()) {
        v.lines.push_back({tr(tip), ui::TextLine::Style::Body, ui::Tone::Warning});
    }
    if (m_scanHelp) {
        v.lines.push_back({tr("scan.help"), ui::TextLine::Style::Body, ui::Tone::Warning});
    }
    v.cameraPreview = true;
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::addKeypad(ui::View& v, bool okEnabled) const {
    for (char d = '1'; d <= '9'; ++d) {
        v.controls.push_back({std::string("key:") + d, std::string(1, d), ui::Control::Kind::Key});
    }
    v.controls.push_back({"key:del", tr("keypad.delete"), ui::Control::Kind::Key});
    v.controls.push_back({"key:0", "0", ui::Control::Kind::Key});
    v.controls.push_back({"ok", tr("keypad.ok"), ui::Control::Kind::Key, okEnabled, true});
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::buildPhone(ui::View& v) const {
    v.screen = ui::ScreenId::Phone;
    v.title = tr("phone.title");
    if (m_s.receipt) {
        v.lines.push_back({tr("phone.receipt", {{"amount", money(m_s.receipt->amount)}}),
                           ui::TextLine::Style::Body, ui::Tone::Good});
    }
    v.lines.push_back({tr("phone.hint"), ui::TextLine::Style::Body});
    v.entry = groupPhone(m_s.digits);
    addKeypad(v, m_s.digits.size() == kPhoneDigits);
}

void Journey::buildConsent(ui::View& v) const {
    v.screen = ui::ScreenId::Consent;
    v.title = tr("consent.title");
    v.lines.push_back({tr("consent.phone", {{"phone", m_s.phone ? m_s.phone->masked() : ""}}),
                       ui::TextLine::Style::Heading});
    if (!m_s.memberKnown) {
        v.lines.push_back({tr("consent.offline_note"), ui::TextLine::Style::Small});
    }
    v.lines.push_back({tr("consent.text"), ui::TextLine::Style::Body});
    v.lines.push_back(
        {tr("consent.version", {{"version", m_config.consentTextVersion}}), ui::TextLine::Style::Small});
    ui::Control join{"consent:join", tr("consent.join"), ui::Control::Kind::Checkbox};
    join.checked = m_s.consentJoin;
    ui::Control marketing{"consent:marketing", tr("consent.marketing"), ui::Control::Kind::Checkbox};
    marketing.checked = m_s.consentMarketing;
    v.controls.push_back(join);
    v.controls.push_back(marketing);
    v.controls.push_back({"ok", tr("consent.accept"), ui::Control::Kind::Button, m_s.consentJoin, true});
    v.controls.push_back({"back", tr("common.back")});
}

ui::TierCard Journey::tierCard(const Member& member) const {
    ui::TierCard card;
    card.tierId = member.tier;
    const std::string& centralName = member.tierName.in(language());
    card.name =
        centralName.empty() ? errorText("tier.", member.tier + ".name", "tier.unknown.name") : centralName;
    if (member.nextTier.empty()) {
        card.progress = 1.0F;
        card.progressText = tr("tier.top");
    } else {
        card.progress = std::clamp(static_cast<float>(member.progressPermille) / 1000.0F, 0.0F, 1.0F);
        card.progressText = tr(
            "tier.progress", {{"left", number(std::max<std::int64_t>(0, member.pointsToNextTier))},
                              {"next", errorText("tier.", member.nextTier + ".name", "tier.unknown.name")}});
    }
    for (int i = 1; i <= 3; ++i) {
        const std::string key = "tier." + member.tier + ".benefit" + std::to_string(i);
        if ((m_language == "en" ? m_en : m_vi).has(key)) {
            card.benefits.push_back(tr(key));
        }
    }
    return card;
}

void Journey::buildResult(ui::View& v) const {
    v.screen = ui::ScreenId::Result;
    v.title = tr("result.title");
    const std::string masked = m_s.phone ? m_s.phone->masked() : "";
    v.lines.push_back({tr("result.member", {{"phone", masked}}), ui::TextLine::Style::Heading});
    const bool accepted = m_s.settled && m_s.settled->status == ClaimOutcome::Status::Accepted;
    const bool refused = m_s.settled && m_s.settled->status == ClaimOutcome::Status::Refused;
    if (accepted) {
        v.lines.push_back({tr("result.earned", {{"points", number(m_s.settled->pointsEarned)}}),
                           ui::TextLine::Style::Big, ui::Tone::Good});
        for (const auto& line : m_s.settled->breakdown) {
            // Central words its own rules (campaign names change without a kiosk release); the kind's
            // generic text is the fallback.
            std::string label = line.label.in(language());
            if (label.empty()) {
                label = errorText("breakdown.", line.kind, "breakdown.other");
            }
            v.lines.push_back(
                {tr("result.breakdown_line", {{"label", label}, {"points", number(line.points)}}),
                 ui::TextLine::Style::Body});
        }
        const std::int64_t balance = m_s.member ? m_s.member->balance : m_s.settled->balance;
        v.lines.push_back(
            {tr("result.balance", {{"points", number(balance)}}), ui::TextLine::Style::Heading});
    } else if (refused) {
        // Central's own wording says when and where a receipt was claimed; ours is the fallback.
        const std::string& reason = m_s.settled->reason.in(language());
        v.lines.push_back(
            {reason.empty() ? errorText("claim.error.", m_s.settled->code, "claim.error.other") : reason,
             ui::TextLine::Style::Big, ui::Tone::Error});
    } else {
        v.lines.push_back({m_s.provisional
                               ? tr("result.pending_points", {{"points", number(*m_s.provisional)}})
                               : tr("result.pending"),
                           ui::TextLine::Style::Big, ui::Tone::Warning});
        v.lines.push_back({tr("result.pending_note"), ui::TextLine::Style::Body});
        if (m_s.member) {
            v.lines.push_back({tr("result.balance", {{"points", number(m_s.member->balance)}}),
                               ui::TextLine::Style::Heading});
        }
    }
    if (m_s.member && !m_s.member->tier.empty()) {
        v.tier = tierCard(*m_s.member);
    }
    // Not while the consent receipt prints: the printer answers one question at a time.
    const bool canSpend =
        m_online && m_s.member.has_value() && !m_config.rewards.empty() && m_pending == Pending::None;
    v.controls.push_back({"rewards", tr("result.rewards"), ui::Control::Kind::Button, canSpend});
    v.controls.push_back(
        {"history", tr("result.history"), ui::Control::Kind::Button, m_s.member.has_value()});
    if (m_s.consentAt > 0) {
        // Only a shopper who gave consent in this very session: a returning member gave it earlier.
        const bool printing =
            m_pending == Pending::PrinterBeforeConsent || m_pending == Pending::PrintConsent;
        if (printing) {
            v.lines.push_back({tr("result.consent_printing"), ui::TextLine::Style::Small});
        } else if (m_s.consentPrint && m_s.consentPrint->empty()) {
            v.lines.push_back({tr("result.consent_printed"), ui::TextLine::Style::Body, ui::Tone::Good});
        } else if (m_s.consentPrint) {
            v.lines.push_back({tr("result.consent_print_failed",
                                  {{"problem", errorText("staff.printer_problem.", *m_s.consentPrint,
                                                         "staff.printer_problem.other")}}),
                               ui::TextLine::Style::Body, ui::Tone::Error});
        }
        v.controls.push_back({"print_consent", tr("result.print_consent"), ui::Control::Kind::Button,
                              m_pending == Pending::None});
    }
    v.controls.push_back({"done", tr("result.done"), ui::Control::Kind::Button, true, true});
}

void Journey::buildRewards(ui::View& v) const {
    v.screen = ui::ScreenId::Rewards;
    v.title = tr("rewards.title");
    const std::int64_t balance = m_s.member ? m_s.member->balance : 0;
    v.lines.push_back({tr("result.balance", {{"points", number(balance)}}), ui::TextLine::Style::Heading});
    const bool printerProblem = m_s.messageKey.starts_with("printer.problem.");
    for (const auto& r : m_config.rewards) {
        ui::Control c{"reward:" + r.id, rewardTitle(r), ui::Control::Kind::Button,
                      balance >= r.points && !printerProblem};
        c.detail = balance >= r.points ? tr("rewards.cost", {{"points", number(r.points)}})
                                       : tr("rewards.cost_short", {{"points", number(r.points - balance)}});
        v.controls.push_back(std::move(c));
    }
    v.controls.push_back({"back", tr("common.back")});
}

void Journey::buildOtp(ui::View& v) const {
    v.screen = ui::ScreenId::Otp;
    v.title = tr("otp.title");
    v.lines.push_back(
        {tr("otp.hint", {{"phone", m_s.phone ? m_s.phone->masked() : ""}}), ui::TextLine::Style::Body});
    std::string shown = m_s.digits;
    shown.append(kOtpDigits - m_s.digits.size(), '_');
    v.entry = shown;
    addKeypad(v, m_s.digits.size() == kOtpDigits);
}

void Journey::buildVoucher(ui::View& v) const {
    v.screen = ui::ScreenId::Voucher;
    v.title = tr("voucher.title");
    if (m_s.voucher) {
        if (m_s.printProblem.empty()) {
            v.lines.push_back({tr("voucher.printed"), ui::TextLine::Style::Big, ui::Tone::Good});
            v.lines.push_back(
                {tr("voucher.code", {{"code", m_s.voucher->voucher.code}}), ui::TextLine::Style::Heading});
        } else {
            v.lines.push_back({tr("voucher.print_failed"), ui::TextLine::Style::Big, ui::Tone::Error});
            v.lines.push_back({errorText("printer.problem.", m_s.printProblem, "printer.problem.other"),
                               ui::TextLine::Style::Body});
            v.lines.push_back(
                {tr("voucher.safe", {{"code", m_s.voucher->voucher.code}}), ui::TextLine::Style::Heading});
        }
        v.lines.push_back(
            {tr("result.balance", {{"points", number(m_s.voucher->balance)}}), ui::TextLine::Style::Body});
    }
    // After a failed print the screen has just said rewards cannot print: it offers no more of them.
    if (m_s.printProblem.empty()) {
        v.controls.push_back({"back", tr("voucher.more")});
    }
    v.controls.push_back({"done", tr("result.done"), ui::Control::Kind::Button, true, true});
}

void Journey::buildHistory(ui::View& v) const {
    v.screen = ui::ScreenId::History;
    v.title = tr("history.title");
    if (m_s.member) {
        if (m_s.member->history.empty()) {
            v.lines.push_back({tr("history.empty"), ui::TextLine::Style::Body});
        }
        for (const auto& h : m_s.member->history) {
            const std::string kind = errorText("history.kind.", h.kind, "history.kind.other");
            v.lines.push_back(
                {tr("history.line", {{"date", loyalty::formatLocalDateVi(loyalty::localDate(h.at))},
                                     {"kind", kind},
                                     {"points", (h.points > 0 ? "+" : "") + number(h.points)},
                                     {"text", h.description}}),
                 ui::TextLine::Style::Body, h.points >= 0 ? ui::Tone::Good : ui::Tone::Normal});
        }
    }
    v.controls.push_back({"back", tr("common.back"), ui::Control::Kind::Button, true, true});
}

void Journey::buildStaffPin(ui::View& v) const {
    v.screen = ui::ScreenId::StaffPin;
    v.title = tr("staff.pin_title");
    v.lines.push_back({tr("staff.pin_hint"), ui::TextLine::Style::Body});
    v.entry = std::string(m_s.digits.size(), '*');
    addKeypad(v, m_s.digits.size() >= kStaffPinMinDigits);
}

void Journey::addStaffVouchers(ui::View& v, const StaffReport* report) const {
    const std::size_t vouchers = report != nullptr ? report->vouchers.size() : 0;
    v.lines.push_back({tr("staff.vouchers"), ui::TextLine::Style::Heading});
    if (vouchers == 0) {
        v.lines.push_back({tr("staff.none"), ui::TextLine::Style::Small});
    }
    // A reprint waits for a known printer status and for any job under way.
    const bool canPrint = m_pending == Pending::None && m_staff.printerProblem.has_value();
    for (std::size_t i = 0; i < std::min(vouchers, kStaffRows); ++i) {
        const KeptVoucher& kept = report->vouchers[i];
        const Voucher& voucher = kept.voucher;
        v.lines.push_back({tr("staff.voucher_line",
                              {{"code", voucher.code},
                               {"title", m_language == "en" && !voucher.title.en.empty() ? voucher.title.en
                                                                                         : voucher.title.vi},
                               {"time", timeAndDateText(voucher.issuedAt)},
                               {"printed", kept.printed ? tr("staff.printed") : tr("staff.not_printed")}}),
                           ui::TextLine::Style::Small, kept.printed ? ui::Tone::Normal : ui::Tone::Warning});
        v.controls.push_back({"reprint:" + voucher.code, tr("staff.reprint", {{"code", voucher.code}}),
                              ui::Control::Kind::Button, canPrint});
    }
    if (vouchers > kStaffRows) {
        v.lines.push_back(
            {tr("staff.more", {{"count", number(static_cast<std::int64_t>(vouchers - kStaffRows))}}),
             ui::TextLine::Style::Small});
    }
}

void Journey::buildMaintenance(ui::View& v) const {
    v.screen = ui::ScreenId::Maintenance;
    v.title = tr("staff.title");
    const StaffReport* report = m_staff.report ? &*m_staff.report : nullptr;
    const std::string ok = tr("staff.ok");
    v.lines.push_back(
        {tr("staff.camera", {{"state", report == nullptr               ? tr("staff.checking")
                                       : report->cameraProblem.empty() ? ok
                                                                       : report->cameraProblem}}),
         ui::TextLine::Style::Body,
         report != nullptr && !report->cameraProblem.empty() ? ui::Tone::Error : ui::Tone::Normal});
    v.lines.push_back(
        {tr("staff.printer", {{"state", !m_staff.printerProblem ? tr("staff.checking")
                                        : m_staff.printerProblem->empty()
                                            ? ok
                                            : errorText("staff.printer_problem.", *m_staff.printerProblem,
                                                        "staff.printer_problem.other")}}),
         ui::TextLine::Style::Body,
         m_staff.printerProblem && !m_staff.printerProblem->empty() ? ui::Tone::Error : ui::Tone::Normal});
    // A kiosk without a credential sends nothing but its enrollment: that, not "online", is what staff
    // need to read; a refused code needs them (a new code in the configuration).
    const bool refused = m_enrollment == Enrollment::Refused;
    const std::string syncState = refused                               ? tr("staff.enrollment_refused")
                                  : m_enrollment == Enrollment::Pending ? tr("staff.enrolling")
                                  : m_online                            ? tr("staff.online")
                                                                        : tr("staff.offline");
    v.lines.push_back(
        {tr("staff.sync", {{"state", syncState},
                           {"count", number(report != nullptr ? report->outboxDepth : m_outboxDepth)},
                           {"last", m_lastSync ? timeAndDateText(*m_lastSync) : tr("staff.never")}}),
         ui::TextLine::Style::Body,
         refused    ? ui::Tone::Error
         : m_online ? ui::Tone::Normal
                    : ui::Tone::Warning});
    if (m_staff.reportFailed) {
        v.lines.push_back({tr("staff.store_failed"), ui::TextLine::Style::Body, ui::Tone::Error});
    }

    const std::size_t refusals = report != nullptr ? report->refusals.size() : 0;
    v.lines.push_back({tr("staff.refusals", {{"count", number(static_cast<std::int64_t>(refusals))}}),
                       ui::TextLine::Style::Heading});
    for (std::size_t i = 0; i < std::min(refusals, kStaffRows); ++i) {
        const Refusal& r = report->refusals[i];
        // Phones stay masked, for staff too; a stored number that no longer parses shows nothing.
        const auto phone = loyalty::parsePhone(r.phone, *m_config.phonePolicy);
        // Our wording of central's code where we have one (a receipt-token refusal is worded like the
        // Scan screen's); central's own reason otherwise.
        const auto& strings = m_language == "en" ? m_en : m_vi;
        const std::string reason = strings.has("claim.error." + r.code)  ? tr("claim.error." + r.code)
                                   : strings.has("scan.error." + r.code) ? tr("scan.error." + r.code)
                                                                         : r.reason;
        v.lines.push_back({tr("staff.refusal_line", {{"receipt", r.receiptId},
                                                     {"phone", phone ? phone->masked() : "—"},
                                                     {"points", number(r.provisionalPoints)},
                                                     {"time", timeAndDateText(r.refusedAt)},
                                                     {"reason", reason}}),
                           ui::TextLine::Style::Small, ui::Tone::Warning});
        v.controls.push_back(
            {"ack:" + std::to_string(r.id), tr("staff.acknowledge", {{"receipt", r.receiptId}})});
    }
    if (refusals > kStaffRows) {
        v.lines.push_back(
            {tr("staff.more", {{"count", number(static_cast<std::int64_t>(refusals - kStaffRows))}}),
             ui::TextLine::Style::Small});
    }

    addStaffVouchers(v, report);
    if (!m_staff.noticeKey.empty()) {
        v.lines.push_back(
            {tr(m_staff.noticeKey, m_staff.noticeArgs), ui::TextLine::Style::Body, m_staff.noticeTone});
    }
    v.controls.push_back({"back", tr("staff.exit"), ui::Control::Kind::Button, true, true});
}

}  // namespace kiosk
