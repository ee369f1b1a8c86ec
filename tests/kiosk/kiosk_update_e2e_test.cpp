// Issue 13's update test end to end (docs/fleet.md): three real kiosks, each started by the real
// kiosk-launcher as loyalty-kiosk.service starts it (the test restarts a launcher that ended, as
// systemd's Restart=always does), and the real central on SQLite. Version N is the build's kiosk (the
// "package"); N+1 is the same binary shipped as a newer version (scripts/update-bundle injects the
// version when it makes the bundle); the broken N+2's kiosk exits at start. Releases are signed and
// published with kioskctl, rolled out in two waves (one kiosk, then the rest after the soak on central's
// clock).
//
// Kill -9 at every step of the agent (download, verify, unpack, switch, trial, health gate, rollback),
// in a loop of lives: every life ends with `current` on a complete slot (or none: the package), and the
// next life boots to the attract screen. KIOSK_UPDATE_E2E_KILL_LIVES=N for a longer run (default 6).
//
// Staff postpone an installed release (it outlives a power cut) and then install it now from the
// maintenance screen (both in central's audit with the staff id); a maintenance window makes a quiet
// moment.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "launched_kiosk.hpp"
#include "loyalty/time.hpp"

namespace kiosk::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

/// Heartbeats come every 60 s and a quiet moment is one minute untouched (quiet_minutes = 1).
constexpr auto kMinute = 61'000ms;

class KioskUpdate : public ::testing::Test {
  protected:
    void SetUp() override {
        m_central = std::make_unique<central_test::CentralProcess>(central_test::CentralProcess::Options{});
        m_desk = std::make_unique<ReleaseDesk>(m_dir.path() / "release", *m_central);
        m_display = std::make_unique<VirtualDisplay>(m_dir.path(), 1080, 1920);
    }

    void addKiosks(int n, const LaunchedKiosk::Options& options = LaunchedKiosk::Options{}) {
        for (int i = 0; i < n; ++i) {
            const auto id = "K-UP-0" + std::to_string(i);
            m_kiosks.push_back(std::make_unique<LaunchedKiosk>(*m_central, id, m_dir.path() / id,
                                                               m_desk->publicKey(), *m_display, options));
        }
    }

    /// Publishes N+1 and rolls it out to the one kiosk, which is offered it at its next heartbeat (the
    /// kiosk's clock moves a minute), downloads and installs it; the rollout's id once the agent waits
    /// for a quiet moment (0 when it did not get there).
    std::int64_t installNextOnTheKiosk() {
        auto& kiosk = *m_kiosks[0];
        if (!until([&] { return reported(kiosk.id()) == KIOSK_BUILD_VERSION; })) return 0;
        const auto rollout = m_desk->rollout(m_desk->publish(newerThanBuild(1)), {kiosk.id()});
        if (rollout == 0 || !kiosk.advance(kMinute)) return 0;
        const bool installed =
            until([&] { return kiosk.log().find("waiting for a quiet moment") != std::string::npos; });
        return installed ? rollout : 0;
    }

    /// Supervises every kiosk until `done` holds (true) or `timeout` passes (false).
    template <typename Done>
    bool until(Done done, std::chrono::seconds timeout = 60s) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            for (auto& kiosk : m_kiosks) kiosk->supervise();
            if (done()) return true;
            std::this_thread::sleep_for(200ms);
        }
        return false;
    }

    /// The version central last heard from `kiosk` in a heartbeat.
    std::string reported(const std::string& kiosk) {
        const auto list = m_central->get("/v1/admin/kiosks", central_test::kAdmin).body;
        for (const auto& k : list.value("kiosks", json::array()))
            if (k.value("kiosk_id", "") == kiosk && k["version"].is_string()) return k["version"];
        return "";
    }

    std::vector<std::string> ids() const {
        std::vector<std::string> out;
        for (const auto& k : m_kiosks) out.push_back(k->id());
        return out;
    }

    TempDir m_dir;
    std::unique_ptr<central_test::CentralProcess> m_central;
    std::unique_ptr<ReleaseDesk> m_desk;
    std::unique_ptr<VirtualDisplay> m_display;
    std::vector<std::unique_ptr<LaunchedKiosk>> m_kiosks;
};

