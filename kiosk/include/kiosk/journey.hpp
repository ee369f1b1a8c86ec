#pragma once
// The shopper's journey: the single owner of the truth of what the kiosk screen shows.
//
// Contract
// - UI thread only; never blocks, does no I/O, includes neither SDL nor ImGui. Time comes in as an
//   argument (`Now`, read by the caller from the HAL clock), so tests drive it with a manual clock.
// - Inputs: the shopper's intents (ui::Intent), worker events (events.hpp) and tick() for the idle
//   timeout. Outputs: view() — rebuilt only when something changed — and takeCommands(), the work the
//   app must hand to its workers.
// - wipe() forgets the shopper completely (receipt, phone, member, code, voucher) in one call; it runs
//   on idle timeout and at the end of every journey. Late answers of a wiped session are ignored.
// - Staff mode: kStaffTaps touches within kStaffTapWindow on the hidden "staff" control of Attract open
//   the staff PIN entry; the configured PIN opens Maintenance (device health, refused claims to
//   acknowledge, vouchers to reprint). kStaffPinTries wrong PINs (which also lock the gesture for
//   kStaffLockout), "back", or the idle timeout wipe it like a shopper's session.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/events.hpp"
#include "loyalty/campaign.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/receipt_token.hpp"
#include "ui/strings.hpp"
#include "ui/view.hpp"

