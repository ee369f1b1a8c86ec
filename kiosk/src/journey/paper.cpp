// Staff: the paper-change walk-through, reached from Maintenance. The steps to follow and the printer's
// status, asked again every kPaperPoll while the screen is open, so staff see "cover open", "no paper"
// and "ready" as they work; "done" is offered once the printer is ready and is audited.
#include "kiosk/step.hpp"

namespace kiosk {
namespace {

class PaperChangeStep final : public Step {
  public:
    void enter(StepContext& ctx) override {
        m_open = true;
        ask(ctx);
    }
    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::PaperDone} && ready()) {
            recordStaffAction(ctx, "paper_changed");
            leave(ctx);
        } else if (intent == Intent{Action::Back}) {
            leave(ctx);
        }
    }
    void event(StepContext& /*ctx*/, const Event& event) override {
        if (const auto* checked = std::get_if<PrinterChecked>(&event); checked != nullptr && m_open) {
            m_problem = checked->problem;
            m_asking = false;
        }
    }
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextTick() const override {
        if (!m_open || m_asking) {
            return std::nullopt;
        }
        return m_askedAt + kPaperPoll;
    }
    void tick(StepContext& ctx) override { ask(ctx); }

    void present(const StepContext& ctx, ui::View& v) const override {
        v.screen = ui::ScreenId::Maintenance;
        v.title = ctx.tr("paper.title");
        for (const char* key : {"paper.step1", "paper.step2", "paper.step3"}) {
            v.lines.push_back({ctx.tr(key), ui::TextLine::Style::Body});
        }
        const std::string state = !m_problem ? ctx.tr("staff.checking")
                                  : ready()  ? ctx.tr("staff.ok")
                                             : printerProblemText(ctx, *m_problem);
        v.lines.push_back({ctx.tr("staff.printer", {{"state", state}}), ui::TextLine::Style::Heading,
                           !m_problem ? ui::Tone::Normal
                           : ready()  ? ui::Tone::Good
                                      : ui::Tone::Warning});
        v.controls.push_back({encodeIntent(Action::PaperDone), ctx.tr("paper.done"),
                              ui::Control::Kind::Button, ready(), true});
        v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
    }

  private:
    [[nodiscard]] bool ready() const { return m_problem && m_problem->empty(); }

    void ask(StepContext& ctx) {
        m_asking = true;
        m_askedAt = ctx.now().mono;
        ctx.emit(CheckPrinter{ctx.sessionId()});
    }

    void leave(StepContext& ctx) {
        m_open = false;
        m_problem.reset();
        ctx.emit(CheckPrinter{ctx.sessionId()});  // the maintenance screen shows the printer as it is now
        ctx.go(StepId::Maintenance);
    }

    bool m_open = false;
    bool m_asking = false;
    std::chrono::milliseconds m_askedAt{0};
    std::optional<std::string> m_problem;  ///< empty string: ready; nullopt: not known yet
};

}  // namespace

std::unique_ptr<Step> makePaperChangeStep() {
    return std::make_unique<PaperChangeStep>();
}

}  // namespace kiosk
