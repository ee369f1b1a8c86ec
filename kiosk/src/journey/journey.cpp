// The journey itself: session, idle wipe, staff gesture, routing of intents and events to the steps,
// and the one rebuild of the view after any input. The steps are in earn.cpp, result.cpp, spend.cpp
// and staff.cpp, registered in steps.cpp.
#include "kiosk/journey.hpp"

#include <algorithm>

#include "loyalty/time.hpp"

namespace kiosk {
namespace {

/// How often a moving screen (a spinning wheel) is rebuilt: 60 frames a second, only while it moves.
constexpr std::chrono::milliseconds kAnimationFrame{16};

/// The session of an answer, or nullopt for events that belong to no session.
std::optional<std::uint64_t> sessionOf(const Event& event) {
    return std::visit(
        [](const auto& e) -> std::optional<std::uint64_t> {
            if constexpr (requires { e.session; }) {
                return e.session;
            } else {
                return std::nullopt;
            }
        },
        event);
}

}  // namespace

Journey::Journey(JourneyConfig config, const ui::Strings& vi, const ui::Strings& en, std::string language)
    : m_ctx(std::move(config), vi, en, std::move(language)),
      m_defaultLanguage(m_ctx.languageCode()),
      m_steps(makeSteps()) {
    rebuild();
}

Journey::~Journey() = default;

std::vector<Command> Journey::takeCommands() {
    std::vector<Command> out;
    out.swap(m_ctx.m_commands);
    return out;
}

bool Journey::wantsCamera() const {
    if (m_step == StepId::Attract && m_ctx.service().outOfService) {
        return false;  // no journey starts on a kiosk out of service
    }
    return current().wantsCamera();
}

bool Journey::animating(Now now) const {
    return current().animating(now.mono) || m_view.celebration.has_value();
}

std::optional<std::chrono::milliseconds> Journey::nextWake(Now now) const {
    if (m_step == StepId::Attract) {
        return std::nullopt;
    }
    // Also once the animation is over while the view still shows a frame of it: that frame is replaced.
    if (animating(now)) {
        return now.mono + kAnimationFrame;
    }
    auto idle = nextIdleWake(now);
    if (m_view.spinner) {
        idle = std::min(idle, now.mono + kSpinnerFrame);
    }
    if (const auto step = current().nextTick()) {
        return std::min(idle, *step);
    }
    return idle;
}

std::chrono::milliseconds Journey::nextIdleWake(Now now) const {
    const auto lastActivity = m_ctx.m_lastActivity;
    const auto deadline = lastActivity + m_ctx.config().idleTimeout;
    const auto countdownStart = deadline - m_ctx.config().countdownFrom;
    if (const auto change = current().changesAfterIdle(); change && now.mono < lastActivity + *change) {
        return std::min(countdownStart, lastActivity + *change);
    }
    if (now.mono < countdownStart) {
        return countdownStart;
    }
    // Inside the countdown: wake on every whole second so the number ticks down.
    const auto left = deadline - now.mono;
    const auto intoSecond = left % std::chrono::milliseconds{1000};
    return now.mono + (intoSecond.count() == 0 ? std::chrono::milliseconds{1000} : intoSecond);
}

void Journey::wipe() {
    m_ctx.m_session = Session{};
    m_ctx.m_language = m_defaultLanguage;
    m_ctx.m_next.reset();
    m_ctx.m_wipe = false;
    ++m_ctx.m_sessionId;
    m_steps = makeSteps();
    m_step = StepId::Attract;
    m_cornerTaps = 0;
    m_countdownShown.reset();
    m_accessible = false;
    m_staffCall = StaffCall::None;
    rebuild();
}

void Journey::settle() {
    while (m_ctx.m_next && !m_ctx.m_wipe) {
        m_step = *m_ctx.m_next;
        m_ctx.m_next.reset();
        current().enter(m_ctx);
    }
    if (m_ctx.m_wipe) {
        wipe();
        return;
    }
    rebuild();
}

void Journey::setRewards(std::vector<Reward> rewards) {
    m_ctx.m_config.rewards = std::move(rewards);
    rebuild();
}

void Journey::setKeyring(loyalty::StoreKeyring keyring) {
    m_ctx.m_config.keyring = std::move(keyring);
}

void Journey::setEstimator(
    std::function<std::optional<std::int64_t>(const loyalty::Receipt&)> estimatePoints) {
    m_ctx.m_config.estimatePoints = std::move(estimatePoints);
}

void Journey::setCampaign(const loyalty::Campaign& campaign, Now now) {
    Advert advert;
    advert.campaignName = campaign.name;
    const loyalty::LocalDate today = loyalty::localDate(now.wall);
    for (const auto& promotion : campaign.promotions) {
        if (promotion.kind == loyalty::Promotion::Kind::Weekend || promotion.to >= today) {
            advert.promotions.push_back(promotion);
        }
    }
    m_ctx.m_advert = std::move(advert);
    m_ctx.m_config.campaign = campaign;
    // Central refuses a receipt older than its window: the kiosk says so before asking for the phone.
    m_ctx.m_config.verifyPolicy.maxAge = campaign.receiptWindow();
    rebuild();
}

void Journey::setStaffIssued(bool issued) {
    m_ctx.m_staffIssued = issued;
    rebuild();
}

void Journey::setTierRules(loyalty::TierRules rules) {
    m_ctx.m_config.tierRules = std::move(rules);
    rebuild();
}

// ---- inputs ------------------------------------------------------------------------------------------

void Journey::tick(Now now) {
    m_ctx.m_now = now;
    if (m_step == StepId::Attract) {
        return;
    }
    const auto deadline = m_ctx.m_lastActivity + m_ctx.config().idleTimeout;
    if (now.mono >= deadline) {
        wipe();
        return;
    }
    std::optional<std::int64_t> shown;
    if (now.mono >= deadline - m_ctx.config().countdownFrom) {
        // Round up: "5 s" stays on screen until 4 s are left, and 0 is never shown.
        shown = (deadline - now.mono + std::chrono::milliseconds{999}) / std::chrono::milliseconds{1000};
    }
    m_countdownShown = shown;
    if (const auto due = current().nextTick(); due && now.mono >= *due) {
        current().tick(m_ctx);
        settle();
        return;
    }
    rebuild();
}

void Journey::touched(Now now) {
    m_ctx.m_now = now;
    m_ctx.m_lastActivity = now.mono;
    m_countdownShown.reset();
    rebuild();
}

void Journey::onIntent(const ui::Intent& intent, Now now) {
    m_ctx.m_now = now;
    m_ctx.m_lastActivity = now.mono;
    m_countdownShown.reset();
    const auto decoded = decodeIntent(intent.id);
    if (decoded == Intent{Action::Language}) {
        m_ctx.m_language = m_ctx.m_language == "vi" ? "en" : "vi";
        m_sameWait = true;  // the wait on screen goes on, in other words
        rebuild();
        m_sameWait = false;
        return;
    }
    if (decoded == Intent{Action::Access} && m_view.control(intent.id) != nullptr) {
        m_accessible = !m_accessible;
        rebuild();
        return;
    }
    const ui::Control* control = m_view.control(intent.id);
    if (!decoded || control == nullptr || !control->enabled) {
        rebuild();
        return;  // a stale touch on a control the current screen does not offer
    }
    if (*decoded == Intent{Action::Staff}) {
        tapStaffCorner();
    } else if (*decoded == Intent{Action::CallStaff}) {
        m_staffCall = StaffCall::Calling;
        m_ctx.emit(CallStaff{m_ctx.sessionId()});
    } else {
        current().intent(m_ctx, *decoded);
    }
    settle();
}

void Journey::tapStaffCorner() {
    const Now now = m_ctx.now();
    if (now.mono < m_ctx.m_staffLockedUntil) {
        return;
    }
    if (m_cornerTaps == 0 || now.mono - m_firstCornerTap > kStaffTapWindow) {
        m_cornerTaps = 0;
        m_firstCornerTap = now.mono;
    }
    if (++m_cornerTaps < kStaffTaps) {
        return;
    }
    m_cornerTaps = 0;
    m_ctx.m_session.digits.clear();
    m_ctx.setMessage("");
    m_ctx.go(StepId::StaffPin);
}

void Journey::onEvent(const Event& event, Now now) {
    m_ctx.m_now = now;
    if (std::holds_alternative<CodeScanned>(event)) {
        // A scan is the shopper's input, like a touch: only the step on screen takes it.
        if (wantsCamera()) {
            current().event(m_ctx, event);
        }
    } else if (const auto* sync = std::get_if<SyncChanged>(&event)) {
        if (sync->online) {
            m_ctx.m_sync.lastSync = now.wall;
        }
        m_ctx.m_sync.online = sync->online;
        m_ctx.m_sync.outboxDepth = sync->outboxDepth;
        m_ctx.m_sync.enrollment = sync->enrollment;
        m_ctx.m_sync.clockOffsetSeconds = sync->clockOffsetSeconds;
        m_ctx.m_sync.roundTripMs = sync->roundTripMs;
        m_ctx.m_sync.lastError = sync->lastError;
    } else if (const auto* service = std::get_if<ServiceChanged>(&event)) {
        m_ctx.m_service = service->notice;  // a shopper already in a journey finishes it
        for (auto& [id, step] : m_steps) {
            step->event(m_ctx, event);
        }
    } else {
        if (std::holds_alternative<ClaimSettled>(event)) {
            m_ctx.m_sync.lastSync = now.wall;
        }
        if (const auto session = sessionOf(event); session && *session != m_ctx.sessionId()) {
            return;  // an answer to a wiped session
        }
        if (const auto* called = std::get_if<StaffCalled>(&event)) {
            m_staffCall = called->delivered ? StaffCall::Delivered : StaffCall::NotDelivered;
            rebuild();
            return;
        }
        for (auto& [id, step] : m_steps) {
            step->event(m_ctx, event);
        }
    }
    settle();
}

// ---- the view ----------------------------------------------------------------------------------------

void Journey::rebuild() {
    ui::View v;
    v.language = m_ctx.languageCode();
    current().present(m_ctx, v);
    const Session& s = m_ctx.session();
    if (!s.messageKey.empty()) {
        v.lines.push_back(
            {m_ctx.tr(s.messageKey, s.messageArgs), ui::TextLine::Style::Body, ui::Tone::Error});
    }
    if (v.spinner) {
        addWait(v);
    } else {
        m_waitingSince.reset();
    }
    addStaffCall(v);
    v.controls.push_back({encodeIntent(Action::Language), m_ctx.tr("common.other_language")});
    v.accessible = m_accessible;
    if (m_step == StepId::Attract) {
        v.controls.push_back({encodeIntent(Action::Access),
                              m_ctx.tr(m_accessible ? "common.access_off" : "common.access_on")});
    }
    if (m_countdownShown) {
        v.countdown = m_ctx.tr("common.countdown", {{"seconds", std::to_string(*m_countdownShown)}});
    }
    const SyncState& sync = m_ctx.sync();
    v.status = sync.online ? (sync.outboxDepth > 0
                                  ? m_ctx.tr("status.syncing", {{"count", std::to_string(sync.outboxDepth)}})
                                  : m_ctx.tr("status.online"))
                           : m_ctx.tr("status.offline");
    // One rebuild after any input; the revision (what the app redraws on) moves only on a change.
    v.revision = m_view.revision;
    if (v != m_view) {
        ++v.revision;
        m_view = std::move(v);
    }
}

void Journey::addStaffCall(ui::View& v) const {
    if (m_step == StepId::StaffPin || m_step == StepId::Maintenance) {
        return;  // staff are there
    }
    switch (m_staffCall) {
        case StaffCall::None:
            break;
        case StaffCall::Calling:
            v.lines.push_back({m_ctx.tr("common.staff_calling"), ui::TextLine::Style::Body});
            break;
        case StaffCall::Delivered:
            v.lines.push_back({m_ctx.tr("common.staff_called"), ui::TextLine::Style::Body, ui::Tone::Good});
            break;
        case StaffCall::NotDelivered:
            v.lines.push_back(
                {m_ctx.tr("common.staff_not_called"), ui::TextLine::Style::Body, ui::Tone::Error});
            break;
    }
    // Once central has the alert, or while it is on its way, another touch would add nothing.
    const bool mayCall = m_staffCall == StaffCall::None || m_staffCall == StaffCall::NotDelivered;
    v.controls.push_back(
        {encodeIntent(Action::CallStaff), m_ctx.tr("common.call_staff"), ui::Control::Kind::Button, mayCall});
}

void Journey::addWait(ui::View& v) {
    const auto now = m_ctx.now().mono;
    // A new wait (another text: printer checked, now the code is sent) starts its own count.
    const std::string& text = v.lines.empty() ? v.title : v.lines.front().text;
    if (!m_waitingSince || (text != m_waitingFor && !m_sameWait)) {
        m_waitingSince = now;
    }
    m_waitingFor = text;
    const auto waited = std::max(std::chrono::milliseconds{0}, now - *m_waitingSince);
    v.spinner =
        static_cast<float>((waited % kSpinnerTurn).count()) / static_cast<float>(kSpinnerTurn.count());
    if (waited >= kStillTryingAfter) {
        v.lines.push_back({m_ctx.tr("working.still_trying"), ui::TextLine::Style::Body});
    }
}

}  // namespace kiosk