namespace kiosk {

/// A time point given to the journey: monotonic milliseconds (idle timeout) and wall seconds
/// (receipt age), both from the HAL clock.
struct Now {
    std::chrono::milliseconds mono{0};
    loyalty::UnixSeconds wall = 0;
};

/// One entry of the rewards catalog.
struct Reward {
    std::string id;
    std::string titleVi;
    std::string titleEn;
    std::int64_t points = 0;  ///< price in points
};

struct JourneyConfig {
    std::string kioskId;
    std::chrono::milliseconds idleTimeout{45'000};
    std::chrono::milliseconds countdownFrom{10'000};  ///< the countdown shows in the last this-many ms
    std::string consentTextVersion = "consent-2026-11";
    loyalty::StoreKeyring keyring;
    loyalty::VerifyPolicy verifyPolicy;
    const loyalty::PhonePolicy* phonePolicy = &loyalty::PhonePolicy::builtIn();
    std::vector<Reward> rewards;
    /// Points the receipt will earn, shown as provisional while central has not confirmed them.
    /// Empty function or empty answer: the screen says "pending" without a figure.
    std::function<std::optional<std::int64_t>(const loyalty::Receipt&)> estimatePoints;
    /// Digits opening the maintenance screen; empty: no staff mode (no hidden control on Attract).
    std::string staffPin;
};

inline constexpr int kStaffTaps = 5;
inline constexpr std::chrono::milliseconds kStaffTapWindow{4'000};
inline constexpr int kStaffPinTries = 3;
/// After kStaffPinTries wrong PINs the gesture does nothing for this long (no guessing 3 PINs a minute).
inline constexpr std::chrono::milliseconds kStaffLockout{5 * 60'000};

class Journey {
  public:
    /// `vi` and `en` must outlive the journey. Starts on Attract in `language` ("vi" | "en").
    Journey(JourneyConfig config, const ui::Strings& vi, const ui::Strings& en, std::string language = "vi");

    void onIntent(const ui::Intent& intent, Now now);
    /// A touch anywhere on the screen: the shopper is still there (resets the idle countdown).
    void touched(Now now);
    /// Replaces what central's configuration decides: the catalog, the store keys, the estimator.
    /// Takes effect from the next screen built; a session in progress keeps its receipt.
    void setRewards(std::vector<Reward> rewards);
    void setKeyring(loyalty::StoreKeyring keyring);
    void setEstimator(std::function<std::optional<std::int64_t>(const loyalty::Receipt&)> estimatePoints);
    /// The campaign the Attract screen advertises: its name and the promotions not over at `now`.
    void setCampaign(const loyalty::Campaign& campaign, Now now);
    void onEvent(const Event& event, Now now);
    /// Runs the idle timeout; call at least every second while not on Attract (see nextWake).
    void tick(Now now);

    [[nodiscard]] const ui::View& view() const { return m_view; }
    /// The commands emitted since the last call, in order.
    [[nodiscard]] std::vector<Command> takeCommands();
    /// When tick() must next run to keep the countdown and the timeout exact; empty on Attract.
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextWake(Now now) const;
    /// True on the screens where a scanned receipt is taken (Attract, Scan): the camera may sleep otherwise.
    [[nodiscard]] bool wantsCamera() const;

    void wipe();
    [[nodiscard]] std::uint64_t session() const { return m_session; }

  private:
    enum class Step {
        Attract,
        Scan,
        Phone,
        Consent,
        Working,
        Result,
        Rewards,
        Otp,
        Voucher,
        History,
        StaffPin,
        Maintenance
    };
    enum class Pending {
        None,
        Member,
        Queue,
        PrinterBeforeOtp,
        Otp,
        PrinterBeforeRedeem,
        Redeem,
        Print,
        PrinterBeforeReprint,
        Reprint,
        PrinterBeforeConsent,
        PrintConsent
    };

    struct Session {
        std::optional<loyalty::Receipt> receipt;
        std::string token;
        std::string digits;  ///< phone or code being typed
        std::optional<loyalty::PhoneNumber> phone;
        bool consentJoin = false;
        bool consentMarketing = false;
        loyalty::UnixSeconds consentAt = 0;  ///< when the consent was given; 0: not in this session
        /// The consent receipt: nullopt: not asked (or still printing); empty: printed; else the problem.
        std::optional<std::string> consentPrint;
        bool memberKnown = false;  ///< central answered the lookup
        std::optional<Member> member;
        std::string claimKey;
        std::optional<std::int64_t> provisional;
        std::int64_t pendingPoints = 0;
        std::optional<ClaimOutcome> settled;
        /// Answers of central that arrived while this session's claim was being queued (its key unknown).
        std::vector<ClaimSettled> earlyAnswers;
        std::string selectedReward;
        std::optional<Redemption> voucher;
        std::string printProblem;  ///< empty: printed
        std::string messageKey;    ///< a message to show on the current screen ("scan.error.token_expired")
        std::vector<std::pair<std::string_view, std::string>> messageArgs;
        std::string workingKey;  ///< what the Working screen says
    };

    /// Staff mode: the gesture, the PIN tries and what the maintenance screen shows. Wiped with the session.
    struct Staff {
        int cornerTaps = 0;
        std::chrono::milliseconds firstTap{0};
        int wrongPins = 0;
        std::optional<StaffReport> report;
        bool reportFailed = false;
        std::optional<std::string> printerProblem;  ///< empty string: ready; nullopt: not known yet
        std::string reprintCode;
        std::string noticeKey;  ///< the outcome of the last staff action
        std::vector<std::pair<std::string_view, std::string>> noticeArgs;
        ui::Tone noticeTone = ui::Tone::Normal;
    };

    // One handler per event (onEvent dispatches).
    void on(const CodeScanned& e, Now now);
    void on(const ScanTipChanged& e, Now now);
    void on(const MemberLookedUp& e, Now now);
    void on(const ClaimQueued& e, Now now);
    void on(const ClaimSettled& e, Now now);
    void on(const SyncChanged& e, Now now);
    void on(const OtpRequested& e, Now now);
    void on(const PrinterChecked& e, Now now);
    void on(const Redeemed& e, Now now);
    void on(const Printed& e, Now now);
    void on(const StaffReportLoaded& e, Now now);
    /// Queues this session's claim (QueueClaim) and waits for ClaimQueued on the Working screen.
    void queueClaim(bool consented, Now now);
    void handleScan(const std::string& text, Now now);
    /// Central's answer to this session's claim: shown, and an accepted one refreshes the member.
    void applySettlement(const ClaimOutcome& outcome);
    void handleKey(const std::string& key);
    void submitPhone();
    void chooseReward(const std::string& id);
    void submitOtp();
    void tapStaffCorner(Now now);
    void submitStaffPin(Now now);
    /// The Phone and Otp keypads: a digit, delete, OK (`submit`) or back to `back`.
    void onKeypadIntent(const std::string& id, const std::function<void()>& submit, Step back);
    void onConsentIntent(const std::string& id, Now now);
    void onResultIntent(const std::string& id);
    void onMaintenanceIntent(const std::string& id);
    void onStaffPrinterChecked(const std::string& problem, Now now);
    /// The content of the consent receipt of this session, in the shopper's language.
    [[nodiscard]] ConsentSlip consentSlip(Now now) const;
    void setNotice(std::string key, ui::Tone tone,
                   std::vector<std::pair<std::string_view, std::string>> args = {});
    void go(Step step);
    void setMessage(std::string key, std::vector<std::pair<std::string_view, std::string>> args = {});
    void rebuild();
    void buildAttract(ui::View& v) const;
    void buildScan(ui::View& v) const;
    void buildPhone(ui::View& v) const;
    void buildConsent(ui::View& v) const;
    void buildResult(ui::View& v) const;
    void buildRewards(ui::View& v) const;
    void buildOtp(ui::View& v) const;
    void buildVoucher(ui::View& v) const;
    void buildHistory(ui::View& v) const;
    void buildStaffPin(ui::View& v) const;
    void buildMaintenance(ui::View& v) const;
    /// The vouchers issued here, with their reprint buttons (Maintenance).
    void addStaffVouchers(ui::View& v, const StaffReport* report) const;
    /// The member's tier, its progress and benefits (Result).
    [[nodiscard]] ui::TierCard tierCard(const Member& member) const;
    void addKeypad(ui::View& v, bool okEnabled) const;
    [[nodiscard]] const Reward* reward(const std::string& id) const;
    [[nodiscard]] std::string rewardTitle(const Reward& r) const;
    /// A count of points / an amount of dong grouped the way the current language writes numbers.
    [[nodiscard]] std::string number(std::int64_t n) const;
    [[nodiscard]] std::string money(loyalty::Dong amount) const;
    [[nodiscard]] loyalty::Language language() const {
        return m_language == "en" ? loyalty::Language::English : loyalty::Language::Vietnamese;
    }
    [[nodiscard]] std::string tr(
        std::string_view key, const std::vector<std::pair<std::string_view, std::string>>& args = {}) const;
    [[nodiscard]] std::string errorText(std::string_view prefix, const std::string& code,
                                        const std::string& fallbackKey) const;

    JourneyConfig m_config;
    std::optional<loyalty::LocalizedText> m_campaignName;
    std::vector<loyalty::Promotion> m_promotions;
    const ui::Strings& m_vi;
    const ui::Strings& m_en;
    std::string m_language;
    std::string m_defaultLanguage;
    Step m_step = Step::Attract;
    Pending m_pending = Pending::None;
    Session m_s;
    Staff m_staff;
    std::chrono::milliseconds m_staffLockedUntil{0};  ///< survives wipes, unlike m_staff
    std::uint64_t m_session = 1;
    std::chrono::milliseconds m_lastActivity{0};
    std::optional<std::int64_t> m_countdownShown;
    bool m_scanHelp = false;            ///< the "cannot read it?" tip is on the Scan screen
    ScanTip m_scanTip = ScanTip::None;  ///< the scanner's latest advice (shown on the Scan screen only)
    bool m_online = false;
    std::int64_t m_outboxDepth = 0;
    Enrollment m_enrollment = Enrollment::NotNeeded;
    std::optional<loyalty::UnixSeconds> m_lastSync;  ///< central time of the last answer from the sync worker
    std::vector<Command> m_commands;
    ui::View m_view;
};

}  // namespace kiosk