TEST_F(KioskUpdate, ThreeKiosksUpdateInWavesAndABrokenReleaseRollsBackByItself) {
    const std::string n = KIOSK_BUILD_VERSION;
    const auto next = newerThanBuild(1);
    const auto broken = newerThanBuild(2);
    addKiosks(3);
    ASSERT_TRUE(until([&] {
        for (const auto& k : m_kiosks)
            if (reported(k->id()) != n) return false;
        return true;
    })) << m_kiosks[0]->log();

    const auto release = m_desk->publish(next);
    ASSERT_GT(release, 0);
    const auto first = m_desk->rollout(release, ids());
    ASSERT_GT(first, 0);
    // Wave 1: a heartbeat falls due on every kiosk (the offer) and their attract screens have been quiet
    // a minute; only K-UP-00 is offered the release, installs it, switches, restarts and passes its gate.
    for (auto& k : m_kiosks) ASSERT_TRUE(k->advance(kMinute)) << k->log();
    ASSERT_TRUE(until([&] {
        return ReleaseDesk::kioskState(m_desk->status(first), "K-UP-00") == "succeeded";
    })) << m_desk->status(first).dump(2)
        << m_kiosks[0]->log();
    EXPECT_EQ(m_kiosks[0]->installed(), next);
    EXPECT_EQ(reported("K-UP-00"), next);
    EXPECT_TRUE(m_kiosks[0]->kioskExe().starts_with(m_kiosks[0]->updateRoot().string() + "/slots/"))
        << m_kiosks[0]->kioskExe();
    EXPECT_EQ(m_kiosks[1]->installed(), "package");
    EXPECT_EQ(m_kiosks[2]->installed(), "package");
    EXPECT_EQ(m_desk->status(first)["wave"], 1);

    // The soak passes on central's clock; the next heartbeats offer it to the rest.
    ASSERT_EQ(m_central->post("/v1/admin/clock/advance", central_test::kAdmin, json{{"seconds", 601}}).status,
              200);
    for (std::size_t i = 1; i < 3; ++i) ASSERT_TRUE(m_kiosks[i]->advance(kMinute));
    ASSERT_TRUE(until([&] { return m_desk->status(first)["state"] == "done"; }))
        << m_desk->status(first).dump(2);
    for (const auto& k : m_kiosks) {
        EXPECT_EQ(k->installed(), next) << k->id();
        EXPECT_EQ(reported(k->id()), next) << k->id();
        EXPECT_EQ(k->phase(), "idle") << k->id();
    }

    // The broken release: K-UP-00's new kiosk exits at start, its launcher rolls back to N+1 by itself,
    // the agent reports the failure, central halts; nobody else is offered it or restarted.
    const auto bad = m_desk->publish(broken, true);
    ASSERT_GT(bad, 0);
    const int lives[] = {m_kiosks[1]->lives(), m_kiosks[2]->lives()};
    const auto second = m_desk->rollout(bad, ids());
    ASSERT_GT(second, 0);
    ASSERT_TRUE(m_kiosks[0]->advance(kMinute));
    ASSERT_TRUE(until([&] { return m_desk->status(second)["state"] == "halted"; }))
        << m_desk->status(second).dump(2) << m_kiosks[0]->log();
    const auto halted = m_desk->status(second);
    EXPECT_EQ(ReleaseDesk::kioskState(halted, "K-UP-00"), "failed");
    EXPECT_NE(halted["kiosks"][0].value("detail", "").find("exited with status 70"), std::string::npos)
        << halted.dump(2);
    EXPECT_EQ(m_kiosks[0]->installed(), next);
    EXPECT_EQ(m_kiosks[0]->phase(), "rolled_back");
    EXPECT_TRUE(
        until([&] { return m_kiosks[0]->client().waitForScreen("attract", 5s)["screen"] == "attract"; }));
    EXPECT_EQ(reported("K-UP-00"), next);

    // Halted stays halted past the soak, with heartbeats falling due on the others.
    ASSERT_EQ(m_central->post("/v1/admin/clock/advance", central_test::kAdmin, json{{"seconds", 601}}).status,
              200);
    for (std::size_t i = 1; i < 3; ++i) ASSERT_TRUE(m_kiosks[i]->advance(kMinute));
    EXPECT_FALSE(until([&] { return m_desk->status(second)["state"] != "halted"; }, 5s));
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(ReleaseDesk::kioskState(m_desk->status(second), m_kiosks[i]->id()), "pending");
        EXPECT_EQ(m_kiosks[i]->installed(), next);
        EXPECT_EQ(m_kiosks[i]->lives(), lives[i - 1]) << m_kiosks[i]->id();
    }
}

