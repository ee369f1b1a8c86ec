#pragma once
// The spending routes (docs/api.md "Kiosk calls"): the one-time code, the redemption of a reward and
// the consumption of a voucher at the POS. Private to central_core.

#include <vector>

#include "api/route.hpp"

namespace central {

class SpendOps;

/// `spend` (ops/spend.hpp) must outlive the routes.
[[nodiscard]] std::vector<Route> spendRoutes(SpendOps& spend);

}  // namespace central
