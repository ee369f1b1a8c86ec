#include "store/rollout_store.hpp"

#include <algorithm>

namespace central {
namespace {

constexpr const char* kRolloutColumns =
    "r.rollout_id, r.release_id, r.state, r.wave, r.wave_started_at, r.success_percent, r.error_percent, "
    "r.created_at";

RolloutStore::Rollout toRollout(const Row& row) {
    return {row.integer(0), row.integer(1), row.text(2),    row.integer(3),
            row.integer(4), row.integer(5), row.integer(6), row.integer(7)};
}

template <typename T>
DbResult<void> done(const DbResult<T>& result) {
    if (!result) return std::unexpected(result.error());
    return {};
}

}  // namespace

DbResult<std::vector<std::string>> RolloutStore::targetKiosks(const std::vector<std::string>& stores,
                                                              const std::vector<std::string>& kiosks) {
    auto rows = m_c.query(
        "SELECT kiosk_id, store_id FROM kiosks WHERE enrolled_at IS NOT NULL AND revoked_at IS NULL "
        "ORDER BY kiosk_id");
    if (!rows) return std::unexpected(rows.error());
    auto contains = [](const std::vector<std::string>& list, const std::string& value) {
        return std::find(list.begin(), list.end(), value) != list.end();
    };
    std::vector<std::string> out;
    for (const auto& row : *rows) {
        const bool byStore = stores.empty() ? kiosks.empty() : contains(stores, row.text(1));
        if (byStore || contains(kiosks, row.text(0))) out.push_back(row.text(0));
    }
    return out;
}

DbResult<std::int64_t> RolloutStore::insert(const Rollout& r, const std::vector<std::int64_t>& soaks,
                                            const std::vector<Member>& members) {
    auto id = m_c.query(
        "INSERT INTO rollouts (release_id, state, wave, wave_started_at, success_percent, error_percent, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING rollout_id",
        {r.releaseId, r.state, r.wave, r.waveStartedAt, r.successPercent, r.errorPercent, r.createdAt});
    if (!id) return std::unexpected(id.error());
    const auto rolloutId = id->front().integer(0);
    for (std::size_t wave = 0; wave < soaks.size(); ++wave) {
        auto ins = m_c.query("INSERT INTO rollout_waves (rollout_id, wave, soak_s) VALUES ($1, $2, $3)",
                             {rolloutId, static_cast<std::int64_t>(wave), soaks[wave]});
        if (!ins) return std::unexpected(ins.error());
    }
    for (const auto& m : members) {
        auto ins = m_c.query(
            "INSERT INTO rollout_kiosks (rollout_id, kiosk_id, wave, state, updated_at) VALUES ($1, $2, $3, "
            "$4, $5)",
            {rolloutId, m.kioskId, m.wave, m.state, r.createdAt});
        if (!ins) return std::unexpected(ins.error());
    }
    return rolloutId;
}

DbResult<std::optional<RolloutStore::Rollout>> RolloutStore::find(std::int64_t id) {
    auto rows = m_c.query(
        std::string("SELECT ") + kRolloutColumns + " FROM rollouts r WHERE r.rollout_id = $1", {id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Rollout>{};
    return toRollout(rows->front());
}

DbResult<std::optional<std::pair<RolloutStore::Rollout, RolloutStore::Member>>> RolloutStore::activeFor(
    const std::string& kioskId) {
    auto rows = m_c.query(std::string("SELECT ") + kRolloutColumns +
                              ", k.wave, k.state, k.detail FROM rollouts r JOIN rollout_kiosks k ON "
                              "k.rollout_id = r.rollout_id WHERE k.kiosk_id = $1 AND r.state IN ('running', "
                              "'paused') ORDER BY r.rollout_id DESC LIMIT 1",
                          {kioskId});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::pair<Rollout, Member>>{};
    const auto& row = rows->front();
    return std::make_pair(toRollout(row), Member{kioskId, row.integer(8), row.text(9), row.text(10)});
}

DbResult<std::vector<std::int64_t>> RolloutStore::soaks(std::int64_t rolloutId) {
    auto rows =
        m_c.query("SELECT soak_s FROM rollout_waves WHERE rollout_id = $1 ORDER BY wave", {rolloutId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::int64_t> out;
    for (const auto& row : *rows) out.push_back(row.integer(0));
    return out;
}

DbResult<std::vector<RolloutStore::Member>> RolloutStore::members(std::int64_t rolloutId) {
    auto rows = m_c.query(
        "SELECT kiosk_id, wave, state, detail FROM rollout_kiosks WHERE rollout_id = $1 ORDER BY wave, "
        "kiosk_id",
        {rolloutId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<Member> out;
    for (const auto& row : *rows) out.push_back({row.text(0), row.integer(1), row.text(2), row.text(3)});
    return out;
}

DbResult<void> RolloutStore::setMember(std::int64_t rolloutId, const std::string& kioskId,
                                       const std::string& state, const std::string& detail,
                                       loyalty::UnixSeconds now) {
    return done(
        m_c.query("UPDATE rollout_kiosks SET state = $1, detail = $2, updated_at = $3 WHERE rollout_id = $4 "
                  "AND kiosk_id = $5",
                  {state, detail, now, rolloutId, kioskId}));
}

DbResult<void> RolloutStore::setState(std::int64_t rolloutId, const std::string& state, std::int64_t wave,
                                      loyalty::UnixSeconds waveStartedAt) {
    return done(
        m_c.query("UPDATE rollouts SET state = $1, wave = $2, wave_started_at = $3 WHERE rollout_id = $4",
                  {state, wave, waveStartedAt, rolloutId}));
}

DbResult<void> RolloutStore::audit(std::int64_t rolloutId, const AuditEntry& e) {
    return done(m_c.query(
        "INSERT INTO rollout_audit (rollout_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)",
        {rolloutId, e.at, e.actor, e.action, e.detail}));
}

DbResult<std::vector<RolloutStore::AuditEntry>> RolloutStore::auditOf(std::int64_t rolloutId) {
    auto rows = m_c.query(
        "SELECT at, actor, action, detail FROM rollout_audit WHERE rollout_id = $1 ORDER BY audit_id",
        {rolloutId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<AuditEntry> out;
    for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3)});
    return out;
}

}  // namespace central
