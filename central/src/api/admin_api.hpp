#pragma once
// Head office's catalog routes under the admin token (docs/api.md "Admin calls"): campaign, theme,
// rewards, stores, a member's adjustment, the points report, and a --demo central's clock.
// Private to central_core.

#include <vector>

#include "api/route.hpp"
#include "loyalty/clock.hpp"

namespace central {

/// `service` must outlive the routes. `testClock` (--demo only, else null) is moved by
/// POST /v1/admin/clock/advance, which exists only when it is given.
[[nodiscard]] std::vector<Route> adminRoutes(Service& service, loyalty::SteppableClock* testClock);

}  // namespace central
