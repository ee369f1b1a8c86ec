#include "ops/rollout.hpp"

#include <algorithm>

#include "loyalty/release.hpp"
#include "ops/access.hpp"
#include "store/release_store.hpp"
#include "store/rollout_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr std::int64_t kMaxWaves = 10;
constexpr std::int64_t kMaxSoakSeconds = 30LL * 86'400;

ApiError refused(int status, std::string_view code, std::string_view why) {
    return domainError(status, code, why);
}

ReleaseInfo toInfo(const ReleaseStore::Release& r) {
    return {r.id, r.package, r.version, r.channel, r.size, r.sha256, r.publishedAt};
}

std::expected<void, ApiError> checkRequest(const RolloutRequest& r) {
    if (r.waves.empty() || static_cast<std::int64_t>(r.waves.size()) > kMaxWaves)
        return std::unexpected(invalidField("waves", "1 to 10 waves"));
    for (const auto& w : r.waves) {
        if ((w.kiosks > 0) == (w.percent > 0) || w.percent > 100 || w.kiosks < 0 || w.percent < 0)
            return std::unexpected(invalidField("waves", "each wave names kiosks (> 0) or percent (1-100)"));
        if (w.soakSeconds < 0 || w.soakSeconds > kMaxSoakSeconds)
            return std::unexpected(invalidField("waves", "soak_s from 0 to 30 days"));
    }
    if (r.successPercent < 1 || r.successPercent > 100)
        return std::unexpected(invalidField("success_percent", "1 to 100"));
    if (r.errorPercent < 0 || r.errorPercent > 100)
        return std::unexpected(invalidField("error_percent", "0 to 100"));
    return {};
}

/// Decides the current wave of `r` (running only) and records what changed; loops while waves
/// complete at once (a soak of 0).
std::expected<void, ApiError> moveOn(RolloutStore& store, RolloutStore::Rollout& r,
                                     loyalty::UnixSeconds now) {
    if (r.state != "running") return {};
    CENTRAL_TRY(soaks, store.soaks(r.id));
    CENTRAL_TRY(members, store.members(r.id));
    while (r.state == "running") {
        WaveTally tally;
        for (const auto& m : *members) {
            if (m.wave != r.wave) continue;
            ++tally.members;
            tally.succeeded += m.state == "succeeded";
            tally.failed += m.state == "failed";
        }
        const bool last = r.wave + 1 >= static_cast<std::int64_t>(soaks->size());
        const auto decision = decideWave(tally, r.successPercent, r.errorPercent, now - r.waveStartedAt,
                                         soaks->at(static_cast<std::size_t>(r.wave)), last);
        const std::string counts =
            "wave " + std::to_string(r.wave + 1) + ": " + std::to_string(tally.succeeded) + " succeeded, " +
            std::to_string(tally.failed) + " failed of " + std::to_string(tally.members);
        if (decision == WaveDecision::Wait) return {};
        std::string action = "advanced";
        if (decision == WaveDecision::Advance) {
            ++r.wave;
            r.waveStartedAt = now;
        } else {
            r.state = decision == WaveDecision::Halt ? "halted" : "done";
            action = r.state;
        }
        CENTRAL_TRY(set, store.setState(r.id, r.state, r.wave, r.waveStartedAt));
        CENTRAL_TRY(logged, store.audit(r.id, {now, "central", action, counts}));
    }
    return {};
}

std::expected<RolloutStatus, ApiError> readStatus(Connection& c, std::int64_t rolloutId) {
    RolloutStore store(c);
    CENTRAL_TRY(found, store.find(rolloutId));
    if (!*found) return std::unexpected(apiError("not_found"));
    const auto& r = **found;
    CENTRAL_TRY(release, ReleaseStore(c).find(r.releaseId));
    CENTRAL_TRY(soaks, store.soaks(r.id));
    CENTRAL_TRY(members, store.members(r.id));
    CENTRAL_TRY(audit, store.auditOf(r.id));
    RolloutStatus s{r.id,
                    r.releaseId,
                    *release ? (*release)->version : "",
                    r.state,
                    r.wave,
                    r.waveStartedAt,
                    *soaks,
                    std::vector<WaveTally>(soaks->size()),
                    {},
                    {}};
    for (const auto& m : *members) {
        auto& t = s.tallies.at(static_cast<std::size_t>(m.wave));
        ++t.members;
        t.succeeded += m.state == "succeeded";
        t.failed += m.state == "failed";
        s.kiosks.push_back({m.kioskId, m.wave, m.state, m.detail});
    }
    for (const auto& a : *audit) s.audit.push_back({a.at, a.actor, a.action, a.detail});
    return s;
}

}  // namespace

