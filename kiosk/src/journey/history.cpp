// The member's history: the ledger lines central sent with the member, newest first; Back returns to the
// Result. The smallest step, and the example of docs/architecture.md ("Where things go").
#include "kiosk/step.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

class HistoryStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Back}) {
            ctx.go(StepId::Result);
        } else if (intent == Intent{Action::StopPromotions} && ctx.session().member &&
                   ctx.session().member->marketingConsent) {
            ctx.go(StepId::OptOut);
        }
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        v.screen = ui::ScreenId::History;
        v.title = ctx.tr("history.title");
        if (const auto& member = ctx.session().member) {
            if (member->history.empty()) {
                v.lines.push_back({ctx.tr("history.empty"), ui::TextLine::Style::Body});
            }
            for (const auto& h : member->history) {
                v.lines.push_back(
                    {ctx.tr("history.line",
                            {{"date", loyalty::formatLocalDateVi(loyalty::localDate(h.at))},
                             {"kind", ctx.trCode("history.kind.", h.kind, "history.kind.other")},
                             {"points", (h.points > 0 ? "+" : "") + ctx.number(h.points)}}),
                     ui::TextLine::Style::Body, h.points >= 0 ? ui::Tone::Good : ui::Tone::Normal});
            }
        }
        // A member who accepts promotions may stop them here (central must be reachable to do it).
        if (const auto& member = ctx.session().member; member && member->marketingConsent) {
            v.controls.push_back({encodeIntent(Action::StopPromotions), ctx.tr("history.stop_promotions"),
                                  ui::Control::Kind::Button, ctx.sync().online});
            if (!ctx.sync().online) {
                v.controls.back().detail = ctx.tr("history.stop_promotions_offline");
            }
        }
        v.controls.push_back(
            {encodeIntent(Action::Back), ctx.tr("common.back"), ui::Control::Kind::Button, true, true});
    }
};

}  // namespace

std::unique_ptr<Step> makeHistoryStep() {
    return std::make_unique<HistoryStep>();
}

}  // namespace kiosk
