// The spend flow: Rewards → Voucher (printer check → one-time code) → Otp → Voucher (printer check →
// redeem → print). The Voucher step owns that saga privately: what it waits for is its own state.
#include "kiosk/step.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

/// Why the reward cannot be had today (its availability dates, local time); empty: it can.
std::string unavailableText(const StepContext& ctx, const Reward& r) {
    const loyalty::LocalDate today = loyalty::localDate(ctx.now().wall);
    if (r.availableFrom && today < *r.availableFrom) {
        return ctx.tr("rewards.available_from", {{"date", loyalty::formatLocalDateVi(*r.availableFrom)}});
    }
    if (r.availableUntil && *r.availableUntil < today) {
        return ctx.tr("rewards.no_longer_available");
    }
    return "";
}

/// How often the Rewards screen asks a printer with a problem again, by itself: a refill re-enables
/// the rewards without anyone touching the screen.
constexpr std::chrono::milliseconds kPrinterRecheck{3000};

bool printerProblem(const Session& s) {
    return s.messageKey.starts_with("printer.problem.");
}

class RewardsStep final : public Step {
  public:
    void enter(StepContext& ctx) override { scheduleRecheck(ctx); }
    void intent(StepContext& ctx, const Intent& intent) override {
        Session& s = ctx.session();
        if (const auto* choose = std::get_if<ChooseReward>(&intent)) {
            const Reward* r = ctx.reward(choose->rewardId);
            if (r == nullptr || !s.member || s.member->balance < r->points ||
                !unavailableText(ctx, *r).empty()) {
                return;
            }
            s.selectedReward = choose->rewardId;
            s.code.clear();
            ctx.setMessage("");
            ctx.go(StepId::Voucher);
        } else if (intent == Intent{Action::Back}) {
            ctx.setMessage("");
            m_recheckAt.reset();
            ctx.go(StepId::Result);
        } else if (intent == Intent{Action::CheckPrinterAgain}) {
            m_checking = true;
            ctx.emit(CheckPrinter{ctx.sessionId()});
        }
    }
    void event(StepContext& ctx, const Event& event) override {
        const auto* checked = std::get_if<PrinterChecked>(&event);
        if (checked == nullptr || (!m_checking && !m_polling)) {
            return;
        }
        m_checking = false;
        m_polling = false;
        ctx.setMessage(checked->problem.empty() ? "" : "printer.problem." + checked->problem);
        scheduleRecheck(ctx);
    }
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextTick() const override { return m_recheckAt; }
    void tick(StepContext& ctx) override {
        // Asked quietly: the screen stays as it is until the printer answers.
        m_recheckAt.reset();
        m_polling = true;
        ctx.emit(CheckPrinter{ctx.sessionId()});
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        if (m_checking) {
            presentWorking(ctx, v, "working.printer");
            return;
        }
        const Session& s = ctx.session();
        v.screen = ui::ScreenId::Rewards;
        v.title = ctx.tr("rewards.title");
        const std::int64_t balance = s.member ? s.member->balance : 0;
        v.lines.push_back(
            {ctx.tr("result.balance", {{"points", ctx.number(balance)}}), ui::TextLine::Style::Heading});
        const bool noPrinter = printerProblem(s);
        for (const auto& r : ctx.config().rewards) {
            // Everything known here is checked before a code is sent: points, dates, the printer.
            const std::string unavailable = unavailableText(ctx, r);
            ui::Control c{encodeIntent(ChooseReward{r.id}), r.title.in(ctx.language()),
                          ui::Control::Kind::Button,
                          balance >= r.points && unavailable.empty() && !noPrinter};
            c.detail = !unavailable.empty() ? unavailable
                       : balance >= r.points
                           ? ctx.tr("rewards.cost", {{"points", ctx.number(r.points)}})
                           : ctx.tr("rewards.cost_short", {{"points", ctx.number(r.points - balance)}});
            // Central's picture of the reward when the kiosk has one; the UI draws a plain tile otherwise.
            c.picture = "reward:" + r.id;
            v.controls.push_back(std::move(c));
        }
        // The step asks the printer again every few seconds by itself; staff may also ask at once.
        if (noPrinter) {
            v.controls.push_back({encodeIntent(Action::CheckPrinterAgain), ctx.tr("rewards.check_printer")});
        }
        v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
    }

