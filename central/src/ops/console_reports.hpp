#pragma once
// The console's reports (docs/console.md "Reports"): per store and local day or month, what the
// ledger, the vouchers, the members and the game draws say. Closed days (ended more than
// kSettleSeconds ago) are rolled up once into report_days (schema version 12) the first time a
// report covers them and read from there afterwards; the open days are computed from the ledger at
// every call. Private to central_core.
//
// Threads: any. BLOCKS on the database (a year never rolled up: a few seconds, once).

#include <cstdint>
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/time.hpp"

namespace central {

/// What one store did in one period. Points are positive magnitudes.
struct ReportFigures {
    std::int64_t claims = 0;            ///< receipts claimed (earn entries)
    std::int64_t pointsIssued = 0;      ///< earned from receipts and won in games
    std::int64_t pointsRedeemed = 0;    ///< spent on rewards and bought plays
    std::int64_t pointsReturned = 0;    ///< reversed for goods brought back
    std::int64_t vouchersIssued = 0;    ///< by the store's kiosks
    std::int64_t vouchersConsumed = 0;  ///< at the store's till
    std::int64_t membersNew = 0;        ///< joined at the store's kiosks
    std::int64_t membersActive = 0;     ///< distinct members who earned, spent or played there
    std::int64_t gameDraws = 0;
    std::int64_t gamePrizes = 0;  ///< draws that won something
};

struct ReportQuery {
    loyalty::LocalDate from;  ///< inclusive; by month: the first of its month
    loyalty::LocalDate to;    ///< inclusive; by month: the last day of its month
    bool byMonth = false;
};

struct ReportRow {
    std::string period;  ///< "2026-11-23", or "2026-11" by month
    std::string store;   ///< "" for what no store did (a member joined outside any kiosk)
    ReportFigures figures;
};

struct Report {
    ReportQuery query;
    std::vector<ReportRow> rows;  ///< by period, then store
    /// Points that expired, per period: chain-wide (expiry belongs to a member, not to a store).
    std::vector<std::pair<std::string, std::int64_t>> expired;
};

/// from/to as YYYY-MM-DD, by "day" (default) or "month" (widened to whole months). At most 400
/// days by day, 36 months by month: 400 invalid_field otherwise.
[[nodiscard]] std::expected<ReportQuery, ApiError> parseReportQuery(std::string_view from,
                                                                    std::string_view to, std::string_view by);

class ConsoleReports {
  public:
    /// A day is rolled up this long after its end: no transaction still writes into it.
    static constexpr loyalty::UnixSeconds kSettleSeconds = 3600;

    /// `db` and `clock` must outlive this.
    ConsoleReports(Database& db, const loyalty::Clock& clock) : m_db(db), m_clock(clock) {}

    /// Every store's rows; the caller keeps the stores its user may see.
    [[nodiscard]] std::expected<Report, ApiError> report(const ReportQuery& query);

  private:
    using DayFigures = std::map<std::pair<std::int64_t, std::string>, ReportFigures>;
    using StoreCounts = std::map<std::string, std::int64_t>;

    /// Days [first, last] from report_days, rolling up those not yet rolled (all closed).
    [[nodiscard]] std::expected<DayFigures, ApiError> closedDays(std::int64_t first, std::int64_t last);
    /// A month's distinct active members per store: stored once the month is closed.
    [[nodiscard]] std::expected<StoreCounts, ApiError> monthActive(const loyalty::LocalDate& month,
                                                                   loyalty::UnixSeconds now);
    [[nodiscard]] std::expected<std::map<std::int64_t, std::int64_t>, ApiError> expired(std::int64_t first,
                                                                                        std::int64_t last);

    Database& m_db;
    const loyalty::Clock& m_clock;
};

}  // namespace central
