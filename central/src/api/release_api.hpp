#pragma once
// The JSON face of releases and rollouts (docs/api.md, "Releases and rollouts"): request bodies to
// the typed calls of ops/rollout.hpp and their answers back to JSON. Private to central_core.

#include <nlohmann/json.hpp>

#include <expected>

#include "central/api_error.hpp"
#include "central/service.hpp"
#include "ops/rollout.hpp"

namespace central {

class ReleaseApi {
  public:
    explicit ReleaseApi(Rollouts& rollouts) : m_rollouts(rollouts) {}

    [[nodiscard]] JsonResult putChunk(const Caller& caller, const std::string& sha256,
                                      const std::string& index, const std::string& bytes);
    [[nodiscard]] JsonResult publish(const Caller& caller, const Json& body);
    [[nodiscard]] JsonResult releases(const Caller& caller);
    [[nodiscard]] JsonResult createRollout(const Caller& caller, const Json& body);
    [[nodiscard]] JsonResult rollout(const Caller& caller, const std::string& id);
    [[nodiscard]] JsonResult act(const Caller& caller, const std::string& id, const std::string& action);
    /// The "update" member of a heartbeat's answer (null: nothing to install), after recording the
    /// body's "update" report.
    [[nodiscard]] JsonResult heartbeat(const Caller& caller, const Json& body);
    [[nodiscard]] std::expected<std::string, ApiError> manifest(const Caller& caller, const std::string& id);
    /// A "Range: bytes=N-" header (or none) to the bytes from N on.
    [[nodiscard]] std::expected<Rollouts::Range, ApiError> bundle(const Caller& caller, const std::string& id,
                                                                  const std::string& rangeHeader);

  private:
    Rollouts& m_rollouts;
};

}  // namespace central
