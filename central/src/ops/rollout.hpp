#pragma once
// Releases and rollouts (docs/fleet.md): central stores bundles and manifests it cannot sign, and
// moves a release through waves of kiosks — each wave soaks for its time, advances when enough of its
// kiosks report the new version healthy, and halts the whole rollout when too many fail (hawkBit's
// rollout groups). Decisions read the injected clock, so a test moves time instead of sleeping.
// Private to central_core; no JSON, no HTTP. Threads: any; every call BLOCKS on the database.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/service.hpp"
#include "loyalty/clock.hpp"

namespace central {

/// Bundles are stored and served in chunks of this size (the last one shorter).
inline constexpr std::int64_t kBundleChunkBytes = 256 * 1024;
/// The largest bundle central accepts.
inline constexpr std::int64_t kMaxBundleBytes = 256LL * 1024 * 1024;

/// One wave as an admin asks for it: a number of kiosks or a cumulative percentage of the target.
struct WaveSpec {
    std::int64_t kiosks = 0;   ///< > 0: this many more kiosks
    std::int64_t percent = 0;  ///< > 0: up to this percentage of the target, counted from the first wave
    std::int64_t soakSeconds = 0;
};

/// The wave (0-based) of each of `targetCount` kiosks, in target order; a wave that would be empty
/// (10 % of 3 kiosks after a first wave of 1) gets none, the last wave takes whatever is left.
[[nodiscard]] std::vector<std::int64_t> assignWaves(const std::vector<WaveSpec>& waves,
                                                    std::size_t targetCount);

struct WaveTally {
    std::int64_t members = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
};
enum class WaveDecision { Wait, Advance, Complete, Halt };
/// What the current wave's tally means: Halt when failures exceed errorPercent of its kiosks; once
/// the soak time has passed, Advance (Complete on the last wave) when at least successPercent of
/// them succeeded.
[[nodiscard]] WaveDecision decideWave(const WaveTally& tally, std::int64_t successPercent,
                                      std::int64_t errorPercent, std::int64_t soakedSeconds,
                                      std::int64_t soakSeconds, bool lastWave);

struct RolloutRequest {
    std::int64_t releaseId = 0;
    std::vector<std::string> stores;  ///< empty and kiosks empty: every kiosk
    std::vector<std::string> kiosks;
    std::vector<WaveSpec> waves;
    std::int64_t successPercent = 100;
    std::int64_t errorPercent = 0;
};

/// What a kiosk tells central about its update agent in a heartbeat.
struct UpdateReport {
    std::optional<std::int64_t> releaseId;  ///< the release the state is about
    std::string state;                      ///< idle, downloading, ..., healthy, failed, refused
    std::string version;                    ///< the version it runs
    std::string error;                      ///< reason of the last refusal or rollback
};
/// What central tells a kiosk to run.
struct UpdateOffer {
    std::int64_t releaseId = 0;
    std::int64_t rolloutId = 0;
    std::string version;
};

struct RolloutStatus {
    std::int64_t id = 0;
    std::int64_t releaseId = 0;
    std::string version;
    std::string state;
    std::int64_t wave = 0;
    std::int64_t waveStartedAt = 0;
    std::vector<std::int64_t> soaks;
    std::vector<WaveTally> tallies;
    struct Kiosk {
        std::string id;
        std::int64_t wave;
        std::string state;
        std::string detail;
    };
    std::vector<Kiosk> kiosks;
    struct Audit {
        std::int64_t at;
        std::string actor;
        std::string action;
        std::string detail;
    };
    std::vector<Audit> audit;
};

struct ReleaseInfo {
    std::int64_t id = 0;
    std::string package;
    std::string version;
    std::string channel;
    std::int64_t size = 0;
    std::string sha256;
    std::int64_t publishedAt = 0;
};

class Rollouts {
  public:
    Rollouts(Database& db, const loyalty::Clock& clock) : m_db(db), m_clock(clock) {}

    /// Stores chunk `index` of the bundle `sha256` (admin). Every chunk but the last is
    /// kBundleChunkBytes long.
    [[nodiscard]] std::expected<void, ApiError> putChunk(const Caller& caller, const std::string& sha256,
                                                         std::int64_t index, const std::string& bytes);
    /// Publishes a manifest whose bundle is fully uploaded and matches its size and SHA-256 (admin).
    /// The manifest is read, never trusted: kiosks verify its signature.
    [[nodiscard]] std::expected<ReleaseInfo, ApiError> publish(const Caller& caller,
                                                               const std::string& manifest);
    [[nodiscard]] std::expected<std::vector<ReleaseInfo>, ApiError> releases(const Caller& caller);
    /// The manifest text of a release (any enrolled kiosk, or admin).
    [[nodiscard]] std::expected<std::string, ApiError> manifest(const Caller& caller, std::int64_t releaseId);
    struct Range {
        std::int64_t first = 0;
        std::int64_t total = 0;
        std::string bytes;
    };
    /// Bytes from `first` on (at most one chunk's worth): a kiosk resumes a download where it stopped.
    [[nodiscard]] std::expected<Range, ApiError> bundle(const Caller& caller, std::int64_t releaseId,
                                                        std::int64_t first);

    [[nodiscard]] std::expected<RolloutStatus, ApiError> create(const Caller& caller,
                                                                const RolloutRequest& request);
    /// "pause", "resume" or "abort" (admin), audited.
    [[nodiscard]] std::expected<RolloutStatus, ApiError> act(const Caller& caller, std::int64_t rolloutId,
                                                             const std::string& action);
    /// The rollout after deciding its current wave on the clock (admin).
    [[nodiscard]] std::expected<RolloutStatus, ApiError> status(const Caller& caller, std::int64_t rolloutId);
    /// Records a kiosk's report, moves its rollout on, and says what it should run (nullopt: nothing new).
    [[nodiscard]] std::expected<std::optional<UpdateOffer>, ApiError> heartbeat(const Caller& caller,
                                                                                const UpdateReport& report);

  private:
    Database& m_db;
    const loyalty::Clock& m_clock;
};

}  // namespace central
