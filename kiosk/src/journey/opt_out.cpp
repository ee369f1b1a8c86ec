// Stopping promotional messages (issue 18, docs/notifications.md "Opt-out"): History → OptOut. The
// confirmation says what stops (promotions) and what stays (messages about the member's own points,
// codes and vouchers); the outcome is shown only once central answered, and a failure says plainly
// that nothing changed.
#include "kiosk/step.hpp"

namespace kiosk {
namespace {

class OptOutStep final : public Step {
  public:
    void enter(StepContext& /*ctx*/) override {
        m_phase = Phase::Confirm;
        m_problem.clear();
    }

    void intent(StepContext& ctx, const Intent& intent) override {
        const Session& s = ctx.session();
        if (intent == Intent{Action::ConfirmStop} && m_phase != Phase::Done && s.phone) {
            m_phase = Phase::Sending;
            m_problem.clear();
            ctx.emit(WithdrawConsent{ctx.sessionId(), s.phone->national()});
        } else if (intent == Intent{Action::Back} && m_phase != Phase::Sending) {
            ctx.go(StepId::History);
        } else if (intent == Intent{Action::Done} && m_phase != Phase::Sending) {
            ctx.wipe();
        }
    }

    void event(StepContext& ctx, const Event& event) override {
        const auto* withdrawn = std::get_if<ConsentWithdrawn>(&event);
        if (withdrawn == nullptr || m_phase != Phase::Sending) {
            return;
        }
        if (withdrawn->result) {
            m_phase = Phase::Done;
            if (ctx.session().member) {
                ctx.session().member->marketingConsent = false;
            }
            return;
        }
        m_phase = Phase::Failed;
        m_problem = withdrawn->result.error().definitive ? "opt_out.refused" : "opt_out.offline";
    }

    void present(const StepContext& ctx, ui::View& v) const override {
        if (m_phase == Phase::Sending) {
            presentWorking(ctx, v, "working.opt_out");
            return;
        }
        v.screen = ui::ScreenId::OptOut;
        v.title = ctx.tr("opt_out.title");
        if (m_phase == Phase::Done) {
            v.lines.push_back({ctx.tr("opt_out.done"), ui::TextLine::Style::Heading, ui::Tone::Good});
        } else if (m_phase == Phase::Failed) {
            v.lines.push_back({ctx.tr(m_problem), ui::TextLine::Style::Heading, ui::Tone::Error});
        } else {
            v.lines.push_back({ctx.tr("opt_out.stops"), ui::TextLine::Style::Heading});
        }
        v.lines.push_back({ctx.tr("opt_out.stays"), ui::TextLine::Style::Body});
        if (m_phase != Phase::Done) {
            v.controls.push_back({encodeIntent(Action::ConfirmStop),
                                  ctx.tr(m_phase == Phase::Failed ? "opt_out.retry" : "opt_out.confirm"),
                                  ui::Control::Kind::Button, ctx.sync().online, true});
        }
        v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
        v.controls.push_back({encodeIntent(Action::Done), ctx.tr("result.done"), ui::Control::Kind::Button,
                              true, m_phase == Phase::Done});
    }

  private:
    enum class Phase { Confirm, Sending, Done, Failed };

    Phase m_phase = Phase::Confirm;
    std::string m_problem;  ///< a string key: why it could not be done
};

}  // namespace

std::unique_ptr<Step> makeOptOutStep() {
    return std::make_unique<OptOutStep>();
}

}  // namespace kiosk
