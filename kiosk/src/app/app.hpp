#pragma once
// The kiosk application: wires the journey (kiosk_core), the UI host, the camera + scanner, the
// printer, the local outbox with its sync worker, the central client and the automation socket.
//
// Threads: run() is the UI thread (it owns the Host, the Journey and ImGui). Workers: the scanner's,
// the sync worker's, `central` (member, OTP, redemption calls), `store` (outbox writes) and the
// automation listener. They post to the Inbox and wake the UI loop; nothing else crosses threads.

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "automation_server.hpp"
#include "central_config.hpp"
#include "config.hpp"
#include "devices.hpp"
#include "hal/clock.hpp"
#include "hal/service_notifier.hpp"
#include "kiosk/journey.hpp"
#include "steppable_clock.hpp"
#include "ui/chime.hpp"
#include "ui/host.hpp"
#include "ui/strings.hpp"

namespace kiosk::sync {
class LocalStore;
class SyncWorker;
}  // namespace kiosk::sync

namespace kiosk {

class Inbox;
struct CentralConfig;
class TicketWriter;
class Worker;
struct CentralLink;

class App {
  public:
    /// Opens everything; throws std::runtime_error with a clear message on a start-up failure
    /// (bad config, no display, unwritable data dir, busy automation socket).
    App(KioskConfig config, std::unique_ptr<Devices> devices,
        std::chrono::steady_clock::time_point processStart);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    /// The UI loop; returns when the window is closed or SIGINT/SIGTERM arrives (SDL turns both into
    /// a quit event). Exit code.
    int run();

  private:
    struct AutomationJob;

    [[nodiscard]] Now now() const;
    /// The central client for the `central` worker and the sync worker with its own (constructor).
    void connectCentral();
    /// The configured printer, its fonts and the shop's logo (constructor).
    void dispatch(std::vector<Command> commands);
    // One handler per command, on the worker that owns its device (dispatch.cpp).
    void carryOut(const LookupMember& c);
    void carryOut(const QueueClaim& c);
    void carryOut(const RequestOtp& c);
    void carryOut(const Redeem& c);
    void carryOut(const CheckPrinter& c);
    void carryOut(const PrintVoucher& c);
    void carryOut(const PrintConsent& c);
    void carryOut(const LoadStaffReport& c);
    void carryOut(const AcknowledgeRefusal& c);
    void carryOut(const LoadGames& c);
    void carryOut(const DrawGame& c);
    void carryOut(const MarkDrawShown& c);
    void carryOut(const BuyGameTicket& c);
    void carryOut(const WithdrawConsent& c);
    void carryOut(const CallStaff& c);
    void carryOut(const CheckStaffPin& c);
    void carryOut(const RecordStaffAction& c);
    void carryOut(const PrintTestPage& c);
    void carryOut(const SetService& c);
    void carryOut(const RestartApp& c);
    void carryOut(const InstallUpdateNow& c);
    void carryOut(const PostponeUpdate& c);
    void carryOut(const PlayChime& c);
    /// Reads what the maintenance screen shows (after acknowledging a refusal when T says so).
    template <typename T>
    void reportToStaff(const T& c);
    void handleAutomation(AutomationServer::Command command);
    void automationTouch(AutomationServer::Command command);  ///< tap, type: a multi-frame job
    void automationCamera(AutomationServer::Command& command);
    void automationScreenshot(AutomationServer::Command& command);
    void automationTime(AutomationServer::Command& command);     ///< idle, advance
    void automationGesture(AutomationServer::Command& command);  ///< flick, scratch (the game board)
    void pollAutomation();
    void finishAutomationJob();
    /// Applies central's configuration (rewards, campaign, store keys) to the journey. UI thread.
    void applyCentralConfig(const CentralConfig& config);
    /// Central's theme and logo on screen (and on paper when the kiosk has no logo of its own); a refused
    /// one is logged and the last good look stays. UI thread.
    void applyLook(const std::expected<ChainLook, std::string>& look);
    /// Replaces the rewards' pictures the host draws on the rewards list ("reward:<id>"). UI thread.
    void showRewardPictures(const std::map<std::string, ui::Image>& pictures);
    // The UI loop's parts (app.cpp): how long to wait, the inbox, the camera preview, the frame.
    [[nodiscard]] std::chrono::milliseconds waitTimeout() const;
    void drainInbox();
    void showCameraFrame();
    void drawIfDirty();
    /// Tells the update agent whether this is a quiet moment (Attract, untouched for [update]
    /// quiet_minutes) and checks the devices it asked about; true when the agent asked for a restart
    /// (the launcher then starts `current`).
    [[nodiscard]] bool updateWantsRestart();
    /// The update agent's health gate asks (on the sync thread) for its devices: the UI loop checks them
    /// when it next turns (woken now).
    void askDevicesForUpdate();
    /// The update agent's health gate: camera open, printer answering (on the printer worker; the answer
    /// goes to UpdateControl::devicesChecked).
    void checkDevicesForUpdate();

    KioskConfig m_config;
    std::chrono::steady_clock::time_point m_processStart;
    std::unique_ptr<Devices> m_devices;  ///< camera, scanner, printer and the one clock (from main)
    /// systemd's watchdog measures real time, so the notifier reads the system clock, not the devices' clock.
    hal::SystemClock m_watchdogClock;
    hal::ServiceNotifier m_notifier{m_watchdogClock};  ///< READY, WATCHDOG, STATUS, STOPPING (UI thread)
    std::atomic<std::int64_t> m_idleOffsetMs{0};       ///< automation's "idle advance_ms"
    ui::Strings m_vi;
    ui::Strings m_en;
    std::unique_ptr<TicketWriter> m_tickets;  ///< words the slips the journey asks to print (UI thread)
    std::unique_ptr<ui::Host> m_host;
    std::unique_ptr<ui::Chime> m_chime;  ///< null: no sound (not configured, or no audio device opened)
    std::unique_ptr<Inbox> m_inbox;
    std::unique_ptr<Journey> m_journey;
    std::unique_ptr<sync::LocalStore> m_store;
    std::unique_ptr<CentralLink> m_central;
    std::unique_ptr<Worker> m_printerWorker;
    std::unique_ptr<Worker> m_centralWorker;
    std::unique_ptr<Worker> m_storeWorker;
    std::unique_ptr<AutomationServer> m_automation;
    std::unique_ptr<AutomationJob> m_job;
    int m_framesToDraw = 3;
    ui::Theme m_lookTheme;                 ///< the theme the host draws with (kiosk.toml's, then central's)
    std::vector<std::uint8_t> m_lookLogo;  ///< central's logo as shown (empty: none)
    std::vector<std::string> m_rewardPictures;  ///< ids of the rewards whose picture the host holds
    std::uint64_t m_drawnRevision = 0;
    std::uint64_t m_framesDrawn = 0;
    double m_lastFrameMs = 0;
    double m_maxFrameMs = 0;
    hal::MonotonicMs m_lastActiveMs = 0;
    /// Central's staff (their Argon2id strings), replaced by each configuration; copied into PIN checks.
    std::shared_ptr<const std::vector<StaffCredential>> m_staff =
        std::make_shared<const std::vector<StaffCredential>>();
    std::atomic<bool> m_devicesAsked{false};  ///< the update agent's gate asked (sync thread) for a check
    std::atomic<bool> m_restartRequested{
        false};  ///< staff asked (set on the store worker after the audit)  ///< last touch or non-Attract
                 ///< screen (for the quiet moment)
};

}  // namespace kiosk
