#pragma once
// A real kiosk as loyalty-kiosk.service runs it, for the update tests (docs/fleet.md): the real
// `kiosk-launcher` starting the real `kiosk` from the update agent's `current` slot (or the build's
// kiosk, the "package", when there is none), with `[update]` on. supervise() plays systemd's
// Restart=always: a launcher that ended is started again. Releases are made the way a release manager
// makes them: scripts/update-bundle, `kioskctl release sign`, `kioskctl release publish`.
// Everything blocks the calling (test) thread.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "central_harness.hpp"
#include "kiosk_harness.hpp"

namespace kiosk::test {

/// The release key pair (`kioskctl release keygen`) and the calls a release manager makes.
class ReleaseDesk {
  public:
    ReleaseDesk(const std::filesystem::path& dir, const central_test::CentralProcess& central);
    [[nodiscard]] std::filesystem::path publicKey() const { return m_dir / "release.pub"; }
    /// scripts/update-bundle of the build's kiosk as `version`, signed, published; central's release id
    /// (0 when a step failed). `broken`: the bundle's kiosk is a script that exits at start.
    [[nodiscard]] std::int64_t publish(const std::string& version, bool broken = false) const;
    /// A rollout of `release` to `kiosks` in two waves (the first kiosk, then the rest after 600 s of
    /// soak), halting at the first failure; its id (0 when refused).
    [[nodiscard]] std::int64_t rollout(std::int64_t release, const std::vector<std::string>& kiosks) const;
    [[nodiscard]] nlohmann::json status(std::int64_t rollout) const;
    /// The state of `kiosk` in a rollout's status ("absent" when it is not in it).
    [[nodiscard]] static std::string kioskState(const nlohmann::json& status, const std::string& kiosk);

  private:
    std::filesystem::path m_dir;
    const central_test::CentralProcess& m_central;
};

class LaunchedKiosk {
  public:
    /// The settings a test varies.
    struct Options {
        int quietMinutes = 1;
        std::string maintenanceWindow;  ///< "HH:MM-HH:MM"; empty: none
        std::string printerAddress;     ///< a virtual printer's "127.0.0.1:PORT"; empty: no printer
        std::string cameraDevice;       ///< the virtual camera's folder or video; empty: shown frames only
    };
    /// Writes the kiosk's config (id `id`, a fresh enrollment code, [update] with `releasePub` and
    /// `options`) and starts its first life.
    LaunchedKiosk(const central_test::CentralProcess& central, std::string id, std::filesystem::path dir,
                  const std::filesystem::path& releasePub, const VirtualDisplay& display,
                  const Options& options);
    ~LaunchedKiosk();
    LaunchedKiosk(const LaunchedKiosk&) = delete;
    LaunchedKiosk& operator=(const LaunchedKiosk&) = delete;

    /// Restart=always: starts the launcher again when it has ended. Also wakes the kiosk's UI loop (a
    /// "state" call), which looks at the agent's restart request when it wakes. True if it restarted.
    bool supervise();
    /// Moves the kiosk's clock (automation "advance"): a heartbeat falls due and the attract screen has
    /// been untouched that long (a quiet moment). False when the kiosk did not answer.
    bool advance(std::chrono::milliseconds by);
    /// The automation socket of the current life (connects on first use and after a lost connection,
    /// up to 20 s or until the launcher ends).
    AutomationClient& client();

    [[nodiscard]] const std::string& id() const { return m_id; }
    [[nodiscard]] int lives() const { return m_lives; }
    [[nodiscard]] std::filesystem::path updateRoot() const { return m_dir / "update"; }
    /// The VERSION of the slot `current` names; "package" when there is none.
    [[nodiscard]] std::string installed() const;
    /// The agent's persisted phase (idle, trial, rolled_back; "" before any update).
    [[nodiscard]] std::string phase() const;
    /// The kiosk process the launcher started (-1 when there is none now).
    [[nodiscard]] pid_t kioskPid() const;
    /// The executable of that process ("" when there is none).
    [[nodiscard]] std::string kioskExe() const;
    /// The launcher, also the id of its process group (the kiosk is in it).
    [[nodiscard]] pid_t launcherPid() const { return m_launcher ? m_launcher->pid() : -1; }
    /// Reaps a launcher killed from outside (the kill -9 loop) so the next supervise() starts a new one.
    void reap();
    [[nodiscard]] std::string log() const;

  private:
    void start();

    const VirtualDisplay& m_display;
    std::string m_id;
    std::filesystem::path m_dir;
    int m_lives = 0;
    std::unique_ptr<ChildProcess> m_launcher;
    std::unique_ptr<AutomationClient> m_client;
};

/// "MAJOR.(MINOR+n).0" of the build's version (the packaged kiosk's): a release newer than it.
std::string newerThanBuild(int n);

}  // namespace kiosk::test