std::vector<std::int64_t> assignWaves(const std::vector<WaveSpec>& waves, std::size_t targetCount) {
    std::vector<std::int64_t> out;
    const auto total = static_cast<std::int64_t>(targetCount);
    std::int64_t assigned = 0;
    for (std::size_t w = 0; w < waves.size() && assigned < total; ++w) {
        std::int64_t upTo =
            waves[w].kiosks > 0 ? assigned + waves[w].kiosks : (waves[w].percent * total + 99) / 100;
        if (w + 1 == waves.size()) upTo = total;
        upTo = std::min(total, std::max(upTo, assigned + 1));
        for (; assigned < upTo; ++assigned) out.push_back(static_cast<std::int64_t>(w));
    }
    return out;
}

WaveDecision decideWave(const WaveTally& t, std::int64_t successPercent, std::int64_t errorPercent,
                        std::int64_t soakedSeconds, std::int64_t soakSeconds, bool lastWave) {
    if (t.failed * 100 > errorPercent * t.members) return WaveDecision::Halt;
    if (soakedSeconds < soakSeconds || t.succeeded * 100 < successPercent * t.members)
        return WaveDecision::Wait;
    return lastWave ? WaveDecision::Complete : WaveDecision::Advance;
}

std::expected<void, ApiError> Rollouts::putChunk(const Caller& caller, const std::string& sha256,
                                                 std::int64_t index, const std::string& bytes) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (sha256.size() != 64 || !std::all_of(sha256.begin(), sha256.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
        return std::unexpected(invalidField("sha256", "64 lowercase hex digits"));
    if (index < 0 || index >= kMaxBundleBytes / kBundleChunkBytes)
        return std::unexpected(invalidField("chunk", "0 to 1023"));
    if (bytes.empty() || static_cast<std::int64_t>(bytes.size()) > kBundleChunkBytes)
        return std::unexpected(invalidField("body", "1 to 262144 bytes"));
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        CENTRAL_TRY(put, ReleaseStore(c).putChunk(sha256, index, bytes));
        return {};
    });
}

std::expected<ReleaseInfo, ApiError> Rollouts::publish(const Caller& caller, const std::string& text) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto m = loyalty::readUnverifiedReleaseManifest(text);
    if (!m) return std::unexpected(invalidField("manifest", m.error().detail));
    const auto size = static_cast<std::int64_t>(m->size);
    if (size > kMaxBundleBytes) return std::unexpected(refused(413, "release_too_large", "over 256 MiB"));
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    ReleaseStore reader(**lease);
    CENTRAL_TRY(sizes, reader.chunkSizes(m->sha256));
    const auto count = (size + kBundleChunkBytes - 1) / kBundleChunkBytes;
    bool complete = static_cast<std::int64_t>(sizes->size()) == count;
    for (std::int64_t i = 0; complete && i < count; ++i) {
        const auto& [index, bytes] = (*sizes)[static_cast<std::size_t>(i)];
        complete = index == i && bytes == std::min(kBundleChunkBytes, size - i * kBundleChunkBytes);
    }
    if (!complete)
        return std::unexpected(
            refused(409, "release_bundle_incomplete", "upload every chunk of the bundle first"));
    loyalty::Sha256 hash;
    for (std::int64_t i = 0; i < count; ++i) {
        CENTRAL_TRY(bytes, reader.chunk(m->sha256, i));
        hash.update(std::span(reinterpret_cast<const std::uint8_t*>((*bytes)->data()), (*bytes)->size()));
    }
    if (hash.hexDigest() != m->sha256)
        return std::unexpected(
            refused(409, "release_bundle_mismatch", "the uploaded bytes do not hash to sha256"));
    const ReleaseStore::Release release{0,          m->package,   loyalty::formatReleaseVersion(m->version),
                                        m->channel, size,         m->sha256,
                                        text,       m_clock.now()};
    return transact(m_db, [&](Connection& c) -> std::expected<ReleaseInfo, ApiError> {
        CENTRAL_TRY(stored, ReleaseStore(c).insert(release));
        if (stored->manifest != text)
            return std::unexpected(
                refused(409, "release_exists", "this package, version and channel is published"));
        return toInfo(*stored);
    });
}

std::expected<std::vector<ReleaseInfo>, ApiError> Rollouts::releases(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(list, ReleaseStore(**lease).list());
    std::vector<ReleaseInfo> out;
    for (const auto& r : *list) out.push_back(toInfo(r));
    return out;
}

std::expected<std::string, ApiError> Rollouts::manifest(const Caller&, std::int64_t releaseId) {
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(found, ReleaseStore(**lease).find(releaseId));
    if (!*found) return std::unexpected(apiError("not_found"));
    return (*found)->manifest;
}

std::expected<Rollouts::Range, ApiError> Rollouts::bundle(const Caller&, std::int64_t releaseId,
                                                          std::int64_t first) {
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    ReleaseStore store(**lease);
    CENTRAL_TRY(found, store.find(releaseId));
    if (!*found) return std::unexpected(apiError("not_found"));
    const auto& r = **found;
    if (first < 0 || first >= r.size)
        return std::unexpected(
            refused(416, "release_range_not_satisfiable", "the range starts past the bundle"));
    CENTRAL_TRY(chunk, store.chunk(r.sha256, first / kBundleChunkBytes));
    const auto offset = static_cast<std::size_t>(first % kBundleChunkBytes);
    if (!*chunk || (*chunk)->size() <= offset) return std::unexpected(apiError("internal"));
    return Range{first, r.size, (*chunk)->substr(offset)};
}

