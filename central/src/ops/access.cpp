#include "ops/access.hpp"

namespace central {

std::expected<void, ApiError> requireAdmin(const Caller& caller) {
    if (caller.kind != Caller::Kind::Admin) return std::unexpected(apiError("forbidden"));
    return {};
}

std::expected<void, ApiError> requireKiosk(const Caller& caller, std::string_view kioskId) {
    if (caller.kind != Caller::Kind::Kiosk || caller.kioskId != kioskId)
        return std::unexpected(apiError("forbidden"));
    return {};
}

}  // namespace central
