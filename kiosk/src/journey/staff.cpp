// Staff mode: the PIN (reached by the journey's hidden gesture) and the Maintenance step (device health,
// refused claims to acknowledge, vouchers to reprint after asking the printer).
#include <algorithm>

#include "kiosk/step.hpp"
#include "kiosk/wording.hpp"

namespace kiosk {
namespace {

/// Rows of refused claims and of vouchers the maintenance screen lists (each with its button): what
/// fits a landscape screen; the count of the others is shown.
constexpr std::size_t kStaffRows = 2;

class StaffPinStep final : public Step {
  public:
    void intent(StepContext& ctx, const Intent& intent) override {
        if (typeKey(ctx, intent, kStaffPinMaxDigits)) {
            return;
        }
        if (intent == Intent{Action::Ok}) {
            submit(ctx);
        } else if (intent == Intent{Action::Back}) {
            ctx.wipe();
        }
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        const std::string& digits = ctx.session().digits;
        v.screen = ui::ScreenId::StaffPin;
        v.title = ctx.tr("staff.pin_title");
        v.lines.push_back({ctx.tr("staff.pin_hint"), ui::TextLine::Style::Body});
        v.entry = std::string(digits.size(), '*');
        addKeypad(ctx, v, digits.size() >= kStaffPinMinDigits);
    }

  private:
    void submit(StepContext& ctx) {
        std::string& digits = ctx.session().digits;
        if (digits.size() < kStaffPinMinDigits) {
            return;
        }
        const bool right = digits == ctx.config().staffPin;
        digits.clear();
        if (!right) {
            if (++m_wrongPins >= kStaffPinTries) {
                ctx.lockStaff();
                return;
            }
            ctx.setMessage("staff.error.wrong_pin");
            return;
        }
        ctx.setMessage("");
        ctx.emit(LoadStaffReport{ctx.sessionId()});
        ctx.emit(CheckPrinter{ctx.sessionId()});
        ctx.go(StepId::Maintenance);
    }

