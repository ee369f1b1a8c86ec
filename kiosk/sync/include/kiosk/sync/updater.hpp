#pragma once
// The kiosk's update agent as the app sees it (docs/fleet.md, "The kiosk's update agent"): its
// options (SyncOptions::updater) and UpdateControl, the few flags the app and the agent (a job on the
// sync thread, kiosk/sync/src/jobs/updater.*) tell each other.
//
// The agent takes central's offer from the heartbeat, downloads the bundle in ranges, verifies and
// installs it beside the running version, and switches only at a quiet moment (the attract screen
// untouched for quiet_minutes, or untouched inside the maintenance window; none while staff postponed
// it) or when staff say "install now"; then it asks the app to restart. The new version is on trial
// until its health gate passes (the app drew its first frame, its camera is open and its printer
// answers, and one call to central was answered) or its deadline does: then it goes back to the
// previous version and asks for a restart again. Every step and refusal is reported in the heartbeat
// (`update`).
//
// Threads: every member of UpdateControl may be called from any thread; none blocks.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/receipt.hpp"
#include "loyalty/signing.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {

/// How long staff's "postpone" holds an installed release back from a quiet moment.
inline constexpr std::chrono::hours kUpdatePostpone{24};

/// A daily maintenance window in Vietnam time (loyalty/time.hpp): from `fromMinute` (included) to
/// `toMinute` (excluded), in minutes after midnight; a window whose end is before its start runs over
/// midnight ("22:00-04:00").
struct MaintenanceWindow {
    int fromMinute = 0;
    int toMinute = 0;

    /// "HH:MM-HH:MM" (24-hour clock, start and end differ). Error: what is wrong with the text.
    [[nodiscard]] static std::expected<MaintenanceWindow, std::string> parse(std::string_view text);
    [[nodiscard]] bool contains(loyalty::UnixSeconds t) const;
};

struct UpdaterOptions {
    std::filesystem::path root;  ///< the agent's folder (staging, slots, current, state)
    loyalty::PublicKey releaseKey{};
    std::string channel = "stable";
    std::uint64_t maxBundleBytes = 256ull << 20;  ///< the download's size cap (central's own cap)
    std::uint64_t spareBytes = 64ull << 20;       ///< free space to leave after unpacking
    std::chrono::seconds healthDeadline{300};     ///< a new version's trial: health gate or roll back
    std::optional<MaintenanceWindow> window;      ///< inside it, an untouched attract screen is quiet
    /// The health gate's device check: asks the app to check that the camera is open and the printer
    /// answers. Called on the sync thread, must not block; the app answers with
    /// UpdateControl::devicesChecked. Empty: the gate does not wait for devices.
    std::function<void()> checkDevices;
};

/// What the agent says about the release it works on, for the maintenance screen.
struct UpdateStatus {
    net::UpdateReport report;  ///< as the heartbeat carries it
    std::string version;       ///< that release's version (the running one when there is no offer)
};

class UpdateControl {
  public:
    // ---- the app tells the agent ----
    /// A quiet moment: no shopper session and the attract screen idle long enough (or not any more).
    void setQuiet(bool quiet) { m_quiet = quiet; }
    /// No session: the attract screen shows (inside the maintenance window that is a quiet moment).
    void setIdle(bool idle) { m_idle = idle; }
    /// Staff: switch to the installed release without waiting for a quiet moment (ends a postponement).
    void installNow() {
        m_postponedUntil = 0;
        m_installNow = true;
    }
    /// Staff: no switch at a quiet moment before `until` (central's time, unix seconds). The app keeps
    /// it in its database (SyncState) and sets it again at start.
    void postpone(loyalty::UnixSeconds until) { m_postponedUntil = until; }
    /// The UI drew a frame (the health gate also wants the devices and one answer from central).
    void firstFrameDrawn() { m_firstFrame = true; }
    /// The answer to UpdaterOptions::checkDevices: "" when the camera is open and the printer answers
    /// (or none is configured), otherwise what is wrong ("printer not answering").
    void devicesChecked(std::string problem) {
        std::lock_guard lock(m_mutex);
        m_devices = std::move(problem);
    }

    // ---- the agent tells the app ----
    /// The agent switched to a new version or rolled back: exit so the launcher starts `current`.
    [[nodiscard]] bool restartRequested() const { return m_restart; }
    /// The agent's last report, for the maintenance screen.
    [[nodiscard]] UpdateStatus status() const {
        std::lock_guard lock(m_mutex);
        return m_status;
    }
    /// Until when staff postponed the switch (0: not postponed).
    [[nodiscard]] loyalty::UnixSeconds postponedUntil() const { return m_postponedUntil; }

    // ---- for the agent ----
    [[nodiscard]] bool quiet() const { return m_quiet; }
    [[nodiscard]] bool idle() const { return m_idle; }
    [[nodiscard]] bool takeInstallNow() { return m_installNow.exchange(false); }
    [[nodiscard]] bool firstFrame() const { return m_firstFrame; }
    /// The last device check's answer; nullopt before the first.
    [[nodiscard]] std::optional<std::string> devicesProblem() const {
        std::lock_guard lock(m_mutex);
        return m_devices;
    }
    void requestRestart() { m_restart = true; }
    void setStatus(UpdateStatus status) {
        std::lock_guard lock(m_mutex);
        m_status = std::move(status);
    }

  private:
    std::atomic<bool> m_quiet{false};
    std::atomic<bool> m_idle{false};
    std::atomic<bool> m_installNow{false};
    std::atomic<loyalty::UnixSeconds> m_postponedUntil{0};
    std::atomic<bool> m_firstFrame{false};
    std::atomic<bool> m_restart{false};
    mutable std::mutex m_mutex;
    UpdateStatus m_status;
    std::optional<std::string> m_devices;
};

}  // namespace kiosk::sync