/// The kiosk's maintenance screen through the staff gesture and PIN.
json openMaintenance(AutomationClient& kiosk) {
    enterStaffMode(kiosk, kStaffPin);
    return kiosk.waitForScreen("maintenance", 5s);
}

/// Staff on the maintenance screen: the installed release is postponed (the power goes, the kiosk
/// comes back and installs the release again, a quiet moment passes and nothing switches), then
/// installed now; both decisions reach central's audit with the staff id.
TEST_F(KioskUpdate, StaffPostponeHoldsAnInstalledReleaseBackAndInstallNowSwitchesBothAudited) {
    addKiosks(1, LaunchedKiosk::Options{5, "", "", ""});
    auto& kiosk = *m_kiosks[0];
    const auto next = newerThanBuild(1);
    const auto rollout = installNextOnTheKiosk();
    ASSERT_GT(rollout, 0) << kiosk.log();

    ASSERT_EQ(openMaintenance(kiosk.client()).value("screen", ""), "maintenance") << kiosk.log();
    json state = kiosk.client().waitForText("đã sẵn sàng, sẽ cài lúc vắng khách", 20s);
    ASSERT_TRUE(hasText(state, "Cập nhật: phiên bản " + next + " đã sẵn sàng"))
        << state.dump() << kiosk.log();
    EXPECT_TRUE(hasText(state, "phần mềm " KIOSK_BUILD_VERSION)) << state.dump();
    ASSERT_TRUE(kiosk.client().send({{"cmd", "tap"}, {"id", "staff:update_later"}}).value("ok", false));
    state = kiosk.client().waitForText("hoãn đến", 20s);
    ASSERT_TRUE(hasText(state, "hoãn đến")) << state.dump();
    ASSERT_EQ(kiosk.client().send({{"cmd", "tap"}, {"id", "back"}}).value("screen", ""), "attract");

    // A power cut (the launcher's whole process group): the next life is offered the release again,
    // installs it again and still holds it back.
    ::kill(-kiosk.launcherPid(), SIGKILL);
    kiosk.reap();
    const auto installs = [&] {
        const auto log = kiosk.log();
        int n = 0;
        for (auto at = log.find("waiting for a quiet moment"); at != std::string::npos;
             at = log.find("waiting for a quiet moment", at + 1))
            ++n;
        return n;
    };
    ASSERT_TRUE(until([&] { return installs() == 2; })) << kiosk.log();
    ASSERT_EQ(kiosk.lives(), 2);
    // Six untouched minutes are a quiet moment (quiet_minutes = 5), but staff postponed it.
    ASSERT_TRUE(kiosk.advance(6 * kMinute));
    EXPECT_FALSE(until([&] { return kiosk.installed() != "package" || kiosk.lives() > 2; }, 5s))
        << kiosk.log();

    ASSERT_EQ(openMaintenance(kiosk.client()).value("screen", ""), "maintenance") << kiosk.log();
    ASSERT_TRUE(hasText(kiosk.client().waitForText("hoãn đến", 20s), "hoãn đến"));
    ASSERT_TRUE(kiosk.client().send({{"cmd", "tap"}, {"id", "staff:update_now"}}).value("ok", false));
    ASSERT_TRUE(until([&] {
        return ReleaseDesk::kioskState(m_desk->status(rollout), kiosk.id()) == "succeeded";
    })) << m_desk->status(rollout).dump(2)
        << kiosk.log();
    EXPECT_EQ(kiosk.installed(), next);
    EXPECT_EQ(reported(kiosk.id()), next);

    // Recorded before the switch, sent by the new version if the old one had no time to.
    const auto audit = [&] {
        return queryDatabase(fs::path(m_central->dataDir()) / "central.db",
                             "SELECT action, reason FROM console_audit WHERE actor = 'staff:kiosk-pin' AND "
                             "address = 'K-UP-00' AND action LIKE 'staff.update_%' ORDER BY at, audit_id")
            .value_or(json::array());
    };
    ASSERT_TRUE(until([&] { return audit().size() == 2; }, 30s)) << audit().dump() << kiosk.log();
    EXPECT_EQ(audit(), json::array({json::array({"staff.update_postponed", next}),
                                    json::array({"staff.update_install_now", next})}));
}

