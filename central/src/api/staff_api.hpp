#pragma once
// The JSON face of the maintenance mode's staff (docs/api.md "Staff"): the admin's issue / list /
// revoke of staff PINs and the kiosk's report of staff actions, read strictly (unknown fields refused,
// a wrong field is a 400 naming it and nothing is written). The console's routes (console_api.cpp)
// reuse the readers and the member's JSON. Private to central_core.

#include <functional>
#include <string>
#include <vector>

#include "central/service.hpp"
#include "ops/staff_ops.hpp"

namespace central {

/// A member as head office reads it: id, name, created_at, revoked (never the PIN or its hash).
[[nodiscard]] Json staffToJson(const StaffMember& member);
/// POST …/staff: {"staff_id", "name", "pin"} issued through `ops` as `caller`.
[[nodiscard]] JsonResult issueStaff(StaffOps& ops, const Caller& caller, const Json& body);

/// One route of the staff API; `handle` gets the first group of the path pattern (or "").
struct StaffRoute {
    const char* method;
    const char* pattern;
    const char* name;  ///< as in metrics and logs
    bool bodyRequired;
    std::function<JsonResult(const std::string& path, const Caller& caller, const Json& body)> handle;
};
[[nodiscard]] std::vector<StaffRoute> staffRoutes(StaffOps& ops);

}  // namespace central
