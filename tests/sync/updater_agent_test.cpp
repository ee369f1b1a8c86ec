// Three kiosk update agents (the real SyncWorker with its heartbeat and Updater jobs, each with its own
// store and agent folder) against the real central, on SQLite and PostgreSQL (docs/fleet.md). A
// "restart" is what the launcher does: the worker stops and starts again as the version `current`
// names (its VERSION file). The app of a build with a BROKEN file never draws a frame.
//
// 1.1.0 rolls out in two waves (one kiosk, then the rest after the soak) and every agent ends on it,
// healthy; then a broken 1.2.0: the first wave's kiosk fails its health gate, goes back to 1.1.0 by
// itself and reports it, the rollout halts, and no other kiosk is touched.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

#include "hal/clock.hpp"
#include "kiosk/sync/local_store.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "release_fixture.hpp"

namespace update_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using central_test::Backend;
using central_test::BackendTest;

class Agent {
  public:
    Agent(const CentralProcess& central, std::string id, fs::path dir, const loyalty::PublicKey& releaseKey)
        : m_central(central), m_id(std::move(id)), m_dir(std::move(dir)), m_releaseKey(releaseKey) {
        fs::create_directories(m_dir);
        m_credential = central_test::enrollKiosk(central, m_id);
        start();
    }

    /// What the launcher does: stop, then start the version `current` names.
    void restart() {
        m_worker.reset();
        m_store.reset();
        start();
    }

    /// Restarts when the agent asked for it; true if it did.
    bool restartIfAsked() {
        if (!m_control->restartRequested()) return false;
        restart();
        return true;
    }

    [[nodiscard]] const std::string& version() const { return m_version; }
    [[nodiscard]] const std::string& id() const { return m_id; }
    [[nodiscard]] net::UpdateReport status() const { return m_control->status().report; }
    [[nodiscard]] int lives() const { return m_lives; }
    /// The free space the agent must leave after unpacking (an injected disk-full), then a restart.
    void setSpare(std::uint64_t bytes) {
        m_spare = bytes;
        restart();
    }

  private:
    void start() {
        ++m_lives;
        const auto current = m_dir / "agent" / "current";
        m_version = fs::exists(current / "VERSION") ? readFile(current / "VERSION") : "1.0.0";
        auto store = kiosk::sync::LocalStore::open(m_dir / "kiosk.db");
        ASSERT_TRUE(store.has_value());
        m_store = std::move(*store);
        m_control = std::make_shared<kiosk::sync::UpdateControl>();
        m_control->setQuiet(true);
        kiosk::sync::SyncOptions options;
        options.version = m_version;
        options.heartbeatInterval = 200ms;
        options.initialBackoff = 100ms;
        options.maxBackoff = 1000ms;
        options.updater.emplace();
        options.updater->root = m_dir / "agent";
        options.updater->releaseKey = m_releaseKey;
        options.updater->maxBundleBytes = 16u << 20;
        options.updater->spareBytes = m_spare;
        options.updater->healthDeadline = 2s;
        options.updateControl = m_control;
        m_worker = std::make_unique<kiosk::sync::SyncWorker>(
            *m_store, clientFor(m_central, m_id, m_credential), m_clock, options, kiosk::sync::SyncEvents{});
        m_worker->start();
        // The app: a working build draws its first frame at once; a broken one never does.
        if (!fs::exists(current / "BROKEN")) m_control->firstFrameDrawn();
    }

    const CentralProcess& m_central;
    std::string m_id;
    fs::path m_dir;
    loyalty::PublicKey m_releaseKey;
    std::string m_credential;
    std::string m_version;
    int m_lives = 0;
    std::uint64_t m_spare = 0;
    hal::SystemClock m_clock;
    std::shared_ptr<kiosk::sync::UpdateControl> m_control;
    std::unique_ptr<kiosk::sync::LocalStore> m_store;
    std::unique_ptr<kiosk::sync::SyncWorker> m_worker;
};

