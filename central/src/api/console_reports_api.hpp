#pragma once
// The console's reports route (docs/console.md "Reports", docs/api.md "Console"):
// GET /v1/console/reports?from=YYYY-MM-DD&to=YYYY-MM-DD&by=day|month under reports.view; a store
// manager gets the rows of their stores only, and no chain-wide figure. Private to central_core.
//
// Threads: handlers run on the server's worker threads; they BLOCK on the database.

#include <memory>
#include <vector>

#include "api/console_api.hpp"

namespace central {

struct ConsoleUser;
struct Report;

/// A report as `user` may see it: the rows of their stores, and the chain-wide expiries unless they
/// are a store manager.
[[nodiscard]] Json reportJson(const Report& report, const ConsoleUser& user);

/// The report routes; `service` and `ops` must outlive them.
[[nodiscard]] std::vector<ConsoleRoute> consoleReportRoutes(Service& service,
                                                            const std::shared_ptr<ConsoleOps>& ops);

}  // namespace central
