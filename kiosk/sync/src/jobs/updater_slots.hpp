#pragma once
// The update agent's disk (docs/fleet.md, "The kiosk's update agent"): a staging area the download
// fills, two install slots (A/B) beside each other, a `current` symlink the launcher starts from, and
// the agent's persisted state. A release is verified before anything outside staging changes,
// unpacked into the slot not running, switched to by renaming a new symlink over `current` (atomic),
// then on trial until the new version reports healthy (markGood) or its deadline passes (rollBack).
//
//   ROOT/staging/bundle      the download (appended to, so a download resumes with Range)
//   ROOT/slots/a, slots/b    unpacked releases; slots/X.new while unpacking
//   ROOT/current -> slots/X  what runs
//   ROOT/state               UpdateState, written atomically (writeFileAtomically)
//
// Order of writes, so that kill -9 at any step leaves `current` on a complete slot: a slot is
// complete before `current` may name it; `current` changes only by rename; the state is written
// before a switch and after a rollback, and open() reconciles a state that disagrees with `current`
// (a switch or rollback cut short) by believing `current`.
//
// Threads: the sync thread only. Every call BLOCKS on disk I/O (install runs `tar`).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "loyalty/release.hpp"

namespace kiosk::sync {

/// Why a release was refused: `code` goes into the heartbeat (`bad_signature`, `malformed`,
/// `not_newer`, `expired`, `bundle_mismatch`, `too_large`, `disk_full`, `install_failed`, ...).
struct UpdateRefusal {
    std::string code;
    std::string detail;
};

struct UpdateState {
    std::string phase = "idle";  ///< idle | trial (switched, not yet healthy) | rolled_back
    std::string slot;            ///< the slot `current` names ("" before the first update)
    std::string previousSlot;    ///< during a trial: the slot to go back to ("" = none)
    std::string version;         ///< the running version
    std::string previousVersion;
    std::string highestInstalled;  ///< anti-rollback floor: raised when a version proves healthy
    std::int64_t releaseId = 0;    ///< central's id of the release on trial or last refused
    std::int64_t trialDeadline = 0;
    std::string lastError;
};

class UpdateSlots {
  public:
    struct Options {
        std::filesystem::path root;
        loyalty::PublicKey releaseKey{};
        std::string package = "loyalty-kiosk";
        std::string channel = "stable";
        std::string runningVersion;  ///< of the package itself when no slot has run yet
        std::uint64_t maxBundleBytes = loyalty::kMaxBundleBytes;
        std::uint64_t spareBytes = 64ull << 20;  ///< free space to leave after unpacking
    };

    /// Creates the folders, reads the state and reconciles it with `current`. An error names the file.
    [[nodiscard]] static std::expected<UpdateSlots, std::string> open(Options options);

    [[nodiscard]] const UpdateState& state() const { return m_state; }
    [[nodiscard]] std::filesystem::path stagedBundle() const;
    /// The folder `current` names (empty before the first update).
    [[nodiscard]] std::filesystem::path currentDir() const;

    /// Signature, format, package, channel, freshness, anti-rollback and size cap: everything that can
    /// be known before the download. A refusal deletes the staged bundle and changes nothing else.
    [[nodiscard]] std::expected<loyalty::ReleaseManifest, UpdateRefusal> precheck(
        std::string_view manifestText, loyalty::UnixSeconds now);
    /// precheck, then the size and SHA-256 of the staged bundle. A refusal deletes the staged bundle
    /// and changes nothing else.
    [[nodiscard]] std::expected<loyalty::ReleaseManifest, UpdateRefusal> verify(std::string_view manifestText,
                                                                                loyalty::UnixSeconds now);
    /// Unpacks the verified staged bundle (a tar archive) into the slot not running; the slot.
    [[nodiscard]] std::expected<std::string, UpdateRefusal> install(const loyalty::ReleaseManifest& manifest);
    /// Makes `slot` current, on trial until `deadline` (unix seconds).
    [[nodiscard]] std::expected<void, std::string> switchTo(const std::string& slot,
                                                            const loyalty::ReleaseManifest& manifest,
                                                            std::int64_t releaseId, std::int64_t deadline);
    /// The version on trial is healthy: the trial ends and the anti-rollback floor rises to it.
    [[nodiscard]] std::expected<void, std::string> markGood();
    /// A trial past its deadline (or failed: `force`) goes back to the previous slot; true if it did.
    [[nodiscard]] std::expected<bool, std::string> rollBack(std::int64_t now, const std::string& why,
                                                            bool force);

  private:
    explicit UpdateSlots(Options options) : m_options(std::move(options)) {}
    [[nodiscard]] std::expected<void, std::string> save();
    [[nodiscard]] std::expected<void, std::string> point(const std::string& slot);
    [[nodiscard]] std::string linkedSlot() const;
    std::unexpected<UpdateRefusal> refuse(std::string code, std::string detail);

    Options m_options;
    UpdateState m_state;
};

}  // namespace kiosk::sync
