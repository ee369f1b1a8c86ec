#pragma once
// The kiosk's update agent as the app sees it (docs/fleet.md, "The kiosk's update agent"): its
// options (SyncOptions::updater) and UpdateControl, the few flags the app and the agent (a job on the
// sync thread, kiosk/sync/src/jobs/updater.*) tell each other.
//
// The agent takes central's offer from the heartbeat, downloads the bundle in ranges, verifies and
// installs it beside the running version, and switches only at a quiet moment (the app says so, or
// staff say "install now"); then it asks the app to restart. The new version is on trial until its
// health gate passes (the app drew its first frame and one call to central was answered) or its
// deadline does: then it goes back to the previous version and asks for a restart again. Every step
// and refusal is reported in the heartbeat (`update`).
//
// Threads: every member of UpdateControl may be called from any thread; none blocks.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "loyalty/signing.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {

struct UpdaterOptions {
    std::filesystem::path root;  ///< the agent's folder (staging, slots, current, state)
    loyalty::PublicKey releaseKey{};
    std::string channel = "stable";
    std::uint64_t maxBundleBytes = 256ull << 20;  ///< the download's size cap (central's own cap)
    std::uint64_t spareBytes = 64ull << 20;       ///< free space to leave after unpacking
    std::chrono::seconds healthDeadline{300};     ///< a new version's trial: health gate or roll back
};

class UpdateControl {
  public:
    // ---- the app tells the agent ----
    /// A quiet moment: no shopper session and the attract screen idle long enough (or not any more).
    void setQuiet(bool quiet) { m_quiet = quiet; }
    /// Staff: switch to the installed release without waiting for a quiet moment.
    void installNow() { m_installNow = true; }
    /// The UI drew a frame (the health gate's first half; the other is one answer from central).
    void firstFrameDrawn() { m_firstFrame = true; }

    // ---- the agent tells the app ----
    /// The agent switched to a new version or rolled back: exit so the launcher starts `current`.
    [[nodiscard]] bool restartRequested() const { return m_restart; }
    /// The agent's last report (as the heartbeat carries it), for the maintenance screen.
    [[nodiscard]] net::UpdateReport status() const {
        std::lock_guard lock(m_mutex);
        return m_status;
    }

    // ---- for the agent ----
    [[nodiscard]] bool quiet() const { return m_quiet; }
    [[nodiscard]] bool takeInstallNow() { return m_installNow.exchange(false); }
    [[nodiscard]] bool firstFrame() const { return m_firstFrame; }
    void requestRestart() { m_restart = true; }
    void setStatus(net::UpdateReport status) {
        std::lock_guard lock(m_mutex);
        m_status = std::move(status);
    }

  private:
    std::atomic<bool> m_quiet{false};
    std::atomic<bool> m_installNow{false};
    std::atomic<bool> m_firstFrame{false};
    std::atomic<bool> m_restart{false};
    mutable std::mutex m_mutex;
    net::UpdateReport m_status;
};

}  // namespace kiosk::sync
