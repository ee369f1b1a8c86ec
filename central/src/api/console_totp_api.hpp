#pragma once
// The console's second factor (docs/console.md "Second factor"): POST /v1/console/totp/setup makes a
// new TOTP secret for the signed-in user and answers it with its otpauth:// link, once; POST
// /v1/console/totp/enable {"code"} turns it on with a code from the app. Any signed-in user, for
// their own account; CSRF like every write; audited without the secret. Private to central_core.
//
// Threads: handlers run on the server's worker threads; they BLOCK on the database.

#include <memory>
#include <vector>

#include "api/console_api.hpp"

namespace central {

/// The second-factor routes; `ops` must outlive them.
[[nodiscard]] std::vector<ConsoleRoute> consoleTotpRoutes(const std::shared_ptr<ConsoleOps>& ops);

}  // namespace central