std::expected<RolloutStatus, ApiError> Rollouts::create(const Caller& caller, const RolloutRequest& request) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (auto ok = checkRequest(request); !ok) return std::unexpected(ok.error());
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<RolloutStatus, ApiError> {
        CENTRAL_TRY(release, ReleaseStore(c).find(request.releaseId));
        if (!*release) return std::unexpected(invalidField("release_id", "no such release"));
        RolloutStore store(c);
        CENTRAL_TRY(targets, store.targetKiosks(request.stores, request.kiosks));
        if (targets->empty())
            return std::unexpected(refused(409, "rollout_no_kiosks", "the target holds no kiosk"));
        const auto waves = assignWaves(request.waves, targets->size());
        std::vector<RolloutStore::Member> members;
        for (std::size_t i = 0; i < targets->size(); ++i)
            members.push_back({(*targets)[i], waves[i], "pending", ""});
        std::vector<std::int64_t> soaks;
        for (std::int64_t w = 0; w <= waves.back(); ++w)
            soaks.push_back(request.waves[static_cast<std::size_t>(w)].soakSeconds);
        const RolloutStore::Rollout r{
            0, request.releaseId, "running", 0, now, request.successPercent, request.errorPercent, now};
        CENTRAL_TRY(id, store.insert(r, soaks, members));
        CENTRAL_TRY(logged, store.audit(*id, {now, "admin", "created",
                                              "release " + (*release)->version + " to " +
                                                  std::to_string(members.size()) + " kiosks in " +
                                                  std::to_string(soaks.size()) + " waves"}));
        return readStatus(c, *id);
    });
}

std::expected<RolloutStatus, ApiError> Rollouts::act(const Caller& caller, std::int64_t rolloutId,
                                                     const std::string& action) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<RolloutStatus, ApiError> {
        RolloutStore store(c);
        CENTRAL_TRY(found, store.find(rolloutId));
        if (!*found) return std::unexpected(apiError("not_found"));
        auto r = **found;
        const bool live = r.state == "running" || r.state == "paused";
        std::string next;
        if (action == "pause" && r.state == "running") next = "paused";
        if (action == "resume" && r.state == "paused") next = "running";
        if (action == "abort" && live) next = "aborted";
        if (next.empty())
            return std::unexpected(
                refused(409, "rollout_state", "the rollout is " + r.state + ": cannot " + action));
        r.state = next;
        CENTRAL_TRY(set, store.setState(r.id, r.state, r.wave, r.waveStartedAt));
        CENTRAL_TRY(logged, store.audit(r.id, {now, "admin", action, ""}));
        if (auto moved = moveOn(store, r, now); !moved) return std::unexpected(moved.error());
        return readStatus(c, r.id);
    });
}

std::expected<RolloutStatus, ApiError> Rollouts::status(const Caller& caller, std::int64_t rolloutId) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<RolloutStatus, ApiError> {
        RolloutStore store(c);
        CENTRAL_TRY(found, store.find(rolloutId));
        if (!*found) return std::unexpected(apiError("not_found"));
        auto r = **found;
        if (auto moved = moveOn(store, r, now); !moved) return std::unexpected(moved.error());
        return readStatus(c, r.id);
    });
}

std::expected<std::optional<UpdateOffer>, ApiError> Rollouts::heartbeat(const Caller& caller,
                                                                        const UpdateReport& report) {
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<std::optional<UpdateOffer>, ApiError> {
        RolloutStore store(c);
        CENTRAL_TRY(active, store.activeFor(caller.kioskId));
        if (!*active) return std::optional<UpdateOffer>{};
        auto [r, member] = **active;
        CENTRAL_TRY(release, ReleaseStore(c).find(r.releaseId));
        if (!*release) return std::unexpected(apiError("internal"));
        const auto& version = (*release)->version;
        std::string result;
        if (report.version == version && report.state == "healthy") result = "succeeded";
        if (report.releaseId == r.releaseId && (report.state == "failed" || report.state == "refused"))
            result = "failed";
        if (member.state == "pending" && !result.empty()) {
            member.state = result;
            CENTRAL_TRY(set, store.setMember(r.id, caller.kioskId, result, report.error, now));
            CENTRAL_TRY(logged, store.audit(r.id, {now, caller.kioskId, "kiosk_" + result,
                                                   report.state +
                                                       (report.error.empty() ? "" : ": " + report.error)}));
        }
        if (auto moved = moveOn(store, r, now); !moved) return std::unexpected(moved.error());
        if (r.state != "running" || member.wave > r.wave || member.state != "pending")
            return std::optional<UpdateOffer>{};
        return std::optional<UpdateOffer>{UpdateOffer{r.releaseId, r.id, version}};
    });
}

}  // namespace central
