#pragma once
// A generated trading history for the console's reports (docs/performance.md "Console reports"):
// stores with two kiosks each, members joining at them, receipts claimed every day (more at the
// weekend, bigger stores busier), points redeemed for vouchers that are mostly used at the till a
// few days later, a few receipts brought back. Rows are written straight into central's tables
// (the same rows the claim, redeem and return paths write), in multi-row INSERTs inside large
// transactions, so a year of 50 stores takes minutes, not the days the HTTP API would.
//
// Threads: one. BLOCKS on the database.

#include <cstdint>
#include <string>

#include "central/database.hpp"
#include "loyalty/time.hpp"

namespace bench {

struct YearOptions {
    int stores = 50;
    int days = 365;
    int receiptsPerStoreDay = 100;  ///< the mean; the busiest stores get about twice the quietest
    std::uint64_t seed = 1;
    loyalty::LocalDate lastDay;  ///< the last day generated (nothing happens after its end)
};

/// What was written: what the report over the generated days must add up to.
struct YearTotals {
    std::int64_t claims = 0;
    std::int64_t pointsIssued = 0;
    std::int64_t pointsRedeemed = 0;
    std::int64_t pointsReturned = 0;
    std::int64_t vouchersIssued = 0;
    std::int64_t vouchersConsumed = 0;
    std::int64_t membersNew = 0;
};

/// Writes the history into `db` (already migrated) next to whatever it holds: store ids S001…,
/// kiosks K-S001-1/2, fresh member ids and phones. Throws std::runtime_error on a database error.
[[nodiscard]] YearTotals generateYear(central::Database& db, const YearOptions& options);

}  // namespace bench
