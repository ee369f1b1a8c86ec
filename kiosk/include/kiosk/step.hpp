#pragma once
// One step of the shopper's journey (a screen and what it does), and the context the journey lends it.
//
// Contract
// - A Step is created fresh for every session (the journey re-creates all of them on wipe), so whatever
//   it waits for (a printer answer, a code, a claim) is its private state and dies with the session.
// - enter(): the journey navigated to it. intent(): a touch on one of the controls its view offers,
//   decoded (intents.hpp). event(): every worker answer of the current session reaches every step; a
//   step acts only on the answers it is waiting for. CodeScanned goes to the current step only.
//   present(): its part of the view; the journey adds the common chrome (message, language button,
//   countdown, sync status) and rebuilds the view once after any input.
// - Steps never call each other: they share the Session and ask the context to navigate (deferred until
//   the handler returns), to emit a Command, or to wipe the session.
// - Adding a step: one class in its own file and one registration in src/journey/steps.cpp
//   (docs/architecture.md shows it with the History step).

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/events.hpp"
#include "kiosk/intents.hpp"
#include "kiosk/journey_config.hpp"
#include "loyalty/campaign.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/receipt.hpp"
#include "ui/strings.hpp"
#include "ui/view.hpp"

namespace kiosk {

enum class StepId {
    Attract,
    Scan,
    Phone,
    Consent,
    Result,
    History,
    Rewards,
    Otp,
    Voucher,
    StaffPin,
    Maintenance,
    PaperChange,
    Game,
    BuyPlay,
    OptOut,
};

using TextArgs = std::vector<std::pair<std::string_view, std::string>>;

/// What the shopper told the kiosk in this session; shared by the steps, forgotten by wipe().
struct Session {
    std::optional<loyalty::Receipt> receipt;
    std::string token;   ///< the receipt QR exactly as scanned
    std::string digits;  ///< phone, code or PIN being typed
    std::optional<loyalty::PhoneNumber> phone;
    bool consentJoin = false;
    bool consentMarketing = false;
    loyalty::UnixSeconds consentAt = 0;  ///< when the consent was given; 0: not in this session
    bool memberKnown = false;            ///< central answered the lookup (a member, or none)
    std::optional<Member> member;
    std::optional<std::int64_t> provisional;  ///< points the receipt will earn, as estimated here
    bool claimConsented = false;              ///< the claim records the consent given on the Consent screen
    std::string selectedReward;
    std::string code;  ///< the one-time code typed, handed from the Otp step to the step that asked for it
    StepId codeFor = StepId::Voucher;   ///< the step that asked for the code (Voucher or BuyPlay)
    StepId codeBack = StepId::Rewards;  ///< where Back on the Otp screen goes
    std::string gameToPlay;             ///< the game of a play just bought: the Game step opens it
    std::optional<GameOffer> games;     ///< the member's promo games, once central listed them
    std::optional<StaffMember> staff;   ///< who opened the maintenance screen (their actions name them)
    std::string messageKey;  ///< a message shown on the current screen ("scan.error.token_expired")
    TextArgs messageArgs;
};

/// What the sync worker last said, and when central last answered (central's time).
struct SyncState {
    bool online = false;
    std::int64_t outboxDepth = 0;
    Enrollment enrollment = Enrollment::NotNeeded;
    std::optional<loyalty::UnixSeconds> lastSync;
    std::int64_t clockOffsetSeconds = 0;      ///< central time minus kiosk time
    std::optional<std::int64_t> roundTripMs;  ///< the last answered call to central
    std::string lastError;                    ///< the sync worker's, for staff
};

/// The campaign the Attract screen advertises.
struct Advert {
    std::optional<loyalty::LocalizedText> campaignName;
    std::vector<loyalty::Promotion> promotions;  ///< not over at the time it was set
};

/// Everything a step may use: translation, formatting, navigation, commands, time, session, config.
class StepContext {
  public:
    StepContext(JourneyConfig config, const ui::Strings& vi, const ui::Strings& en, std::string language)
        : m_config(std::move(config)), m_vi(vi), m_en(en), m_language(std::move(language)) {}

    [[nodiscard]] std::string tr(std::string_view key, const TextArgs& args = {}) const;
    [[nodiscard]] bool has(std::string_view key) const;
    /// The text of `prefix + code`, or of `fallbackKey` when the strings have no such key.
    [[nodiscard]] std::string trCode(std::string_view prefix, const std::string& code,
                                     std::string_view fallbackKey) const;
    [[nodiscard]] std::string number(std::int64_t n) const;
    [[nodiscard]] std::string money(loyalty::Dong amount) const;
    [[nodiscard]] const std::string& languageCode() const { return m_language; }
    [[nodiscard]] loyalty::Language language() const {
        return m_language == "en" ? loyalty::Language::English : loyalty::Language::Vietnamese;
    }
    [[nodiscard]] const std::string& in(const loyalty::LocalizedText& text) const {
        return text.in(language());
    }