class UpdaterAgents : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", ""});
        for (int i = 0; i < 3; ++i)
            m_agents.push_back(std::make_unique<Agent>(*m_central, "K-UP-0" + std::to_string(i),
                                                       fs::path(m_dir.path()) / std::to_string(i),
                                                       m_key.publicKey()));
    }

    /// Runs the launcher of every agent until `done` holds (true) or `timeout` passes (false).
    template <typename Done>
    bool until(Done done, std::chrono::seconds timeout = 30s) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            for (auto& agent : m_agents) agent->restartIfAsked();
            if (done()) return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    Json rollout(std::int64_t id) {
        return m_central->get("/v1/admin/rollouts/" + std::to_string(id), kAdmin).body;
    }

    std::int64_t startRollout(std::int64_t release, const Json& kiosks = {"K-UP-00", "K-UP-01", "K-UP-02"}) {
        const Json body{{"release_id", release},
                        {"kiosks", kiosks},
                        {"waves", {{{"kiosks", 1}, {"soak_s", 600}}, {{"percent", 100}}}},
                        {"error_percent", 0}};
        const auto r = m_central->post("/v1/admin/rollouts", kAdmin, body);
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body.value("rollout_id", std::int64_t{0});
    }

    static std::string kioskState(const Json& status, const std::string& kiosk) {
        for (const auto& k : status["kiosks"])
            if (k["kiosk_id"] == kiosk) return k["state"].get<std::string>();
        return "absent";
    }

    TempDir m_dir;
    loyalty::SigningKeyPair m_key = loyalty::SigningKeyPair::generate();
    std::unique_ptr<CentralProcess> m_central;
    std::vector<std::unique_ptr<Agent>> m_agents;
};

TEST_P(UpdaterAgents, ARolloutAdvancesInWavesAndABrokenReleaseRollsBackAndHalts) {
    const auto good = tarBundle(m_dir.path(), "1.1.0", false);
    const auto goodRelease = publish(*m_central, good, signedManifest(good, "1.1.0", m_key));
    const auto first = startRollout(goodRelease);

    // Wave 1: one kiosk switches, restarts, passes its health gate; the others are not offered it yet.
    ASSERT_TRUE(until([&] { return kioskState(rollout(first), "K-UP-00") == "succeeded"; }))
        << rollout(first).dump(2);
    EXPECT_EQ(m_agents[0]->version(), "1.1.0");
    EXPECT_EQ(m_agents[0]->status().state, "healthy");
    EXPECT_EQ(m_agents[1]->version(), "1.0.0");
    EXPECT_EQ(m_agents[2]->version(), "1.0.0");
    EXPECT_EQ(rollout(first)["wave"], 1);

    // The soak passes on central's clock: wave 2 takes the rest and the rollout is done.
    ASSERT_EQ(m_central->post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", 601}}).status, 200);
    ASSERT_TRUE(until([&] { return rollout(first)["state"] == "done"; })) << rollout(first).dump(2);
    for (const auto& agent : m_agents) {
        EXPECT_EQ(agent->version(), "1.1.0") << agent->id();
        EXPECT_EQ(agent->status().state, "healthy") << agent->id();
    }

    // A broken 1.2.0: the first wave's kiosk never draws a frame, rolls back by itself, reports it.
    const auto broken = tarBundle(m_dir.path(), "1.2.0", true);
    const auto brokenRelease = publish(*m_central, broken, signedManifest(broken, "1.2.0", m_key));
    const int livesBefore[] = {m_agents[1]->lives(), m_agents[2]->lives()};
    const auto second = startRollout(brokenRelease);
    // (The failure may reach central before the launcher has restarted the kiosk: wait for both.)
    ASSERT_TRUE(until([&] {
        return rollout(second)["state"] == "halted" && m_agents[0]->version() == "1.1.0";
    })) << rollout(second).dump(2);
    const auto halted = rollout(second);
    EXPECT_EQ(kioskState(halted, "K-UP-00"), "failed");
    EXPECT_EQ(m_agents[0]->version(), "1.1.0");
    EXPECT_EQ(m_agents[0]->status().state, "failed");
    EXPECT_NE(m_agents[0]->status().error.find("health gate"), std::string::npos)
        << m_agents[0]->status().error;

    // Halted stays halted past the soak: nobody else is offered it, nobody else restarts.
    ASSERT_EQ(m_central->post("/v1/admin/clock/advance", kAdmin, Json{{"seconds", 601}}).status, 200);
    EXPECT_FALSE(until([&] { return rollout(second)["state"] != "halted"; }, 2s));
    for (int i = 1; i < 3; ++i) {
        EXPECT_EQ(kioskState(rollout(second), m_agents[static_cast<std::size_t>(i)]->id()), "pending");
        EXPECT_EQ(m_agents[static_cast<std::size_t>(i)]->version(), "1.1.0");
        EXPECT_EQ(m_agents[static_cast<std::size_t>(i)]->lives(), livesBefore[i - 1]);
    }
}

/// Everything in the agent's folder but its state file: what a refusal must leave as it was.
std::vector<std::string> agentFiles(const fs::path& root) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.path().filename() != "state") files.push_back(fs::relative(entry.path(), root).string());
    std::sort(files.begin(), files.end());
    return files;
}

