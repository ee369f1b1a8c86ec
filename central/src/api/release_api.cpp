#include "api/release_api.hpp"

#include <charconv>
#include <optional>

#include "api/json_fields.hpp"

namespace central {
namespace {

std::expected<std::int64_t, ApiError> parseId(const std::string& text, const char* field) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || value < 0) return std::unexpected(invalidField(field, "a number"));
    return value;
}

Json toJson(const ReleaseInfo& r) {
    return Json{{"release_id", r.id},           {"package", r.package}, {"version", r.version},
                {"channel", r.channel},         {"size", r.size},       {"sha256", r.sha256},
                {"published_at", r.publishedAt}};
}

Json toJson(const RolloutStatus& s) {
    Json waves = Json::array();
    for (std::size_t w = 0; w < s.soaks.size(); ++w)
        waves.push_back(Json{{"soak_s", s.soaks[w]},
                             {"kiosks", s.tallies[w].members},
                             {"succeeded", s.tallies[w].succeeded},
                             {"failed", s.tallies[w].failed}});
    Json kiosks = Json::array();
    for (const auto& k : s.kiosks)
        kiosks.push_back(
            Json{{"kiosk_id", k.id}, {"wave", k.wave + 1}, {"state", k.state}, {"detail", k.detail}});
    Json audit = Json::array();
    for (const auto& a : s.audit)
        audit.push_back(Json{{"at", a.at}, {"actor", a.actor}, {"action", a.action}, {"detail", a.detail}});
    return Json{
        {"rollout_id", s.id},        {"release_id", s.releaseId},   {"version", s.version},
        {"state", s.state},          {"wave", s.wave + 1},          {"wave_started_at", s.waveStartedAt},
        {"waves", std::move(waves)}, {"kiosks", std::move(kiosks)}, {"audit", std::move(audit)}};
}