    int m_wrongPins = 0;
};

class MaintenanceStep final : public Step {
  public:
    void enter(StepContext& /*ctx*/) override { m_open = true; }

    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Back}) {
            ctx.wipe();
        } else if (const auto* ack = std::get_if<Acknowledge>(&intent)) {
            ctx.emit(AcknowledgeRefusal{ctx.sessionId(), ack->refusalId});
        } else if (const auto* reprint = std::get_if<Reprint>(&intent);
                   reprint != nullptr && m_job == Job::None) {
            // The printer is asked first, as for a shopper's voucher: no job starts on a printer that is
            // out of paper or open.
            m_reprintCode = reprint->code;
            m_job = Job::CheckingPrinter;
            setNotice("working.printer", ui::Tone::Normal);
            ctx.emit(CheckPrinter{ctx.sessionId()});
        }
    }

    void event(StepContext& ctx, const Event& event) override {
        if (!m_open) {
            return;
        }
        if (const auto* checked = std::get_if<PrinterChecked>(&event)) {
            onPrinter(ctx, checked->problem);
        } else if (const auto* printed = std::get_if<Printed>(&event);
                   printed != nullptr && m_job == Job::Reprinting) {
            m_job = Job::None;
            m_printerProblem = printed->problem;
            if (printed->problem.empty()) {
                setNotice("staff.reprinted", ui::Tone::Good, {{"code", m_reprintCode}});
            } else {
                setNotice("staff.reprint_failed", ui::Tone::Error,
                          {{"code", m_reprintCode}, {"problem", printerProblemText(ctx, printed->problem)}});
            }
            ctx.emit(LoadStaffReport{ctx.sessionId()});  // the printed flag changed
        } else if (const auto* loaded = std::get_if<StaffReportLoaded>(&event)) {
            m_reportFailed = !loaded->report.has_value();
            if (loaded->report) {
                m_report = *loaded->report;
            }
        }
    }

    void present(const StepContext& ctx, ui::View& v) const override {
        v.screen = ui::ScreenId::Maintenance;
        v.title = ctx.tr("staff.title");
        addDevices(ctx, v);
        addRefusals(ctx, v);
        addVouchers(ctx, v);
        if (!m_noticeKey.empty()) {
            v.lines.push_back({ctx.tr(m_noticeKey, m_noticeArgs), ui::TextLine::Style::Body, m_noticeTone});
        }
        v.controls.push_back(
            {encodeIntent(Action::Back), ctx.tr("staff.exit"), ui::Control::Kind::Button, true, true});
    }

  private:
    enum class Job { None, CheckingPrinter, Reprinting };

    static std::string printerProblemText(const StepContext& ctx, const std::string& problem) {
        return ctx.trCode("staff.printer_problem.", problem, "staff.printer_problem.other");
    }

    void setNotice(std::string key, ui::Tone tone, TextArgs args = {}) {
        m_noticeKey = std::move(key);
        m_noticeTone = tone;
        m_noticeArgs = std::move(args);
    }

    void onPrinter(StepContext& ctx, const std::string& problem) {
        m_printerProblem = problem;
        if (m_job != Job::CheckingPrinter) {
            return;
        }
        m_job = Job::None;
        const KeptVoucher* kept = nullptr;
        if (m_report) {
            const auto& list = m_report->vouchers;
            const auto found = std::find_if(list.begin(), list.end(), [&](const KeptVoucher& v) {
                return v.voucher.code == m_reprintCode;
            });
            kept = found == list.end() ? nullptr : &*found;
        }
        if (kept == nullptr) {
            setNotice("", ui::Tone::Normal);  // the list changed meanwhile: nothing to print
            return;
        }
        if (!problem.empty()) {
            setNotice("staff.reprint_failed", ui::Tone::Error,
                      {{"code", kept->voucher.code}, {"problem", printerProblemText(ctx, problem)}});
            return;
        }
        m_job = Job::Reprinting;
        setNotice("working.printing", ui::Tone::Normal);
        ctx.emit(PrintVoucher{ctx.sessionId(),
                              VoucherSlip{kept->voucher, ctx.languageCode(), "", ctx.now().wall}});
    }

    void addDevices(const StepContext& ctx, ui::View& v) const {
        const StaffReport* report = m_report ? &*m_report : nullptr;
        const std::string ok = ctx.tr("staff.ok");
        v.lines.push_back(
            {ctx.tr("staff.camera", {{"state", report == nullptr               ? ctx.tr("staff.checking")
                                               : report->cameraProblem.empty() ? ok
                                                                               : report->cameraProblem}}),
             ui::TextLine::Style::Body,
             report != nullptr && !report->cameraProblem.empty() ? ui::Tone::Error : ui::Tone::Normal});
        v.lines.push_back(
            {ctx.tr("staff.printer",
                    {{"state", !m_printerProblem           ? ctx.tr("staff.checking")
                               : m_printerProblem->empty() ? ok
                                                           : printerProblemText(ctx, *m_printerProblem)}}),
             ui::TextLine::Style::Body,
             m_printerProblem && !m_printerProblem->empty() ? ui::Tone::Error : ui::Tone::Normal});
        // A kiosk without a credential sends nothing but its enrollment: that, not "online", is what staff
        // need to read; a refused code needs them (a new code in the configuration).
        const SyncState& sync = ctx.sync();
        const bool refused = sync.enrollment == Enrollment::Refused;
        const std::string syncState = refused ? ctx.tr("staff.enrollment_refused")
                                      : sync.enrollment == Enrollment::Pending ? ctx.tr("staff.enrolling")
                                      : sync.online                            ? ctx.tr("staff.online")
                                                                               : ctx.tr("staff.offline");
        v.lines.push_back(
            {ctx.tr("staff.sync",
                    {{"state", syncState},
                     {"count", ctx.number(report != nullptr ? report->outboxDepth : sync.outboxDepth)},
                     {"last", sync.lastSync ? timeAndDateText(*sync.lastSync) : ctx.tr("staff.never")}}),
             ui::TextLine::Style::Body,
             refused       ? ui::Tone::Error
             : sync.online ? ui::Tone::Normal
                           : ui::Tone::Warning});
        if (m_reportFailed) {
            v.lines.push_back({ctx.tr("staff.store_failed"), ui::TextLine::Style::Body, ui::Tone::Error});
        }
    }

    void addRefusals(const StepContext& ctx, ui::View& v) const {
        const std::size_t refusals = m_report ? m_report->refusals.size() : 0;
        v.lines.push_back(
            {ctx.tr("staff.refusals", {{"count", ctx.number(static_cast<std::int64_t>(refusals))}}),
             ui::TextLine::Style::Heading});
        for (std::size_t i = 0; i < std::min(refusals, kStaffRows); ++i) {
            const Refusal& r = m_report->refusals[i];
            // Phones stay masked, for staff too; a stored number that no longer parses shows nothing.
            const auto phone = loyalty::parsePhone(r.phone, *ctx.config().phonePolicy);
            const std::string reason = refusalText(ctx, r.code);
            v.lines.push_back({ctx.tr("staff.refusal_line", {{"receipt", r.receiptId},
                                                             {"phone", phone ? phone->masked() : "—"},
                                                             {"points", ctx.number(r.provisionalPoints)},
                                                             {"time", timeAndDateText(r.refusedAt)},
                                                             {"reason", reason}}),
                               ui::TextLine::Style::Small, ui::Tone::Warning});
            v.controls.push_back(
                {encodeIntent(Acknowledge{r.id}), ctx.tr("staff.acknowledge", {{"receipt", r.receiptId}})});
        }
        if (refusals > kStaffRows) {
            v.lines.push_back(
                {ctx.tr("staff.more",
                        {{"count", ctx.number(static_cast<std::int64_t>(refusals - kStaffRows))}}),
                 ui::TextLine::Style::Small});
        }
    }

    /// The vouchers issued here, with their reprint buttons.
    void addVouchers(const StepContext& ctx, ui::View& v) const {
        const std::size_t vouchers = m_report ? m_report->vouchers.size() : 0;
        v.lines.push_back({ctx.tr("staff.vouchers"), ui::TextLine::Style::Heading});
        if (vouchers == 0) {
            v.lines.push_back({ctx.tr("staff.none"), ui::TextLine::Style::Small});
        }
        // A reprint waits for a known printer status and for any job under way.
        const bool canPrint = m_job == Job::None && m_printerProblem.has_value();
        const bool en = ctx.languageCode() == "en";
        for (std::size_t i = 0; i < std::min(vouchers, kStaffRows); ++i) {
            const KeptVoucher& kept = m_report->vouchers[i];
            const Voucher& voucher = kept.voucher;
            v.lines.push_back(
                {ctx.tr("staff.voucher_line",
                        {{"code", voucher.code},
                         {"title", en && !voucher.title.en.empty() ? voucher.title.en : voucher.title.vi},
                         {"time", timeAndDateText(voucher.issuedAt)},
                         {"printed", kept.printed ? ctx.tr("staff.printed") : ctx.tr("staff.not_printed")}}),
                 ui::TextLine::Style::Small, kept.printed ? ui::Tone::Normal : ui::Tone::Warning});
            v.controls.push_back({encodeIntent(Reprint{voucher.code}),
                                  ctx.tr("staff.reprint", {{"code", voucher.code}}),
                                  ui::Control::Kind::Button, canPrint});
        }
        if (vouchers > kStaffRows) {
            v.lines.push_back(
                {ctx.tr("staff.more",
                        {{"count", ctx.number(static_cast<std::int64_t>(vouchers - kStaffRows))}}),
                 ui::TextLine::Style::Small});
        }
    }

    bool m_open = false;  ///< answers reach every step: only an opened maintenance screen takes them
    std::optional<StaffReport> m_report;
    bool m_reportFailed = false;
    std::optional<std::string> m_printerProblem;  ///< empty string: ready; nullopt: not known yet
    Job m_job = Job::None;
    std::string m_reprintCode;
    std::string m_noticeKey;  ///< the outcome of the last staff action
    TextArgs m_noticeArgs;
    ui::Tone m_noticeTone = ui::Tone::Normal;
};

}  // namespace

std::unique_ptr<Step> makeStaffPinStep() {
    return std::make_unique<StaffPinStep>();
}
std::unique_ptr<Step> makeMaintenanceStep() {
    return std::make_unique<MaintenanceStep>();
}

}  // namespace kiosk