    /// Navigates once the current handler returns (the target's enter() runs then).
    void go(StepId step) { m_next = step; }
    /// Forgets the session once the current handler returns.
    void wipe() { m_wipe = true; }
    /// Three wrong staff PINs: the gesture stays locked for kStaffLockout, and the session is wiped.
    void lockStaff();
    void emit(Command command) { m_commands.push_back(std::move(command)); }
    void setMessage(std::string key, TextArgs args = {});
    /// A receipt this kiosk queued (it survives wipes): scanned again, it is refused before the phone is
    /// asked. The outbox still refuses a duplicate that this memory no longer holds (a restart).
    void rememberClaimed(const std::string& receiptId);
    [[nodiscard]] bool claimedHere(const std::string& receiptId) const;

    [[nodiscard]] Now now() const { return m_now; }
    /// How long the shopper has not touched the screen.
    [[nodiscard]] std::chrono::milliseconds idleFor() const { return m_now.mono - m_lastActivity; }
    [[nodiscard]] std::uint64_t sessionId() const { return m_sessionId; }
    [[nodiscard]] Session& session() { return m_session; }
    [[nodiscard]] const Session& session() const { return m_session; }
    [[nodiscard]] const JourneyConfig& config() const { return m_config; }
    [[nodiscard]] const SyncState& sync() const { return m_sync; }
    [[nodiscard]] const Advert& advert() const { return m_advert; }
    /// Out of service or not (survives wipes; set by staff or head office).
    [[nodiscard]] const ServiceNotice& service() const { return m_service; }
    /// The staff gesture exists: the kiosk has its own PIN or central issued staff PINs.
    [[nodiscard]] bool staffMode() const { return !m_config.staffPin.empty() || m_staffIssued; }
    [[nodiscard]] bool staffIssued() const { return m_staffIssued; }
    [[nodiscard]] const Reward* reward(const std::string& id) const;

  private:
    friend class Journey;
    [[nodiscard]] const ui::Strings& strings() const { return m_language == "en" ? m_en : m_vi; }

    JourneyConfig m_config;
    const ui::Strings& m_vi;
    const ui::Strings& m_en;
    std::string m_language;
    Session m_session;
    SyncState m_sync;
    Advert m_advert;
    Now m_now;
    std::chrono::milliseconds m_lastActivity{0};
    std::uint64_t m_sessionId = 1;
    std::vector<Command> m_commands;
    std::optional<StepId> m_next;
    bool m_wipe = false;
    std::chrono::milliseconds m_staffLockedUntil{0};  ///< survives wipes
    ServiceNotice m_service;                          ///< survives wipes
    bool m_staffIssued = false;                       ///< central's configuration lists staff
    std::deque<std::string> m_claimedHere;            ///< survives wipes; the newest kClaimsRemembered
};

class Step {
  public:
    virtual ~Step() = default;
    virtual void enter(StepContext& /*ctx*/) {}
    virtual void intent(StepContext& ctx, const Intent& intent) = 0;
    virtual void event(StepContext& /*ctx*/, const Event& /*event*/) {}
    virtual void present(const StepContext& ctx, ui::View& view) const = 0;
    /// True where a scanned receipt is taken: the camera may sleep on the other steps.
    [[nodiscard]] virtual bool wantsCamera() const { return false; }
    /// Idle time after which present() changes by itself (a tip), so the loop wakes for it.
    [[nodiscard]] virtual std::optional<std::chrono::milliseconds> changesAfterIdle() const { return {}; }
    /// Monotonic time at which the step wants tick() (something it re-checks by itself, like a printer
    /// out of paper, or the end of a spin); empty: never. Journey::nextWake wakes the loop for it.
    [[nodiscard]] virtual std::optional<std::chrono::milliseconds> nextTick() const { return {}; }
    /// Called by Journey::tick once nextTick() has passed (the shopper's idle time is not reset).
    virtual void tick(StepContext& /*ctx*/) {}
    /// True while present() moves by itself at `mono` (a spinning wheel): the journey asks for frames.
    [[nodiscard]] virtual bool animating(std::chrono::milliseconds /*mono*/) const { return false; }
};

/// Every step of the journey, freshly made (src/journey/steps.cpp: the one registration of a step).
[[nodiscard]] std::map<StepId, std::unique_ptr<Step>> makeSteps();

/// The Working screen, shown by a step while it waits for the outside world (`key`: what it says), with
/// a spinner; the journey turns it and says "still trying…" after kStillTryingAfter.
void presentWorking(const StepContext& ctx, ui::View& view, std::string_view key);
/// Our wording of a refusal code of central's ("token_expired", "already_claimed") in the shopper's
/// language; a code we have no words for is said generically. Central's own text is for staff logs.
[[nodiscard]] std::string refusalText(const StepContext& ctx, const std::string& code);
/// Records a staff action of the maintenance mode under the session's staff member (none: nothing).
void recordStaffAction(StepContext& ctx, std::string action, std::string detail = {});
/// Our wording of a printer problem code ("paper_out") for staff.
[[nodiscard]] std::string printerProblemText(const StepContext& ctx, const std::string& problem);
/// The digit keypad of the Phone, Otp and StaffPin steps.
void addKeypad(const StepContext& ctx, ui::View& view, bool okEnabled);
/// A keypad intent typed into the session's digits (at most `maxDigits`); false: not a keypad key.
bool typeKey(StepContext& ctx, const Intent& intent, std::size_t maxDigits);

}  // namespace kiosk