/// An untouched attract screen inside the maintenance window is a quiet moment, however short the
/// time untouched (quiet_minutes is a day here): the window is Vietnam time on central's clock.
TEST_F(KioskUpdate, TheMaintenanceWindowIsAQuietMoment) {
    // A window opening nine to ten minutes from now, for an hour.
    const auto opens = loyalty::localDateTime(central_test::now() + 600);
    const int from = opens.hour * 60 + opens.minute;
    const auto hhmm = [](int minute) {
        const int h = minute / 60 % 24;
        const int m = minute % 60;
        return std::string{static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                           static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
    };
    addKiosks(1, LaunchedKiosk::Options{1440, hhmm(from) + "-" + hhmm(from + 60), "", ""});
    auto& kiosk = *m_kiosks[0];
    const auto rollout = installNextOnTheKiosk();
    ASSERT_GT(rollout, 0) << kiosk.log();
    EXPECT_FALSE(until([&] { return kiosk.installed() != "package"; }, 3s));  // before the window

    // Twelve minutes pass on both clocks (central's, which the kiosk follows, and the kiosk's own, so a
    // heartbeat falls due): inside the window, the kiosk switches by itself.
    ASSERT_EQ(m_central->post("/v1/admin/clock/advance", central_test::kAdmin, json{{"seconds", 720}}).status,
              200);
    ASSERT_TRUE(kiosk.advance(12 * kMinute));
    ASSERT_TRUE(until([&] {
        return ReleaseDesk::kioskState(m_desk->status(rollout), kiosk.id()) == "succeeded";
    })) << m_desk->status(rollout).dump(2)
        << kiosk.log();
    EXPECT_EQ(kiosk.installed(), newerThanBuild(1));
}

/// The health gate also wants the camera open and the printer answering: a new version on a kiosk
/// whose virtual printer does not answer, or whose camera does not open, rolls back by itself at the
/// trial's deadline and reports why.
TEST_F(KioskUpdate, ANewVersionWhosePrinterDoesNotAnswerOrCameraDoesNotOpenRollsBack) {
    const std::string silentPrinter = "127.0.0.1:" + std::to_string(freePort());  // nothing listens
    const LaunchedKiosk::Options options[] = {{1, "", silentPrinter, ""},
                                              {1, "", "", (m_dir.path() / "no-camera").string()}};
    const char* const why[] = {"printer not answering", "camera not open"};
    for (std::size_t i = 0; i < 2; ++i) {
        const auto id = "K-UP-0" + std::to_string(i);
        m_kiosks.push_back(std::make_unique<LaunchedKiosk>(*m_central, id, m_dir.path() / id,
                                                           m_desk->publicKey(), *m_display, options[i]));
    }
    ASSERT_TRUE(until([&] {
        return reported("K-UP-00") == KIOSK_BUILD_VERSION && reported("K-UP-01") == KIOSK_BUILD_VERSION;
    })) << m_kiosks[0]->log()
        << m_kiosks[1]->log();
    std::int64_t rollouts[2] = {};
    for (std::size_t i = 0; i < 2; ++i) {
        auto& kiosk = *m_kiosks[i];
        rollouts[i] = m_desk->rollout(m_desk->publish(newerThanBuild(static_cast<int>(i) + 1)), {kiosk.id()});
        ASSERT_GT(rollouts[i], 0);
        ASSERT_TRUE(kiosk.advance(kMinute));  // the offer, then a quiet moment: the switch
        ASSERT_TRUE(until([&] { return kiosk.phase() == "trial" && kiosk.lives() > 1; })) << kiosk.log();
        // The new version draws its frame and hears from central, but its devices keep the gate shut:
        // past the trial's deadline (30 s after the switch on the old life's clock, a minute ahead of
        // this life's) it goes back to the package.
        ASSERT_TRUE(
            until([&] { return kiosk.client().waitForScreen("attract", 2s)["screen"] == "attract"; }));
        ASSERT_TRUE(kiosk.advance(2 * kMinute));
        ASSERT_TRUE(until([&] { return m_desk->status(rollouts[i])["state"] == "halted"; }))
            << m_desk->status(rollouts[i]).dump(2) << kiosk.log();
        const auto detail = m_desk->status(rollouts[i])["kiosks"][0].value("detail", "");
        EXPECT_NE(detail.find(why[i]), std::string::npos) << detail;
        EXPECT_EQ(kiosk.installed(), "package") << kiosk.id();
        EXPECT_EQ(kiosk.phase(), "rolled_back") << kiosk.id();
    }
}

/// Why the agent's folder would not boot: `current` must be absent (the package runs) or name a slot
/// with a kiosk and a VERSION; "" when it boots.
std::string unbootable(const fs::path& root) {
    const auto current = root / "current";
    if (!fs::is_symlink(current)) return fs::exists(current) ? "current is not a link" : "";
    const auto slot = root / fs::read_symlink(current);
    if (!fs::exists(slot / "usr/bin/kiosk")) return "current names " + slot.string() + " without a kiosk";
    std::ifstream in(slot / "VERSION");
    std::string version;
    std::getline(in, version);
    return version.empty() ? "current names a slot without a VERSION" : "";
}

/// The agent's last step before a kill, from the log of the kiosk and its launcher.
std::string lastStep(const std::string& log) {
    const auto at = std::max(log.rfind("updater: "), log.rfind("launcher: "));
    if (at == std::string::npos) return "(no update step yet)";
    const auto end = log.find('\n', at);
    return log.substr(at, std::min<std::size_t>(end - at, 70));
}

TEST_F(KioskUpdate, KillNineAtEveryStepEndsOnABootableVersion) {
    addKiosks(1);
    auto& kiosk = *m_kiosks[0];
    ASSERT_TRUE(until([&] { return reported(kiosk.id()) == KIOSK_BUILD_VERSION; })) << kiosk.log();
    const char* env = std::getenv("KIOSK_UPDATE_E2E_KILL_LIVES");
    const int lives = env != nullptr ? std::atoi(env) : 6;
    const auto seed = std::random_device{}();
    std::mt19937 random(seed);
    std::map<std::string, int> steps;
    std::int64_t rollout = 0;
    int minor = 1;
    for (int life = 0; life < lives; ++life) {
        SCOPED_TRACE("life " + std::to_string(life) + ", seed " + std::to_string(seed));
        // A newer release whenever the last one has its result (installed, rolled back or refused).
        if (rollout == 0 || ReleaseDesk::kioskState(m_desk->status(rollout), kiosk.id()) != "pending") {
            if (rollout != 0)
                m_central->post("/v1/admin/rollouts/" + std::to_string(rollout) + "/abort",
                                central_test::kAdmin, json::object());
            const auto release = m_desk->publish(newerThanBuild(minor++));
            ASSERT_GT(release, 0);
            rollout = m_desk->rollout(release, {kiosk.id()});
            ASSERT_GT(rollout, 0);
        }
        // A heartbeat (the offer) and a quiet moment, unless a trial runs (its deadline is on that clock).
        if (kiosk.phase() != "trial") {
            ASSERT_TRUE(kiosk.advance(kMinute)) << kiosk.log();
        }
        const auto killAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(random() % 4000);
        until([&] { return std::chrono::steady_clock::now() >= killAt; });
        // Odd lives cut the power (launcher and kiosk at once: nothing can roll back); even lives kill
        // the kiosk, whose launcher sees it die. Between two kiosk lives there is only the power to cut.
        const auto kioskPid = kiosk.kioskPid();
        const bool powerCut = life % 2 == 1 || kioskPid <= 0;
        ASSERT_GT(kiosk.launcherPid(), 1);
        if (powerCut) {
            // The group, and the launcher itself: a launcher just started may not have called setsid yet.
            ::kill(-kiosk.launcherPid(), SIGKILL);
            ::kill(kiosk.launcherPid(), SIGKILL);
        } else {
            ::kill(kioskPid, SIGKILL);
        }
        steps[lastStep(kiosk.log()) + (powerCut ? " [power cut]" : " [kiosk killed]")]++;
        kiosk.reap();
        EXPECT_EQ(unbootable(kiosk.updateRoot()), "") << kiosk.log();
        // The next life boots (the launcher may roll back first, or the agent restart it into a switch).
        EXPECT_TRUE(until([&] { return kiosk.client().waitForScreen("attract", 2s)["screen"] == "attract"; }))
            << kiosk.log();
    }
    for (const auto& [step, count] : steps) std::printf("killed %2d x after: %s\n", count, step.c_str());
}

}  // namespace
}  // namespace kiosk::test
