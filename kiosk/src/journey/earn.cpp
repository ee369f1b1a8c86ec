// The earn flow: Attract → Scan → Phone → (Consent) → Result (result.cpp). Each step is one class.
#include "kiosk/step.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

/// A receipt not read after this long on the Scan screen gets the shopper a tip (flatten it, ...).
constexpr std::chrono::milliseconds kScanHelpAfter{8'000};

/// Digits a phone number typed with the country code ("84 90 123 4567") has; national ones have
/// kPhoneDigits ("090 123 4567").
constexpr std::size_t kPhoneDigitsWith84 = kPhoneDigits + 1;

bool withCountryCode(const std::string& digits) {
    return digits.starts_with("84");
}

/// How many digits the number being typed needs in all.
std::size_t phoneDigitsNeeded(const std::string& digits) {
    return withCountryCode(digits) ? kPhoneDigitsWith84 : kPhoneDigits;
}

/// "0901234567" typed so far, grouped as Vietnamese numbers are written: "090 123 4567"; with the
/// country code "84 901 234 567".
std::string groupPhone(const std::string& digits) {
    if (withCountryCode(digits)) {
        return "84" + (digits.size() > 2 ? " " + groupPhone(digits.substr(2)) : "");
    }
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

/// A scanned code on Attract or Scan: a valid receipt starts the Phone step, anything else is said why.
void takeReceipt(StepContext& ctx, const std::string& text, bool onAttract) {
    const JourneyConfig& config = ctx.config();
    auto receipt = loyalty::verifyReceiptToken(text, config.keyring, ctx.now().wall, config.verifyPolicy);
    if (!receipt) {
        // Another QR (a payment code, a URL) on the attract screen is noise, not a refused receipt.
        if (onAttract && receipt.error() == loyalty::TokenError::NotAReceiptToken) {
            return;
        }
        ctx.setMessage("scan.error." + std::string(loyalty::tokenErrorCode(receipt.error())));
        ctx.go(StepId::Scan);
        return;
    }
    if (ctx.claimedHere(receipt->id())) {
        ctx.setMessage("scan.error.already_claimed_here");
        ctx.go(StepId::Scan);
        return;
    }
    Session& s = ctx.session();
    s.receipt = *receipt;
    s.token = text;
    s.provisional = config.estimatePoints ? config.estimatePoints(*receipt) : std::nullopt;
    s.digits.clear();
    ctx.setMessage("");
    ctx.go(StepId::Phone);
}

class AttractStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Start} && !ctx.service().outOfService) {
            ctx.go(StepId::Scan);
        }
    }
    void event(StepContext& ctx, const Event& event) override {
        if (const auto* scan = std::get_if<CodeScanned>(&event)) {
            takeReceipt(ctx, scan->text, true);
        }
    }
    [[nodiscard]] bool wantsCamera() const override { return true; }
    void present(const StepContext& ctx, ui::View& v) const override {
        v.screen = ui::ScreenId::Attract;
        if (ctx.service().outOfService) {
            presentOutOfService(ctx, v);
            return;
        }
        v.title = ctx.tr("attract.title");
        v.lines.push_back({ctx.tr("attract.offer"), ui::TextLine::Style::Big});
        v.lines.push_back({ctx.tr("attract.hold." + ctx.config().cameraAt), ui::TextLine::Style::Body});
        v.cameraAt = ctx.config().cameraAt;
        const Advert& advert = ctx.advert();
        const bool en = ctx.languageCode() == "en";
        if (advert.campaignName) {
            v.lines.push_back({ctx.in(*advert.campaignName), ui::TextLine::Style::Heading});
        }
        for (const auto& promotion : advert.promotions) {
            const std::string& label = ctx.in(promotion.label);
            const std::string times =
                std::to_string(promotion.multiplierPercent / 100) +
                (promotion.multiplierPercent % 100 == 0
                     ? ""
                     : (en ? "." : ",") + std::to_string(promotion.multiplierPercent % 100 / 10));
            v.lines.push_back({promotion.kind == loyalty::Promotion::Kind::Weekend
                                   ? ctx.tr("attract.promotion_weekend", {{"label", label}, {"times", times}})
                                   : ctx.tr("attract.promotion_dates",
                                            {{"label", label},
                                             {"times", times},
                                             {"from", loyalty::formatLocalDateVi(promotion.from)},
                                             {"to", loyalty::formatLocalDateVi(promotion.to)}}),
                               ui::TextLine::Style::Body, ui::Tone::Good});
        }
        v.cameraPreview = false;
        v.controls.push_back(
            {encodeIntent(Action::Start), ctx.tr("attract.start"), ui::Control::Kind::Button, true, true});
        addStaffCorner(ctx, v);
    }

  private:
    static void addStaffCorner(const StepContext& ctx, ui::View& v) {
        if (ctx.staffMode()) {
            v.controls.push_back({encodeIntent(Action::Staff), "", ui::Control::Kind::Hidden});
        }
    }
    /// Head office's or the staff's message (the kiosk's own words when they gave none); no start
    /// button, no scanning; staff can still open maintenance.
    static void presentOutOfService(const StepContext& ctx, ui::View& v) {
        v.title = ctx.tr("attract.out_of_service_title");
        const std::string& message = ctx.in(ctx.service().message);
        v.lines.push_back({message.empty() ? ctx.tr("attract.out_of_service") : message,
                           ui::TextLine::Style::Big, ui::Tone::Warning});
        v.cameraPreview = false;
        addStaffCorner(ctx, v);
    }
};

class ScanStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Back}) {
            ctx.wipe();
        }
    }
    void event(StepContext& ctx, const Event& event) override {
        if (const auto* scan = std::get_if<CodeScanned>(&event)) {
            takeReceipt(ctx, scan->text, false);
        } else if (const auto* tip = std::get_if<ScanTipChanged>(&event)) {
            m_tip = tip->tip;
        }
    }
    [[nodiscard]] bool wantsCamera() const override { return true; }
    [[nodiscard]] std::optional<std::chrono::milliseconds> changesAfterIdle() const override {
        return kScanHelpAfter;
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        v.screen = ui::ScreenId::Scan;
        v.title = ctx.tr("scan.title");
        v.lines.push_back({ctx.tr("scan.hint"), ui::TextLine::Style::Body});
        if (const std::string_view tip = scanTipKey(m_tip); !tip.empty()) {
            v.lines.push_back({ctx.tr(tip), ui::TextLine::Style::Body, ui::Tone::Warning});
        }
        if (ctx.idleFor() >= kScanHelpAfter) {
            v.lines.push_back({ctx.tr("scan.help"), ui::TextLine::Style::Body, ui::Tone::Warning});
        }
        v.cameraPreview = true;
        v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
    }

  private:
    ScanTip m_tip = ScanTip::None;  ///< the scanner's latest advice
};

/// The phone number, then central's lookup of the member (shown as Working while it is asked).
class PhoneStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        Session& s = ctx.session();
        if (typeKey(ctx, intent, phoneDigitsNeeded(s.digits))) {
            return;
        }
        if (intent == Intent{Action::Ok} && s.digits.size() >= phoneDigitsNeeded(s.digits)) {
            submit(ctx);
        } else if (intent == Intent{Action::Back}) {
            s.digits.clear();
            ctx.setMessage("");
            ctx.go(StepId::Scan);
        }
    }
    void event(StepContext& ctx, const Event& event) override {
        const auto* looked = std::get_if<MemberLookedUp>(&event);
        if (looked == nullptr) {
            return;
        }
        Session& s = ctx.session();
        // Also the refresh after the claim settled (new balance, tier, history), which nobody waits for.
        if (looked->result && *looked->result) {
            s.member = **looked->result;
        }
        if (looked->result) {
            s.memberKnown = true;
        }
        if (!m_lookingUp) {
            return;
        }
        m_lookingUp = false;
        if (looked->result && *looked->result) {
            // A returning member: the claim goes straight in, no question asked.
            s.claimConsented = false;
            ctx.go(StepId::Result);
            return;
        }
        // Unknown to central, or central unreachable: the shopper decides about joining.
        s.consentJoin = false;
        s.consentMarketing = false;
        ctx.go(StepId::Consent);
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        if (m_lookingUp) {
            presentWorking(ctx, v, "working.checking");
            return;
        }
        const Session& s = ctx.session();
        v.screen = ui::ScreenId::Phone;
        v.title = ctx.tr("phone.title");
        if (s.receipt) {
            v.lines.push_back({ctx.tr("phone.receipt", {{"amount", ctx.money(s.receipt->amount)}}),
                               ui::TextLine::Style::Body, ui::Tone::Good});
        }
        v.lines.push_back({ctx.tr("phone.hint"), ui::TextLine::Style::Body});
        v.lines.push_back({ctx.tr("phone.format"), ui::TextLine::Style::Small});
        const std::size_t needed = phoneDigitsNeeded(s.digits);
        if (!s.digits.empty() && s.digits.size() < needed) {
            // Why OK is not enabled yet, in words.
            v.lines.push_back(
                {ctx.tr("phone.digits_left", {{"count", std::to_string(needed - s.digits.size())},
                                              {"total", std::to_string(needed)}}),
                 ui::TextLine::Style::Body, ui::Tone::Warning});
        }
        v.entry = groupPhone(s.digits);
        addKeypad(ctx, v, s.digits.size() >= needed);
    }

  private:
    void submit(StepContext& ctx) {
        Session& s = ctx.session();
        auto phone = loyalty::parsePhone(s.digits, *ctx.config().phonePolicy);
        if (!phone) {
            ctx.setMessage("phone.error." + std::string(loyalty::phoneErrorCode(phone.error())));
            return;
        }
        s.phone = *phone;
        s.digits.clear();
        ctx.setMessage("");
        m_lookingUp = true;
        ctx.emit(LookupMember{ctx.sessionId(), s.phone->national()});
    }

    bool m_lookingUp = false;
};

class ConsentStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        Session& s = ctx.session();
        if (intent == Intent{Action::ConsentJoin}) {
            s.consentJoin = !s.consentJoin;
        } else if (intent == Intent{Action::ConsentMarketing}) {
            s.consentMarketing = !s.consentMarketing;
        } else if (intent == Intent{Action::Ok} && s.consentJoin) {
            s.consentAt = ctx.now().wall;
            s.claimConsented = true;
            ctx.go(StepId::Result);
        } else if (intent == Intent{Action::AlreadyMember} && !s.memberKnown) {
            // Central could not say: a member's claim needs no consent; were the shopper new after all,
            // central refuses the claim (consent_required) and the Result screen says so.
            s.consentJoin = false;
            s.consentMarketing = false;
            s.claimConsented = false;
            ctx.go(StepId::Result);
        } else if (intent == Intent{Action::Back}) {
            ctx.go(StepId::Phone);
        }
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        const Session& s = ctx.session();
        v.screen = ui::ScreenId::Consent;
        v.title = ctx.tr("consent.title");
        v.lines.push_back({ctx.tr("consent.phone", {{"phone", s.phone ? s.phone->masked() : ""}}),
                           ui::TextLine::Style::Heading});
        if (!s.memberKnown) {
            // "Offline" only when the sync state says so; a lookup that failed online is said as such.
            v.lines.push_back({ctx.tr(ctx.sync().online ? "consent.unchecked_note" : "consent.offline_note"),
                               ui::TextLine::Style::Body, ui::Tone::Warning});
        }
        v.lines.push_back({ctx.tr("consent.text"), ui::TextLine::Style::Body});
        v.lines.push_back({ctx.tr("consent.version", {{"version", ctx.config().consentTextVersion}}),
                           ui::TextLine::Style::Small});
        ui::Control join{encodeIntent(Action::ConsentJoin), ctx.tr("consent.join"),
                         ui::Control::Kind::Checkbox};
        join.checked = s.consentJoin;
        ui::Control marketing{encodeIntent(Action::ConsentMarketing), ctx.tr("consent.marketing"),
                              ui::Control::Kind::Checkbox};
        marketing.checked = s.consentMarketing;
        v.controls.push_back(join);
        v.controls.push_back(marketing);
        v.controls.push_back({encodeIntent(Action::Ok), ctx.tr("consent.accept"), ui::Control::Kind::Button,
                              s.consentJoin, true});
        if (!s.memberKnown) {
            v.controls.push_back({encodeIntent(Action::AlreadyMember), ctx.tr("consent.already_member")});
        }
        v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
    }
};

}  // namespace

std::unique_ptr<Step> makeAttractStep() {
    return std::make_unique<AttractStep>();
}
std::unique_ptr<Step> makeScanStep() {
    return std::make_unique<ScanStep>();
}
std::unique_ptr<Step> makePhoneStep() {
    return std::make_unique<PhoneStep>();
}
std::unique_ptr<Step> makeConsentStep() {
    return std::make_unique<ConsentStep>();
}

}  // namespace kiosk
