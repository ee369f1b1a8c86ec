#pragma once
// The claims routes (docs/api.md "Kiosk calls"): POST /v1/claims (one claim or a batch) and a
// member's balance, tier and history. Private to central_core.

#include <vector>

#include "api/route.hpp"
#include "central/metrics.hpp"
#include "ops/claims.hpp"

namespace central {

/// A member as GET /v1/members/{phone} answers: phone, masked, balance, history (voucher codes
/// masked), consent, tier fields, server_time.
[[nodiscard]] Json memberJson(const MemberView& member);

/// `service` and `metrics` must outlive the routes; every claim's outcome is counted in `metrics`.
[[nodiscard]] std::vector<Route> claimsRoutes(Service& service, Metrics& metrics);

}  // namespace central
