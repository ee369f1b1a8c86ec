// Staff mode: the PIN (reached by the journey's hidden gesture) and the Maintenance step (device health,
// the update agent's state with "install now" / "postpone", refused claims to acknowledge, vouchers to
// reprint after asking the printer).
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
        if (m_checking) {
            if (intent == Intent{Action::Back}) {
                ctx.wipe();
            }
            return;
        }
        if (typeKey(ctx, intent, kStaffPinMaxDigits)) {
            return;
        }
        if (intent == Intent{Action::Ok}) {
            submit(ctx);
        } else if (intent == Intent{Action::Back}) {
            ctx.wipe();
        }
    }
    void event(StepContext& ctx, const Event& event) override {
        if (const auto* checked = std::get_if<StaffPinChecked>(&event); checked != nullptr && m_checking) {
            m_checking = false;
            if (checked->staff) {
                open(ctx, *checked->staff);
            } else {
                wrong(ctx);
            }
        }
    }
    void present(const StepContext& ctx, ui::View& v) const override {
        if (m_checking) {
            presentWorking(ctx, v, "staff.checking_pin");
            v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
            return;
        }
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
        const std::string pin = std::exchange(digits, {});
        if (!ctx.config().staffPin.empty() && pin == ctx.config().staffPin) {
            open(ctx, StaffMember{kKioskPinStaffId, ctx.tr("staff.kiosk_pin_name")});
        } else if (ctx.staffIssued()) {
            // Central's PINs are Argon2id strings: checked off the UI thread (about 0.1 s each).
            m_checking = true;
            ctx.setMessage("");
            ctx.emit(CheckStaffPin{ctx.sessionId(), pin});
        } else {
            wrong(ctx);
        }
    }

    void wrong(StepContext& ctx) {
        if (++m_wrongPins >= kStaffPinTries) {
            ctx.lockStaff();
            return;
        }
        ctx.setMessage("staff.error.wrong_pin");
    }

    static void open(StepContext& ctx, StaffMember staff) {
        ctx.setMessage("");
        ctx.session().staff = std::move(staff);
        recordStaffAction(ctx, "maintenance_opened");
        ctx.emit(LoadStaffReport{ctx.sessionId()});
        ctx.emit(CheckPrinter{ctx.sessionId()});
        ctx.go(StepId::Maintenance);
    }

    int m_wrongPins = 0;
    bool m_checking = false;  ///< a PIN is being checked against central's staff
};

