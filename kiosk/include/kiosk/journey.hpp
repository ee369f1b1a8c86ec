#pragma once
// The shopper's journey: the single owner of the truth of what the kiosk screen shows.
//
// Contract
// - UI thread only; never blocks, does no I/O, includes neither SDL nor ImGui. Time comes in as an
//   argument (`Now`, read by the caller from the HAL clock), so tests drive it with a manual clock.
// - Inputs: the shopper's intents (ui::Intent), worker events (events.hpp) and tick() for the idle
//   timeout. Outputs: view() — rebuilt once after any input, its revision changing only when what it
//   shows changed — and takeCommands(), the work the app must hand to its workers.
// - The journey keeps the session, the idle wipe, the staff gesture and the routing; every screen is a
//   Step (step.hpp) registered in src/journey/steps.cpp.
// - wipe() forgets the shopper completely (receipt, phone, member, code, voucher, and whatever any step
//   waited for) in one call; it runs on idle timeout and at the end of every journey. Late answers of a
//   wiped session are ignored.
// - Staff mode: kStaffTaps touches within kStaffTapWindow on the hidden "staff" control of Attract open
//   the staff PIN entry; the configured PIN opens Maintenance (device health, refused claims to
//   acknowledge, vouchers to reprint). kStaffPinTries wrong PINs (which also lock the gesture for
//   kStaffLockout), "back", or the idle timeout wipe it like a shopper's session.
// - Waits: a step shows a wait with presentWorking(); the journey turns its spinner with the clock
//   (nextWake asks for kSpinnerFrame frames while it shows) and adds "still trying…" after
//   kStillTryingAfter. Large text and high contrast ("access", on Attract) last until the wipe.
// - Call staff: every shopper screen offers "call_staff"; the screen says "staff alerted" only once the
//   app says central has the alert (StaffCalled), and "not sent: go to the counter" otherwise.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/events.hpp"
#include "kiosk/journey_config.hpp"
#include "kiosk/step.hpp"
#include "loyalty/campaign.hpp"
#include "ui/strings.hpp"
#include "ui/view.hpp"

namespace kiosk {

class Journey {
  public:
    /// `vi` and `en` must outlive the journey. Starts on Attract in `language` ("vi" | "en").
    Journey(JourneyConfig config, const ui::Strings& vi, const ui::Strings& en, std::string language = "vi");
    ~Journey();
    Journey(const Journey&) = delete;
    Journey& operator=(const Journey&) = delete;

    void onIntent(const ui::Intent& intent, Now now);
    /// A touch anywhere on the screen: the shopper is still there (resets the idle countdown).
    void touched(Now now);
    /// Replaces what central's configuration decides: the catalog, the store keys, the estimator.
    /// Takes effect from the next screen built; a session in progress keeps its receipt.
    void setRewards(std::vector<Reward> rewards);
    void setKeyring(loyalty::StoreKeyring keyring);
    void setEstimator(std::function<std::optional<std::int64_t>(const loyalty::Receipt&)> estimatePoints);
    /// Central's campaign: the Attract screen advertises its name and the promotions not over at `now`;
    /// the tier card shows each tier's earn bonus.
    void setCampaign(const loyalty::Campaign& campaign, Now now);
    /// Central's tier rules: the tier card shows their benefits.
    void setTierRules(loyalty::TierRules rules);
    /// Central's configuration lists staff members: the staff gesture exists even without a kiosk PIN
    /// (their PINs are checked by the app: CheckStaffPin).
    void setStaffIssued(bool issued);
    void onEvent(const Event& event, Now now);
    /// Runs the idle timeout; call at least every second while not on Attract (see nextWake).
    void tick(Now now);

    [[nodiscard]] const ui::View& view() const { return m_view; }
    /// The commands emitted since the last call, in order.
    [[nodiscard]] std::vector<Command> takeCommands();
    /// When tick() must next run to keep the countdown and the timeout exact; empty on Attract.
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextWake(Now now) const;
    /// True while the screen moves by itself at `now` (the success moment's count-up and confetti, a
    /// spinning wheel) or the view still shows such a frame: a screenshot now would catch it midway.
    [[nodiscard]] bool animating(Now now) const;
    /// True on the screens where a scanned receipt is taken (Attract, Scan): the camera may sleep otherwise.
    [[nodiscard]] bool wantsCamera() const;

    void wipe();
    [[nodiscard]] std::uint64_t session() const { return m_ctx.sessionId(); }

  private:
    [[nodiscard]] Step& current() const { return *m_steps.at(m_step); }
    /// nextWake for the idle countdown and timeout alone (not on Attract).
    [[nodiscard]] std::chrono::milliseconds nextIdleWake(Now now) const;
    /// Applies what the last handler asked for (navigation, wipe), then rebuilds the view once.
    void settle();
    void tapStaffCorner();
    void rebuild();
    /// A wait on screen (the view has a spinner): turns it and says "still trying…" after a while.
    void addWait(ui::View& v);
    /// The "call staff" control and what became of the call, on every shopper screen.
    void addStaffCall(ui::View& v) const;

    StepContext m_ctx;
    std::string m_defaultLanguage;
    std::map<StepId, std::unique_ptr<Step>> m_steps;  ///< fresh for every session
    StepId m_step = StepId::Attract;
    int m_cornerTaps = 0;  ///< the staff gesture
    std::chrono::milliseconds m_firstCornerTap{0};
    std::optional<std::int64_t> m_countdownShown;
    std::optional<std::chrono::milliseconds> m_waitingSince;  ///< the wait on screen began (its text)
    std::string m_waitingFor;
    bool m_sameWait = false;    ///< the language changed: the wait's text did, the wait did not
    bool m_accessible = false;  ///< large text and high contrast, for this session
    enum class StaffCall { None, Calling, Delivered, NotDelivered };
    StaffCall m_staffCall = StaffCall::None;  ///< this session's call for staff, as far as central said
    ui::View m_view;
};

}  // namespace kiosk
