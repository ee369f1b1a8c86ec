#pragma once
// The console's changes to who a member is (docs/console.md "Phone change and merge"), under
// members.merge, each confirmed by a one-time code sent to the phone the member keeps:
//   POST /v1/console/members/{phone}/phone/code  {"new_phone"}                    → the code is sent
//   POST /v1/console/members/{phone}/phone       {"new_phone", "otp", "reason"}   → the phone changed
//   POST /v1/console/members/{phone}/merge/code  {"into"}                         → the code is sent
//   POST /v1/console/members/{phone}/merge       {"into", "otp", "reason"}        → merged into `into`
// audited with before and after. Private to central_core.
//
// Threads: handlers run on the server's worker threads; they BLOCK on the database and the notifier.

#include <memory>
#include <vector>

#include "api/console_api.hpp"

namespace central {

/// The routes; `service` and `ops` must outlive them.
[[nodiscard]] std::vector<ConsoleRoute> consoleMemberRoutes(Service& service,
                                                            const std::shared_ptr<ConsoleOps>& ops);

}  // namespace central