TEST_P(UpdaterAgents, RefusalsAreReportedWithTheirReasonAndChangeNothingOnDisk) {
    const auto root = fs::path(m_dir.path()) / "0" / "agent";
    const auto before = agentFiles(root);
    const auto wrongKey = loyalty::SigningKeyPair::generate();
    struct Case {
        std::string what;
        std::string version;
        std::function<std::string(const std::string& bytes)> manifest;
        std::string code;
        std::uint64_t spare = 0;   ///< the agent's free-space spare: 2^62 bytes is a full disk
        bool fullStaging = false;  ///< the staging file is on a device that is full (/dev/full)
    };
    const std::vector<Case> cases = {
        {"signed with another key", "1.3.0",
         [&](const std::string& b) { return signedManifest(b, "1.3.0", wrongKey); }, "bad_signature"},
        {"tampered after signing", "1.4.0",
         [&](const std::string& b) {
             auto text = signedManifest(b, "1.4.0", m_key);
             text.replace(text.find("channel=stable"), 14, "channel=stabl3");
             return text;
         },
         "bad_signature"},
        {"a downgrade", "0.9.0", [&](const std::string& b) { return signedManifest(b, "0.9.0", m_key); },
         "not_newer"},
        {"expired", "1.5.0",
         [&](const std::string& b) { return signedManifest(b, "1.5.0", m_key, central_test::now() - 3600); },
         "expired"},
        // Downloaded and verified, then the free-space check before unpacking says no (an injected full
        // disk: the agent must leave more free space than the disk has).
        {"a full disk", "1.6.0", [&](const std::string& b) { return signedManifest(b, "1.6.0", m_key); },
         "disk_full", std::uint64_t{1} << 62},
        // The disk fills during the download: the staged bytes of this very bundle (its marker names
        // it, so the agent resumes them) live on /dev/full, which answers every write with ENOSPC.
        {"a disk that fills during the download", "1.7.0",
         [&](const std::string& b) { return signedManifest(b, "1.7.0", m_key); }, "disk_full", 0, true},
    };
    for (const auto& c : cases) {
        if (c.spare != 0) m_agents[0]->setSpare(c.spare);
        const auto bytes = tarBundle(m_dir.path(), c.version, false);
        if (c.fullStaging) {
            m_agents[0]->setSpare(0);
            fs::create_symlink("/dev/full", root / "staging/bundle");
            std::ofstream(root / "staging/bundle.sha256") << sha256Of(bytes) << "\n";
        }
        const auto release = publish(*m_central, bytes, c.manifest(bytes));
        ASSERT_GT(release, 0) << c.what;
        const auto id = startRollout(release, {"K-UP-00"});
        ASSERT_TRUE(until([&] { return rollout(id)["state"] == "halted"; })) << c.what << rollout(id).dump(2);
        const auto status = m_agents[0]->status();
        EXPECT_EQ(status.state, "refused") << c.what;
        EXPECT_EQ(status.releaseId, release) << c.what;
        EXPECT_TRUE(status.error.starts_with(c.code + ":")) << c.what << ": " << status.error;
        EXPECT_NE(rollout(id)["kiosks"][0]["detail"].get<std::string>().find(c.code), std::string::npos)
            << c.what << rollout(id).dump(2);
        EXPECT_EQ(m_agents[0]->version(), "1.0.0") << c.what;
        EXPECT_EQ(agentFiles(root), before) << c.what;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, UpdaterAgents, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace update_test