  private:
    void scheduleRecheck(const StepContext& ctx) {
        m_recheckAt.reset();
        if (printerProblem(ctx.session()) && !m_checking && !m_polling) {
            m_recheckAt = ctx.now().mono + kPrinterRecheck;
        }
    }

    bool m_checking = false;  ///< asked the printer again after a problem, on the shopper's touch
    bool m_polling = false;   ///< asked the printer again by itself (nextTick)
    std::optional<std::chrono::milliseconds> m_recheckAt;
};

/// The code central sent: typed here, handed to the step that asked for it (the Voucher step to redeem, the
/// BuyPlay step to buy a play); Back returns where that step was opened from.
class OtpStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        Session& s = ctx.session();
        if (typeKey(ctx, intent, kOtpDigits)) {
            return;
        }
        if (intent == Intent{Action::Ok} && s.digits.size() == kOtpDigits) {
            s.code = s.digits;
            s.digits.clear();
            ctx.go(s.codeFor);
        } else if (intent == Intent{Action::Back}) {
            s.digits.clear();
            ctx.setMessage("");
            ctx.go(s.codeBack);
        }
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        const Session& s = ctx.session();
        v.screen = ui::ScreenId::Otp;
        v.title = ctx.tr("otp.title");
        v.lines.push_back(
            {ctx.tr("otp.hint", {{"phone", s.phone ? s.phone->masked() : ""}}), ui::TextLine::Style::Body});
        std::string shown = s.digits;
        shown.append(kOtpDigits - s.digits.size(), '_');
        v.entry = shown;
        addKeypad(ctx, v, s.digits.size() == kOtpDigits);
    }
};