std::expected<std::vector<std::string>, ApiError> stringList(const Json& body, const char* name) {
    std::vector<std::string> out;
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > 10'000) return std::unexpected(invalidField(name, "an array of ids"));
    for (const auto& v : *it) {
        if (!v.is_string() || !isToken(v.get<std::string>(), 32))
            return std::unexpected(invalidField(name, "an array of ids"));
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::expected<std::vector<WaveSpec>, ApiError> waveList(const Json& body) {
    const auto it = body.find("waves");
    if (it == body.end() || !it->is_array() || it->empty() || it->size() > 10)
        return std::unexpected(invalidField("waves", "an array of 1 to 10 waves"));
    std::vector<WaveSpec> out;
    for (const auto& w : *it) {
        if (!w.is_object()) return std::unexpected(invalidField("waves", "objects"));
        if (auto ok = onlyFields(w, {"kiosks", "percent", "soak_s"}); !ok) return std::unexpected(ok.error());
        auto kiosks = optionalInt(w, "kiosks", 1, 100'000);
        auto percent = optionalInt(w, "percent", 1, 100);
        auto soak = optionalInt(w, "soak_s", 0, 30LL * 86'400);
        if (!kiosks) return std::unexpected(kiosks.error());
        if (!percent) return std::unexpected(percent.error());
        if (!soak) return std::unexpected(soak.error());
        out.push_back({kiosks->value_or(0), percent->value_or(0), soak->value_or(0)});
    }
    return out;
}

}  // namespace

JsonResult ReleaseApi::putChunk(const Caller& caller, const std::string& sha256, const std::string& index,
                                const std::string& bytes) {
    auto chunk = parseId(index, "chunk");
    if (!chunk) return std::unexpected(chunk.error());
    if (auto ok = m_rollouts.putChunk(caller, sha256, *chunk, bytes); !ok) return std::unexpected(ok.error());
    return Json{{"sha256", sha256}, {"chunk", *chunk}, {"bytes", bytes.size()}};
}

JsonResult ReleaseApi::publish(const Caller& caller, const Json& body) {
    if (auto ok = onlyFields(body, {"manifest"}); !ok) return std::unexpected(ok.error());
    auto manifest = requireString(body, "manifest", 4096);
    if (!manifest) return std::unexpected(manifest.error());
    auto release = m_rollouts.publish(caller, *manifest);
    if (!release) return std::unexpected(release.error());
    return toJson(*release);
}

JsonResult ReleaseApi::releases(const Caller& caller) {
    auto list = m_rollouts.releases(caller);
    if (!list) return std::unexpected(list.error());
    Json out = Json::array();
    for (const auto& r : *list) out.push_back(toJson(r));
    return Json{{"releases", std::move(out)}};
}

JsonResult ReleaseApi::createRollout(const Caller& caller, const Json& body) {
    if (auto ok =
            onlyFields(body, {"release_id", "stores", "kiosks", "waves", "success_percent", "error_percent"});
        !ok)
        return std::unexpected(ok.error());
    RolloutRequest request;
    auto release = requireInt(body, "release_id", 1, INT64_MAX);
    if (!release) return std::unexpected(release.error());
    request.releaseId = *release;
    auto stores = stringList(body, "stores");
    if (!stores) return std::unexpected(stores.error());
    auto kiosks = stringList(body, "kiosks");
    if (!kiosks) return std::unexpected(kiosks.error());
    auto waves = waveList(body);
    if (!waves) return std::unexpected(waves.error());
    auto success = optionalInt(body, "success_percent", 1, 100);
    if (!success) return std::unexpected(success.error());
    auto error = optionalInt(body, "error_percent", 0, 100);
    if (!error) return std::unexpected(error.error());
    request.stores = std::move(*stores);
    request.kiosks = std::move(*kiosks);
    request.waves = std::move(*waves);
    request.successPercent = success->value_or(100);
    request.errorPercent = error->value_or(0);
    auto status = m_rollouts.create(caller, request);
    if (!status) return std::unexpected(status.error());
    return toJson(*status);
}

JsonResult ReleaseApi::rollout(const Caller& caller, const std::string& id) {
    auto rolloutId = parseId(id, "rollout_id");
    if (!rolloutId) return std::unexpected(rolloutId.error());
    auto status = m_rollouts.status(caller, *rolloutId);
    if (!status) return std::unexpected(status.error());
    return toJson(*status);
}

JsonResult ReleaseApi::act(const Caller& caller, const std::string& id, const std::string& action) {
    auto rolloutId = parseId(id, "rollout_id");
    if (!rolloutId) return std::unexpected(rolloutId.error());
    auto status = m_rollouts.act(caller, *rolloutId, action);
    if (!status) return std::unexpected(status.error());
    return toJson(*status);
}

JsonResult ReleaseApi::heartbeat(const Caller& caller, const Json& body) {
    UpdateReport report;
    auto version = optionalString(body, "version", 64);
    if (!version) return std::unexpected(version.error());
    report.version = version->value_or("");
    if (const auto it = body.find("update"); it != body.end() && !it->is_null()) {
        if (!it->is_object()) return std::unexpected(invalidField("update", "an object"));
        auto release = optionalInt(*it, "release_id", 0, INT64_MAX);
        auto state = optionalString(*it, "state", 32);
        auto error = optionalString(*it, "error", 200);
        if (!release) return std::unexpected(release.error());
        if (!state) return std::unexpected(state.error());
        if (!error) return std::unexpected(error.error());
        report.releaseId = *release;
        report.state = state->value_or("");
        report.error = error->value_or("");
    }
    auto offer = m_rollouts.heartbeat(caller, report);
    if (!offer) return std::unexpected(offer.error());
    if (!*offer) return Json(nullptr);
    const auto id = std::to_string((*offer)->releaseId);
    return Json{{"release_id", (*offer)->releaseId},
                {"rollout_id", (*offer)->rolloutId},
                {"version", (*offer)->version},
                {"manifest_url", "/v1/releases/" + id + "/manifest"},
                {"bundle_url", "/v1/releases/" + id + "/bundle"}};
}

std::expected<std::string, ApiError> ReleaseApi::manifest(const Caller& caller, const std::string& id) {
    auto releaseId = parseId(id, "release_id");
    if (!releaseId) return std::unexpected(releaseId.error());
    return m_rollouts.manifest(caller, *releaseId);
}

std::expected<Rollouts::Range, ApiError> ReleaseApi::bundle(const Caller& caller, const std::string& id,
                                                            const std::string& rangeHeader) {
    auto releaseId = parseId(id, "release_id");
    if (!releaseId) return std::unexpected(releaseId.error());
    std::int64_t first = 0;
    std::optional<std::int64_t> last;
    if (!rangeHeader.empty()) {
        // One range only: "bytes=N-" or "bytes=N-M". The answer may hold fewer bytes (at most a
        // chunk): its Content-Range says which, and the client asks again from there.
        const auto dash = rangeHeader.find('-');
        if (!rangeHeader.starts_with("bytes=") || dash == std::string::npos)
            return std::unexpected(invalidField("Range", "bytes=N- or bytes=N-M"));
        auto parsed = parseId(rangeHeader.substr(6, dash - 6), "Range");
        if (!parsed) return std::unexpected(parsed.error());
        first = *parsed;
        if (dash + 1 < rangeHeader.size()) {
            auto end = parseId(rangeHeader.substr(dash + 1), "Range");
            if (!end || *end < first) return std::unexpected(invalidField("Range", "bytes=N-M with M >= N"));
            last = *end;
        }
    }
    auto range = m_rollouts.bundle(caller, *releaseId, first);
    if (range && last && *last - first + 1 < static_cast<std::int64_t>(range->bytes.size()))
        range->bytes.resize(static_cast<std::size_t>(*last - first + 1));
    return range;
}

}  // namespace central
