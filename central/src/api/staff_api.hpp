#pragma once
// The JSON face of the maintenance mode's staff (docs/api.md "Staff"): the admin's issue / list /
// revoke of staff PINs and the kiosk's report of staff actions, read strictly (unknown fields refused,
// a wrong field is a 400 naming it and nothing is written). The console's routes (console_api.cpp)
// reuse the readers and the member's JSON. Private to central_core.

#include <string>
#include <vector>

#include "api/route.hpp"
#include "central/service.hpp"
#include "ops/staff_ops.hpp"

namespace central {

/// A member as head office reads it: id, name, created_at, revoked (never the PIN or its hash).
[[nodiscard]] Json staffToJson(const StaffMember& member);
/// POST …/staff: {"staff_id", "name", "pin"} issued through `ops` as `caller`.
[[nodiscard]] JsonResult issueStaff(StaffOps& ops, const Caller& caller, const Json& body);

/// The staff routes; `ops` must outlive them.
[[nodiscard]] std::vector<Route> staffRoutes(StaffOps& ops);

}  // namespace central
