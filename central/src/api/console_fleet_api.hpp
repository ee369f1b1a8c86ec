#pragma once
// The console's fleet actions beyond console_api.cpp's (docs/console.md "Fleet"):
// POST /v1/console/enrollment-codes under fleet.act — a one-time code a new (or re-installed) kiosk
// enrolls with, audited without the code. Private to central_core.
//
// Threads: handlers run on the server's worker threads; they BLOCK on the database.

#include <memory>
#include <vector>

#include "api/console_api.hpp"

namespace central {

/// The fleet routes; `service` and `ops` must outlive them.
[[nodiscard]] std::vector<ConsoleRoute> consoleFleetRoutes(Service& service,
                                                           const std::shared_ptr<ConsoleOps>& ops);

}  // namespace central
