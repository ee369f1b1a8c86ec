// The update agent's disk (kiosk/sync/src/jobs/updater_slots.hpp) on a real temporary folder with
// real tar bundles: every refusal changes nothing but staging, an install lands beside the running
// slot and `current` moves by rename, a trial past its deadline goes back, and a switch or rollback
// cut short (the state written, the link not yet) still opens on a complete slot.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "jobs/updater_slots.hpp"
#include "loyalty/release.hpp"
#include "read_file.hpp"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;

using test_support::readFile;

void writeFile(const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

std::string sha256Of(const std::string& bytes) {
    loyalty::Sha256 hash;
    hash.update(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    return hash.hexDigest();
}

class UpdaterSlotsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/updater-slots-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { fs::remove_all(m_dir); }

    /// A tar bundle holding VERSION with `version` as its text.
    std::string bundle(const std::string& version) {
        const auto src = m_dir / ("src-" + version);
        fs::create_directories(src);
        writeFile(src / "VERSION", version);
        const auto tar = m_dir / ("bundle-" + version + ".tar");
        const auto cmd = "tar -cf " + tar.string() + " -C " + src.string() + " VERSION";
        EXPECT_EQ(std::system(cmd.c_str()), 0);
        return readFile(tar);
    }

    std::string manifest(const std::string& bytes, const std::string& version,
                         loyalty::UnixSeconds expires = 2'000'000'000) {
        loyalty::ReleaseManifest m;
        m.package = "loyalty-kiosk";
        m.version = *loyalty::parseReleaseVersion(version);
        m.minimumFrom = *loyalty::parseReleaseVersion("1.0.0");
        m.channel = "stable";
        m.bundle = "kiosk.tar";
        m.size = bytes.size();
        m.sha256 = sha256Of(bytes);
        m.issuedAt = 1'700'000'000;
        m.expiresAt = expires;
        return loyalty::signReleaseManifest(m, m_key);
    }

    UpdateSlots open(std::uint64_t spare = 0) {
        UpdateSlots::Options options;
        options.root = m_dir / "agent";
        options.releaseKey = m_key.publicKey();
        options.runningVersion = "1.0.0";
        options.spareBytes = spare;
        auto slots = UpdateSlots::open(options);
        EXPECT_TRUE(slots) << slots.error();
        return std::move(*slots);
    }

    /// Stages `bytes`, verifies, installs and switches; the slot.
    std::string update(UpdateSlots& slots, const std::string& bytes, const std::string& version) {
        writeFile(slots.stagedBundle(), bytes);
        auto verified = slots.verify(manifest(bytes, version), kNow);
        EXPECT_TRUE(verified) << verified.error().code;
        auto slot = slots.install(*verified);
        EXPECT_TRUE(slot) << slot.error().detail;
        EXPECT_TRUE(slots.switchTo(*slot, *verified, 7, kNow + 600));
        return *slot;
    }

    static constexpr loyalty::UnixSeconds kNow = 1'800'000'000;
    fs::path m_dir;
    loyalty::SigningKeyPair m_key = loyalty::SigningKeyPair::generate();
};

TEST_F(UpdaterSlotsTest, AnInstallLandsBesideTheRunningSlotAndBecomesGoodOrRollsBack) {
    auto slots = open();
    const auto v11 = bundle("1.1.0");
    EXPECT_EQ(update(slots, v11, "1.1.0"), "a");
    EXPECT_EQ(readFile(slots.currentDir() / "VERSION"), "1.1.0");
    EXPECT_EQ(slots.state().phase, "trial");
    ASSERT_TRUE(slots.markGood());
    EXPECT_EQ(slots.state().highestInstalled, "1.1.0");
    EXPECT_FALSE(fs::exists(slots.stagedBundle()));

    EXPECT_EQ(update(slots, bundle("1.2.0"), "1.2.0"), "b");
    EXPECT_EQ(readFile(slots.currentDir() / "VERSION"), "1.2.0");
    EXPECT_FALSE(*slots.rollBack(kNow + 599, "not yet", false));
    ASSERT_TRUE(*slots.rollBack(kNow + 601, "health gate: no first frame", false));
    EXPECT_EQ(readFile(slots.currentDir() / "VERSION"), "1.1.0");
    EXPECT_EQ(slots.state().phase, "rolled_back");
    EXPECT_EQ(slots.state().version, "1.1.0");
    EXPECT_EQ(slots.state().lastError, "health gate: no first frame");
    // Persisted: a restart reads the same state.
    auto reopened = open();
    EXPECT_EQ(reopened.state().version, "1.1.0");
    EXPECT_EQ(reopened.state().highestInstalled, "1.1.0");
    EXPECT_EQ(reopened.state().phase, "rolled_back");
}

TEST_F(UpdaterSlotsTest, EveryRefusalHasAReasonAndChangesNothingButStaging) {
    auto slots = open();
    update(slots, bundle("1.1.0"), "1.1.0");
    ASSERT_TRUE(slots.markGood());
    const auto before = readFile(m_dir / "agent" / "state");
    const auto good = bundle("1.2.0");
    auto tampered = good;
    tampered[tampered.size() / 2] ^= 0x01;
    const auto other = loyalty::SigningKeyPair::generate();
    loyalty::ReleaseManifest foreign =
        *loyalty::verifyReleaseManifest(manifest(good, "1.2.0"), m_key.publicKey());
    const struct {
        std::string staged;
        std::string manifest;
        std::string code;
    } cases[] = {
        {tampered, manifest(good, "1.2.0"), "bundle_mismatch"},
        {good.substr(0, good.size() - 100), manifest(good, "1.2.0"), "bundle_mismatch"},
        {good, loyalty::signReleaseManifest(foreign, other), "bad_signature"},
        {good, manifest(good, "1.0.5"), "not_newer"},
        {good, manifest(good, "1.1.0"), "not_newer"},
        {good, manifest(good, "1.2.0", kNow - 1), "expired"},
        {good, manifest(good, "1.2.0").substr(0, 50), "malformed"},
    };
    for (const auto& c : cases) {
        writeFile(slots.stagedBundle(), c.staged);
        auto verified = slots.verify(c.manifest, kNow);
        ASSERT_FALSE(verified) << c.code;
        EXPECT_EQ(verified.error().code, c.code) << verified.error().detail;
        EXPECT_FALSE(verified.error().detail.empty());
        EXPECT_FALSE(fs::exists(slots.stagedBundle()));
        EXPECT_EQ(readFile(slots.currentDir() / "VERSION"), "1.1.0");
        EXPECT_EQ(readFile(m_dir / "agent" / "state"), before);
    }
    // Disk full: asking to keep more free space than the disk has refuses before unpacking.
    auto full = open(std::uint64_t{1} << 62);
    writeFile(full.stagedBundle(), good);
    auto verified = full.verify(manifest(good, "1.2.0"), kNow);
    ASSERT_TRUE(verified);
    auto installed = full.install(*verified);
    ASSERT_FALSE(installed);
    EXPECT_EQ(installed.error().code, "disk_full");
    EXPECT_FALSE(fs::exists(m_dir / "agent" / "slots" / "b"));
    EXPECT_EQ(readFile(full.currentDir() / "VERSION"), "1.1.0");
}

TEST_F(UpdaterSlotsTest, ASwitchCutShortBetweenStateAndLinkOpensOnTheCompleteOldSlot) {
    {
        auto slots = open();
        update(slots, bundle("1.1.0"), "1.1.0");
        ASSERT_TRUE(slots.markGood());
    }
    // kill -9 after the state named slot b on trial but before `current` was renamed: what a
    // switchTo() cut short leaves (the slot itself complete, the link still on a).
    const auto agent = m_dir / "agent";
    auto text = readFile(agent / "state");
    auto replace = [&](const std::string& from, const std::string& to) {
        text.replace(text.find(from), from.size(), to);
    };
    replace("phase=idle", "phase=trial");
    replace("slot=a\nprevious_slot=", "slot=b\nprevious_slot=a");
    replace("version=1.1.0\nprevious_version=1.0.0", "version=1.2.0\nprevious_version=1.1.0");
    writeFile(agent / "state", text);
    fs::create_directories(agent / "slots" / "b.new");  // an unpack cut short too
    auto slots = open();
    EXPECT_EQ(fs::read_symlink(agent / "current"), fs::path("slots") / "a");
    EXPECT_EQ(slots.state().slot, "a");
    EXPECT_EQ(slots.state().version, "1.1.0");
    EXPECT_EQ(slots.state().phase, "rolled_back");
    EXPECT_NE(slots.state().lastError.find("interrupted"), std::string::npos);
    EXPECT_FALSE(fs::exists(agent / "slots" / "b.new"));
    EXPECT_EQ(readFile(slots.currentDir() / "VERSION"), "1.1.0");
}

/// kill -9 at a random moment of an endless run of updates (each verified, unpacked, switched, then
/// marked good or rolled back), then a fresh open(): `current` always names a complete slot holding the
/// version the state says runs. KIOSK_UPDATE_KILL_LOOP=N runs N lives (default 15).
TEST_F(UpdaterSlotsTest, KillNineAtAnyStepLeavesABootableVersion) {
    const char* env = std::getenv("KIOSK_UPDATE_KILL_LOOP");
    const int lives = env ? std::atoi(env) : 15;
    std::mt19937 random(12345);
    int updated = 0;  // lives that ended on an installed slot: the loop really switched
    for (int life = 0; life < lives; ++life) {
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            setpgid(0, 0);  // its tar dies with it, as systemd kills a unit's whole cgroup
            auto slots = open();
            for (int step = 0;; ++step) {
                const auto floor = *loyalty::parseReleaseVersion(slots.state().highestInstalled);
                const auto running = *loyalty::parseReleaseVersion(slots.state().version);
                auto next = std::max(floor, running);
                ++next.minor;
                const auto version = loyalty::formatReleaseVersion(next);
                update(slots, bundle(version + "-" + std::to_string(getpid()) + "-" + std::to_string(step)),
                       version);
                if (step % 2 == 0)
                    (void)slots.markGood();
                else
                    (void)slots.rollBack(kNow, "test rollback", true);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + static_cast<int>(random() % 200)));
        setpgid(child, child);
        kill(-child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        auto slots = open();
        const auto dir = slots.currentDir();
        if (dir.empty()) {
            EXPECT_EQ(slots.state().version, "1.0.0") << "life " << life;
            continue;
        }
        ASSERT_TRUE(fs::exists(dir / "VERSION")) << "life " << life << ": " << dir;
        ++updated;
        EXPECT_EQ(readFile(dir / "VERSION").substr(0, slots.state().version.size()), slots.state().version)
            << "life " << life;
    }
    EXPECT_GT(updated, lives / 2);
}

}  // namespace
}  // namespace kiosk::sync
