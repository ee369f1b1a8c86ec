#pragma once
// Who may call what, once the caller is authenticated. Private to central_core.

#include <expected>
#include <string_view>

#include "central/api_error.hpp"
#include "central/service.hpp"

namespace central {

/// Refuses a non-admin caller (403 forbidden).
[[nodiscard]] std::expected<void, ApiError> requireAdmin(const Caller& caller);
/// Refuses a caller that is not the kiosk `kioskId` (403 forbidden).
[[nodiscard]] std::expected<void, ApiError> requireKiosk(const Caller& caller, std::string_view kioskId);

}  // namespace central