/// Entered with a reward chosen (no code yet): asks the printer, then central for a code (→ Otp).
/// Entered with a code: asks the printer again, redeems, prints, and shows the voucher.
class VoucherStep final : public Step {
  public:
    void enter(StepContext& ctx) override {
        // The printer is asked first: no code is sent and no point is spent for a voucher it cannot print.
        m_phase = ctx.session().code.empty() ? Phase::PrinterBeforeCode : Phase::PrinterBeforeRedeem;
        ctx.emit(CheckPrinter{ctx.sessionId()});
    }

    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Done}) {
            ctx.wipe();
        } else if (intent == Intent{Action::Back}) {
            // "More rewards": the list, with the balance after this one.
            m_voucher.reset();
            m_phase = Phase::Idle;
            ctx.setMessage("");
            ctx.go(StepId::Rewards);
        }
    }

    void event(StepContext& ctx, const Event& event) override {
        if (const auto* checked = std::get_if<PrinterChecked>(&event)) {
            onPrinter(ctx, checked->problem);
        } else if (const auto* sent = std::get_if<OtpRequested>(&event);
                   sent != nullptr && m_phase == Phase::SendingCode) {
            m_phase = Phase::Idle;
            ctx.setMessage(sent->result ? "" : "rewards.error.otp_failed");
            ctx.session().digits.clear();
            ctx.session().codeFor = StepId::Voucher;
            ctx.session().codeBack = StepId::Rewards;
            ctx.go(sent->result ? StepId::Otp : StepId::Rewards);
        } else if (const auto* redeemed = std::get_if<Redeemed>(&event);
                   redeemed != nullptr && m_phase == Phase::Redeeming) {
            onRedeemed(ctx, *redeemed);
        } else if (const auto* printed = std::get_if<Printed>(&event);
                   printed != nullptr && m_phase == Phase::Printing) {
            m_phase = Phase::Shown;
            m_printProblem = printed->problem;
        }
    }

    void present(const StepContext& ctx, ui::View& v) const override {
        switch (m_phase) {
            case Phase::PrinterBeforeCode:
            case Phase::PrinterBeforeRedeem:
                presentWorking(ctx, v, "working.printer");
                return;
            case Phase::SendingCode:
                presentWorking(ctx, v, "working.sending_code");
                return;
            case Phase::Redeeming:
                presentWorking(ctx, v, "working.redeeming");
                return;
            case Phase::Printing:
                presentWorking(ctx, v, "working.printing");
                return;
            case Phase::Idle:
            case Phase::Shown:
                break;
        }
        presentVoucher(ctx, v);
    }

  private:
    enum class Phase {
        Idle,
        PrinterBeforeCode,
        SendingCode,
        PrinterBeforeRedeem,
        Redeeming,
        Printing,
        Shown
    };

    void onPrinter(StepContext& ctx, const std::string& problem) {
        if (m_phase != Phase::PrinterBeforeCode && m_phase != Phase::PrinterBeforeRedeem) {
            return;
        }
        Session& s = ctx.session();
        if (!problem.empty()) {
            m_phase = Phase::Idle;
            ctx.setMessage("printer.problem." + problem);
            s.digits.clear();
            s.code.clear();
            ctx.go(StepId::Rewards);
            return;
        }
        if (m_phase == Phase::PrinterBeforeCode) {
            m_phase = Phase::SendingCode;
            ctx.emit(RequestOtp{ctx.sessionId(), s.phone->national(), s.selectedReward});
            return;
        }
        m_phase = Phase::Redeeming;
        RedeemRequest request;
        request.phone = s.phone->national();
        request.rewardId = s.selectedReward;
        request.otp = s.code;
        s.code.clear();
        ctx.emit(Redeem{ctx.sessionId(), std::move(request)});
    }

    void onRedeemed(StepContext& ctx, const Redeemed& redeemed) {
        m_phase = Phase::Idle;
        Session& s = ctx.session();
        if (!redeemed.result) {
            const auto& error = redeemed.result.error();
            if (error.code.starts_with("otp")) {
                ctx.setMessage("otp.error.wrong_code");
                ctx.go(StepId::Otp);
            } else {
                ctx.setMessage(error.definitive ? "rewards.error.refused" : "rewards.error.offline");
                ctx.go(StepId::Rewards);
            }
            return;
        }
        m_voucher = *redeemed.result;
        if (s.member) {
            s.member->balance = redeemed.result->balance;
        }
        m_phase = Phase::Printing;
        VoucherSlip slip{redeemed.result->voucher, ctx.languageCode(), s.phone->masked(), ctx.now().wall};
        // Central names its vouchers; the catalog's title stands in for a name it did not send.
        if (const Reward* r = ctx.reward(s.selectedReward)) {
            if (slip.voucher.title.vi.empty()) {
                slip.voucher.title.vi = r->title.vi;
            }
            if (slip.voucher.title.en.empty()) {
                slip.voucher.title.en = r->title.en;
            }
        }
        ctx.emit(PrintVoucher{ctx.sessionId(), std::move(slip)});
    }

    void presentVoucher(const StepContext& ctx, ui::View& v) const {
        v.screen = ui::ScreenId::Voucher;
        v.title = ctx.tr("voucher.title");
        if (m_voucher) {
            const std::string& code = m_voucher->voucher.code;
            if (m_printProblem.empty()) {
                v.lines.push_back({ctx.tr("voucher.printed"), ui::TextLine::Style::Big, ui::Tone::Good});
                v.lines.push_back({ctx.tr("voucher.code", {{"code", code}}), ui::TextLine::Style::Heading});
            } else {
                v.lines.push_back(
                    {ctx.tr("voucher.print_failed"), ui::TextLine::Style::Big, ui::Tone::Error});
                v.lines.push_back({ctx.trCode("printer.problem.", m_printProblem, "printer.problem.other"),
                                   ui::TextLine::Style::Body});
                v.lines.push_back({ctx.tr("voucher.safe", {{"code", code}}), ui::TextLine::Style::Heading});
            }
            v.lines.push_back({ctx.tr("result.balance", {{"points", ctx.number(m_voucher->balance)}}),
                               ui::TextLine::Style::Body});
        }
        // After a failed print the screen has just said rewards cannot print: it offers no more of them.
        if (m_printProblem.empty()) {
            v.controls.push_back({encodeIntent(Action::Back), ctx.tr("voucher.more")});
        }
        v.controls.push_back(
            {encodeIntent(Action::Done), ctx.tr("result.done"), ui::Control::Kind::Button, true, true});
    }

    Phase m_phase = Phase::Idle;
    std::optional<Redemption> m_voucher;
    std::string m_printProblem;  ///< empty: printed
};

}  // namespace

std::unique_ptr<Step> makeRewardsStep() {
    return std::make_unique<RewardsStep>();
}
std::unique_ptr<Step> makeOtpStep() {
    return std::make_unique<OtpStep>();
}
std::unique_ptr<Step> makeVoucherStep() {
    return std::make_unique<VoucherStep>();
}

}  // namespace kiosk
