#pragma once
// Rollouts (rollouts), their waves (rollout_waves), the kiosks each wave holds and how each fared
// (rollout_kiosks), and the audit of every step (rollout_audit). Every call runs in the caller's open
// transaction on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class RolloutStore {
  public:
    explicit RolloutStore(Connection& c) : m_c(c) {}

    struct Rollout {
        std::int64_t id = 0;
        std::int64_t releaseId = 0;
        std::string state;  ///< running | paused | halted | aborted | done
        std::int64_t wave = 0;
        loyalty::UnixSeconds waveStartedAt = 0;
        std::int64_t successPercent = 100;
        std::int64_t errorPercent = 0;
        loyalty::UnixSeconds createdAt = 0;
    };
    struct Member {
        std::string kioskId;
        std::int64_t wave = 0;
        std::string state;  ///< pending | succeeded | failed
        std::string detail;
    };
    struct AuditEntry {
        loyalty::UnixSeconds at = 0;
        std::string actor;
        std::string action;
        std::string detail;
    };

    /// The enrolled, unrevoked kiosks of `stores` (empty = every store) or named in `kiosks`, by id.
    [[nodiscard]] DbResult<std::vector<std::string>> targetKiosks(const std::vector<std::string>& stores,
                                                                  const std::vector<std::string>& kiosks);
    [[nodiscard]] DbResult<std::int64_t> insert(const Rollout& rollout,
                                                const std::vector<std::int64_t>& soaks,
                                                const std::vector<Member>& members);
    [[nodiscard]] DbResult<std::optional<Rollout>> find(std::int64_t id);
    /// The newest running or paused rollout holding `kioskId`, and the kiosk's row in it.
    [[nodiscard]] DbResult<std::optional<std::pair<Rollout, Member>>> activeFor(const std::string& kioskId);
    [[nodiscard]] DbResult<std::vector<std::int64_t>> soaks(std::int64_t rolloutId);
    [[nodiscard]] DbResult<std::vector<Member>> members(std::int64_t rolloutId);
    [[nodiscard]] DbResult<void> setMember(std::int64_t rolloutId, const std::string& kioskId,
                                           const std::string& state, const std::string& detail,
                                           loyalty::UnixSeconds now);
    /// Moves the rollout to `state` at `wave` (wave_started_at = `now` when the wave changes).
    [[nodiscard]] DbResult<void> setState(std::int64_t rolloutId, const std::string& state, std::int64_t wave,
                                          loyalty::UnixSeconds waveStartedAt);
    [[nodiscard]] DbResult<void> audit(std::int64_t rolloutId, const AuditEntry& entry);
    [[nodiscard]] DbResult<std::vector<AuditEntry>> auditOf(std::int64_t rolloutId);

  private:
    Connection& m_c;
};

}  // namespace central