class MaintenanceStep final : public Step {
  public:
    void enter(StepContext& /*ctx*/) override { m_open = true; }

    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Back}) {
            ctx.wipe();
        } else if (intent == Intent{Action::TestPrint} && m_job == Job::None) {
            m_job = Job::CheckingForTest;
            setNotice("working.printer", ui::Tone::Normal);
            ctx.emit(CheckPrinter{ctx.sessionId()});
        } else if (intent == Intent{Action::ToggleService}) {
            toggleService(ctx);
        } else if (intent == Intent{Action::PaperChange} && m_job == Job::None) {
            ctx.go(StepId::PaperChange);
        } else if (intent == Intent{Action::Restart}) {
            recordStaffAction(ctx, "restart_app");
            ctx.emit(RestartApp{});
            setNotice("staff.restarting", ui::Tone::Normal);
        } else if ((intent == Intent{Action::InstallUpdate} || intent == Intent{Action::PostponeUpdate}) &&
                   updateWaiting()) {
            decideUpdate(ctx, intent == Intent{Action::InstallUpdate});
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
        } else if (const auto* printed = std::get_if<Printed>(&event)) {
            onPrinted(ctx, printed->problem);
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
        addKiosk(ctx, v);
        addUpdate(ctx, v);
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
    enum class Job { None, CheckingPrinter, Reprinting, CheckingForTest, TestPrinting };

    /// A print this screen started came out (problem empty) or failed.
    void onPrinted(StepContext& ctx, const std::string& problem) {
        const Job job = std::exchange(m_job, Job::None);
        if (job != Job::TestPrinting && job != Job::Reprinting) {
            m_job = job;  // not ours
            return;
        }
        m_printerProblem = problem;
        if (job == Job::TestPrinting) {
            testPrinted(ctx, problem);
            return;
        }
        recordStaffAction(ctx, "reprint", m_reprintCode + (problem.empty() ? "" : ": " + problem));
        if (problem.empty()) {
            setNotice("staff.reprinted", ui::Tone::Good, {{"code", m_reprintCode}});
        } else {
            setNotice("staff.reprint_failed", ui::Tone::Error,
                      {{"code", m_reprintCode}, {"problem", printerProblemText(ctx, problem)}});
        }
        ctx.emit(LoadStaffReport{ctx.sessionId()});  // the printed flag changed
    }

    void toggleService(StepContext& ctx) {
        const bool on = !ctx.service().outOfService;
        const std::string staffId = ctx.session().staff ? ctx.session().staff->id : "";
        ctx.emit(SetService{ServiceNotice{on, {}, staffId}});
        recordStaffAction(ctx, on ? "out_of_service_on" : "out_of_service_off");
        setNotice(on ? "staff.service_off_done" : "staff.service_on_done", ui::Tone::Good);
    }

    /// A release is installed and waits for a quiet moment (and staff have not just sent it on its way).
    [[nodiscard]] bool updateWaiting() const {
        return !m_installing && m_report && m_report->update && m_report->update->state == "installed";
    }

    void decideUpdate(StepContext& ctx, bool now) {
        const std::string& version = m_report->update->version;
        if (!now && m_report->update->postponedUntil > ctx.now().wall) {
            return;  // postponed already
        }
        recordStaffAction(ctx, now ? "update_install_now" : "update_postponed", version);
        if (now) {
            m_installing = true;
            ctx.emit(InstallUpdateNow{});
            setNotice("staff.update_installing", ui::Tone::Normal, {{"version", version}});
        } else {
            ctx.emit(PostponeUpdate{});
            ctx.emit(LoadStaffReport{ctx.sessionId()});  // shows until when
            setNotice("staff.update_postponed_done", ui::Tone::Good);
        }
    }

    /// What the update agent does, and the staff's say over an installed release.
    void addUpdate(const StepContext& ctx, ui::View& v) const {
        if (!m_report || !m_report->update) {
            return;  // no update agent here
        }
        const UpdateInfo& update = *m_report->update;
        const bool postponed = update.state == "installed" && update.postponedUntil > ctx.now().wall;
        std::string key = "staff.update." + (update.state.empty() ? std::string("none") : update.state);
        if (postponed) {
            key = "staff.update.postponed";
        } else if (!ctx.has(key)) {
            key = "staff.update.other";
        }
        const bool bad = update.state == "failed" || update.state == "refused";
        v.lines.push_back({ctx.tr(key, {{"version", update.version},
                                        {"error", update.error},
                                        {"state", update.state},
                                        {"until", timeAndDateText(update.postponedUntil)}}),
                           ui::TextLine::Style::Body, bad ? ui::Tone::Warning : ui::Tone::Normal});
        if (!bad && !update.error.empty()) {
            v.lines.push_back({update.error, ui::TextLine::Style::Small, ui::Tone::Warning});
        }
        if (update.state == "installed") {
            // A decision that waits comes first, above the everyday tools (a portrait screen shows
            // only the first few buttons without scrolling).
            v.controls.insert(v.controls.begin(),
                              {{encodeIntent(Action::InstallUpdate), ctx.tr("staff.update_now"),
                                ui::Control::Kind::Button, !m_installing},
                               {encodeIntent(Action::PostponeUpdate), ctx.tr("staff.update_later"),
                                ui::Control::Kind::Button, !m_installing && !postponed}});
        }
    }

    void testPrinted(StepContext& ctx, const std::string& problem) {
        recordStaffAction(ctx, "test_print", problem.empty() ? "ok" : problem);
        if (problem.empty()) {
            setNotice("staff.test_printed", ui::Tone::Good);
        } else {
            setNotice("staff.test_print_failed", ui::Tone::Error,
                      {{"problem", printerProblemText(ctx, problem)}});
        }
    }

    /// Who is here, what runs, whether shoppers may start, and the staff's tools.
    void addKiosk(const StepContext& ctx, ui::View& v) const {
        const auto& staff = ctx.session().staff;
        v.lines.push_back({ctx.tr("staff.who", {{"name", staff ? staff->name : "—"},
                                                {"id", staff ? staff->id : "—"},
                                                {"version", ctx.config().version}}),
                           ui::TextLine::Style::Body});
        const ServiceNotice& service = ctx.service();
        v.lines.push_back({service.outOfService ? ctx.tr("staff.out_of_service", {{"by", service.by}})
                                                : ctx.tr("staff.in_service"),
                           ui::TextLine::Style::Body,
                           service.outOfService ? ui::Tone::Warning : ui::Tone::Good});
        const bool idle = m_job == Job::None;
        v.controls.push_back(
            {encodeIntent(Action::TestPrint), ctx.tr("staff.test_print"), ui::Control::Kind::Button, idle});
        v.controls.push_back({encodeIntent(Action::PaperChange), ctx.tr("staff.paper_change"),
                              ui::Control::Kind::Button, idle});
        v.controls.push_back({encodeIntent(Action::ToggleService),
                              ctx.tr(service.outOfService ? "staff.service_on" : "staff.service_off")});
        v.controls.push_back({encodeIntent(Action::Restart), ctx.tr("staff.restart")});
    }

    void setNotice(std::string key, ui::Tone tone, TextArgs args = {}) {
        m_noticeKey = std::move(key);
        m_noticeTone = tone;
        m_noticeArgs = std::move(args);
    }

    void onPrinter(StepContext& ctx, const std::string& problem) {
        m_printerProblem = problem;
        if (m_job == Job::CheckingForTest) {
            m_job = problem.empty() ? Job::TestPrinting : Job::None;
            if (!problem.empty()) {
                testPrinted(ctx, problem);
                return;
            }
            setNotice("working.printing", ui::Tone::Normal);
            const auto& staff = ctx.session().staff;
            ctx.emit(PrintTestPage{ctx.sessionId(), staff ? staff->name : ""});
            return;
        }
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
        // Only what the sync worker measured: the last answered call and central's clock against ours.
        v.lines.push_back(
            {ctx.tr(
                 "staff.network",
                 {{"round_trip", sync.roundTripMs ? ctx.number(*sync.roundTripMs) : "—"},
                  {"offset", (sync.clockOffsetSeconds > 0 ? "+" : "") + ctx.number(sync.clockOffsetSeconds)},
                  {"actions", ctx.number(report != nullptr ? report->staffActionsUnsent : 0)}}),
             ui::TextLine::Style::Small});
        if (!sync.lastError.empty()) {
            v.lines.push_back({sync.lastError, ui::TextLine::Style::Small, ui::Tone::Warning});
        }
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
    bool m_installing = false;  ///< staff said "install now": the app restarts into the new version
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
