#pragma once
// The fleet routes (docs/api.md "Kiosk calls", "Releases and rollouts"): enrollment, a kiosk's config
// and heartbeat (with the update it should install), head office's enrollment codes, kiosk list,
// revocation and commands, releases, bundles and rollouts. Private to central_core.

#include <vector>

#include "api/route.hpp"

namespace central {

/// `service` must outlive the routes.
[[nodiscard]] std::vector<Route> fleetRoutes(Service& service);

}  // namespace central
