#include "ops/console_reports.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.hpp"

namespace central {
namespace {

using loyalty::kSecondsPerDay;
using loyalty::kVietnamOffsetSeconds;
using loyalty::LocalDate;
using loyalty::UnixSeconds;

constexpr std::int64_t kMaxDays = 400;
constexpr std::int64_t kMaxMonths = 36;
/// Rows per INSERT when a roll-up is stored (x 12 parameters, well under both engines' limits).
constexpr std::size_t kRowsPerInsert = 250;
constexpr std::size_t kColumns = 12;  ///< of report_days
/// The local day number of `column` (Unix seconds), in SQL: what dayNumber() computes in C++.
std::string localDay(std::string_view column) {
    return "(" + std::string(column) + " + " + std::to_string(kVietnamOffsetSeconds) + ") / " +
           std::to_string(kSecondsPerDay);
}

std::int64_t dayNumber(UnixSeconds t) {
    const auto shifted = t + kVietnamOffsetSeconds;
    return shifted / kSecondsPerDay - (shifted % kSecondsPerDay < 0 ? 1 : 0);
}
UnixSeconds dayStart(std::int64_t day) {
    return day * kSecondsPerDay - kVietnamOffsetSeconds;
}
std::int64_t dayOf(const LocalDate& date) {
    return dayNumber(loyalty::startOfLocalDay(date));
}
LocalDate dateOf(std::int64_t day) {
    return loyalty::localDate(dayStart(day));
}
LocalDate firstOfMonth(const LocalDate& date) {
    return LocalDate{date.year, date.month, 1};
}
std::int64_t monthIndex(const LocalDate& date) {
    return std::int64_t{date.year} * 12 + date.month - 1;
}
std::string monthName(const LocalDate& date) {
    return loyalty::formatLocalDate(date).substr(0, 7);
}

using DayFigures = std::map<std::pair<std::int64_t, std::string>, ReportFigures>;

/// Every figure of days [first, last] computed from the ledger, members, vouchers and game draws.
DbResult<DayFigures> computeDays(Connection& c, std::int64_t first, std::int64_t last) {
    DayFigures days;
    const std::int64_t start = dayStart(first);
    const std::int64_t end = dayStart(last + 1);
    struct Source {
        std::string sql;
        void (*apply)(ReportFigures&, const Row&);
    };
    const std::vector<Source> sources{
        {"SELECT " + localDay("at") +
             ", store_id, kind, COUNT(*), SUM(points) FROM ledger WHERE at >= $1 AND "
             "at < $2 AND kind IN ('earn', 'game_prize', 'redeem', 'return') GROUP BY 1, 2, 3",
         [](ReportFigures& f, const Row& r) {
             const auto kind = r.text(2);
             const auto points = r.integer(4);
             if (kind == "earn") f.claims += r.integer(3);
             if (kind == "earn" || kind == "game_prize") f.pointsIssued += points;
             if (kind == "redeem") f.pointsRedeemed -= points;
             if (kind == "return") f.pointsReturned -= points;
         }},
        {"SELECT " + localDay("at") +
             ", store_id, COUNT(DISTINCT member_id) FROM ledger WHERE at >= $1 AND "
             "at < $2 AND kind IN ('earn', 'game_prize', 'redeem') GROUP BY 1, 2",
         [](ReportFigures& f, const Row& r) { f.membersActive += r.integer(2); }},
        {"SELECT " + localDay("m.created_at") +
             ", COALESCE(k.store_id, ''), COUNT(*) FROM members m LEFT JOIN "
             "kiosks k ON k.kiosk_id = m.consent_kiosk WHERE m.created_at >= $1 AND m.created_at < $2 GROUP "
             "BY 1, 2",
         [](ReportFigures& f, const Row& r) { f.membersNew += r.integer(2); }},
        {"SELECT " + localDay("v.issued_at") +
             ", COALESCE(k.store_id, ''), COUNT(*) FROM vouchers v LEFT JOIN "
             "kiosks k ON k.kiosk_id = v.kiosk_id WHERE v.issued_at >= $1 AND v.issued_at < $2 GROUP BY 1, 2",
         [](ReportFigures& f, const Row& r) { f.vouchersIssued += r.integer(2); }},
        {"SELECT " + localDay("consumed_at") +
             ", COALESCE(consumed_store, ''), COUNT(*) FROM vouchers WHERE "
             "consumed_at >= $1 AND consumed_at < $2 GROUP BY 1, 2",
         [](ReportFigures& f, const Row& r) { f.vouchersConsumed += r.integer(2); }},
        {"SELECT " + localDay("drawn_at") +
             ", store_id, COUNT(*), SUM(CASE WHEN prize_kind = 'nothing' THEN 0 "
             "ELSE 1 END) FROM game_draws WHERE drawn_at >= $1 AND drawn_at < $2 GROUP BY 1, 2",
         [](ReportFigures& f, const Row& r) {
             f.gameDraws += r.integer(2);
             f.gamePrizes += r.integer(3);
         }},
    };
    for (const auto& source : sources) {
        auto rows = c.query(source.sql, {start, end});
        if (!rows) return std::unexpected(rows.error());
        for (const auto& row : *rows) source.apply(days[{row.integer(0), row.text(1)}], row);
    }
    return days;
}

DbResult<std::map<std::string, std::int64_t>> activeByStore(Connection& c, UnixSeconds start,
                                                            UnixSeconds end) {
    auto rows = c.query(
        "SELECT store_id, COUNT(DISTINCT member_id) FROM ledger WHERE at >= $1 AND at < $2 AND kind IN "
        "('earn', 'game_prize', 'redeem') GROUP BY store_id",
        {start, end});
    if (!rows) return std::unexpected(rows.error());
    std::map<std::string, std::int64_t> out;
    for (const auto& row : *rows) out[row.text(0)] = row.integer(1);
    return out;
}

std::vector<Param> figureParams(std::int64_t day, const std::string& store, const ReportFigures& f) {
    return {day,
            store,
            f.claims,
            f.pointsIssued,
            f.pointsRedeemed,
            f.pointsReturned,
            f.vouchersIssued,
            f.vouchersConsumed,
            f.membersNew,
            f.membersActive,
            f.gameDraws,
            f.gamePrizes};
}

/// Stores the rows of `days` whose day is in `missing`, and marks those days rolled.
DbResult<void> storeDays(Connection& c, const DayFigures& days, const std::set<std::int64_t>& missing,
                         UnixSeconds now) {
    std::vector<Param> params;
    std::string values;
    const auto flush = [&]() -> DbResult<void> {
        if (params.empty()) return {};
        auto done = c.query(
            "INSERT INTO report_days (day, store_id, claims, points_issued, points_redeemed, "
            "points_returned, vouchers_issued, vouchers_consumed, members_new, "
            "members_active, game_draws, game_prizes) VALUES " +
                values + " ON CONFLICT DO NOTHING",
            std::span<const Param>(params));
        params.clear();
        values.clear();
        if (!done) return std::unexpected(done.error());
        return {};
    };
    for (const auto& [key, figures] : days) {
        if (!missing.contains(key.first)) continue;
        values += values.empty() ? "(" : ", (";
        for (std::size_t i = 0; i < kColumns; ++i)
            values += (i ? ", $" : "$") + std::to_string(params.size() + i + 1);
        values += ")";
        for (auto& p : figureParams(key.first, key.second, figures)) params.push_back(std::move(p));
        if (params.size() >= kRowsPerInsert * kColumns)
            if (auto done = flush(); !done) return done;
    }
    if (auto done = flush(); !done) return done;
    for (const auto day : missing) {
        auto marked = c.query(
            "INSERT INTO report_rolled (kind, period, rolled_at) VALUES ('day', $1, $2) ON CONFLICT DO "
            "NOTHING",
            {day, now});
        if (!marked) return std::unexpected(marked.error());
    }
    return {};
}

ReportFigures& operator+=(ReportFigures& a, const ReportFigures& b) {
    a.claims += b.claims;
    a.pointsIssued += b.pointsIssued;
    a.pointsRedeemed += b.pointsRedeemed;
    a.pointsReturned += b.pointsReturned;
    a.vouchersIssued += b.vouchersIssued;
    a.vouchersConsumed += b.vouchersConsumed;
    a.membersNew += b.membersNew;
    a.membersActive += b.membersActive;
    a.gameDraws += b.gameDraws;
    a.gamePrizes += b.gamePrizes;
    return a;
}

}  // namespace

std::expected<ReportQuery, ApiError> parseReportQuery(std::string_view fromText, std::string_view toText,
                                                      std::string_view by) {
    if (!by.empty() && by != "day" && by != "month")
        return std::unexpected(invalidField("by", "day or month"));
    auto from = loyalty::parseLocalDate(fromText);
    if (!from) return std::unexpected(invalidField("from", "must be YYYY-MM-DD"));
    auto to = loyalty::parseLocalDate(toText);
    if (!to) return std::unexpected(invalidField("to", "must be YYYY-MM-DD"));
    if (*to < *from) return std::unexpected(invalidField("to", "before from"));
    ReportQuery query{*from, *to, by == "month"};
    if (query.byMonth) {
        query.from = firstOfMonth(*from);
        query.to = loyalty::addDays(loyalty::firstOfMonthAfter(*to, 1), -1);
        if (monthIndex(query.to) - monthIndex(query.from) >= kMaxMonths)
            return std::unexpected(invalidField("to", "at most 36 months"));
    } else if (dayOf(query.to) - dayOf(query.from) >= kMaxDays) {
        return std::unexpected(invalidField("to", "at most 400 days; ask by month"));
    }
    return query;
}

std::expected<ConsoleReports::DayFigures, ApiError> ConsoleReports::closedDays(std::int64_t first,
                                                                               std::int64_t last) {
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    Connection& c = **lease;
    CENTRAL_TRY(rolled, c.query("SELECT period FROM report_rolled WHERE kind = 'day' AND period >= $1 AND "
                                "period <= $2",
                                {first, last}));
    std::set<std::int64_t> missing;
    for (auto day = first; day <= last; ++day) missing.insert(day);
    for (const auto& row : *rolled) missing.erase(row.integer(0));
    if (!missing.empty()) {
        // Computed outside the write transaction: a year's first roll-up takes seconds, and claims
        // must not wait behind it. Closed days no longer change, so a second central rolling the same
        // days at the same time writes the same rows (ON CONFLICT DO NOTHING).
        CENTRAL_TRY(computed, computeDays(c, *missing.begin(), *missing.rbegin()));
        const auto now = m_clock.now();
        auto stored = transact(m_db, [&](Connection& w) -> std::expected<void, ApiError> {
            CENTRAL_TRY(done, storeDays(w, *computed, missing, now));
            return {};
        });
        if (!stored) return std::unexpected(stored.error());
    }
    CENTRAL_TRY(rows,
                c.query("SELECT day, store_id, claims, points_issued, points_redeemed, points_returned, "
                        "vouchers_issued, vouchers_consumed, members_new, members_active, game_draws, "
                        "game_prizes FROM report_days WHERE day >= $1 AND day <= $2",
                        {first, last}));
    DayFigures days;
    for (const auto& r : *rows)
        days[{r.integer(0), r.text(1)}] =
            ReportFigures{r.integer(2), r.integer(3), r.integer(4), r.integer(5),  r.integer(6),
                          r.integer(7), r.integer(8), r.integer(9), r.integer(10), r.integer(11)};
    return days;
}

std::expected<ConsoleReports::StoreCounts, ApiError> ConsoleReports::monthActive(const LocalDate& month,
                                                                                 UnixSeconds now) {
    const auto start = loyalty::startOfLocalDay(month);
    const auto end = loyalty::startOfLocalDay(loyalty::firstOfMonthAfter(month, 1));
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    Connection& c = **lease;
    if (end + kSettleSeconds > now) {
        CENTRAL_TRY(live, activeByStore(c, start, end));
        return *live;
    }
    const auto index = monthIndex(month);
    CENTRAL_TRY(rolled, c.query("SELECT 1 FROM report_rolled WHERE kind = 'month' AND period = $1", {index}));
    if (rolled->empty()) {
        CENTRAL_TRY(computed, activeByStore(c, start, end));
        auto stored = transact(m_db, [&](Connection& w) -> std::expected<void, ApiError> {
            for (const auto& [store, count] : *computed) {
                CENTRAL_TRY(added,
                            w.query("INSERT INTO report_months (month, store_id, members_active) VALUES "
                                    "($1, $2, $3) ON CONFLICT DO NOTHING",
                                    {index, store, count}));
            }
            CENTRAL_TRY(marked,
                        w.query("INSERT INTO report_rolled (kind, period, rolled_at) VALUES ('month', "
                                "$1, $2) ON CONFLICT DO NOTHING",
                                {index, now}));
            return {};
        });
        if (!stored) return std::unexpected(stored.error());
    }
    CENTRAL_TRY(rows,
                c.query("SELECT store_id, members_active FROM report_months WHERE month = $1", {index}));
    StoreCounts out;
    for (const auto& row : *rows) out[row.text(0)] = row.integer(1);
    return out;
}

std::expected<std::map<std::int64_t, std::int64_t>, ApiError> ConsoleReports::expired(std::int64_t first,
                                                                                      std::int64_t last) {
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(rows, (*lease)->query("SELECT " + localDay("at") +
                                          ", SUM(points) FROM ledger WHERE kind = 'expiry' AND at >= $1 AND "
                                          "at < $2 GROUP BY 1",
                                      {dayStart(first), dayStart(last + 1)}));
    std::map<std::int64_t, std::int64_t> out;
    for (const auto& row : *rows) out[row.integer(0)] = -row.integer(1);
    return out;
}

std::expected<Report, ApiError> ConsoleReports::report(const ReportQuery& query) {
    const auto now = m_clock.now();
    const auto first = dayOf(query.from);
    const auto last = dayOf(query.to);
    const auto lastClosed = std::min(last, dayNumber(now - kSettleSeconds) - 1);
    DayFigures days;
    if (first <= lastClosed) {
        auto closed = closedDays(first, lastClosed);
        if (!closed) return std::unexpected(closed.error());
        days = std::move(*closed);
    }
    if (const auto liveFirst = std::max(first, lastClosed + 1); liveFirst <= last) {
        auto lease = m_db.lease();
        if (!lease) return std::unexpected(storageError(lease.error()));
        CENTRAL_TRY(live, computeDays(**lease, liveFirst, last));
        days.merge(*live);
    }
    auto expiredByDay = expired(first, last);
    if (!expiredByDay) return std::unexpected(expiredByDay.error());

    Report out{query, {}, {}};
    if (!query.byMonth) {
        for (const auto& [key, figures] : days)
            out.rows.push_back(ReportRow{loyalty::formatLocalDate(dateOf(key.first)), key.second, figures});
        for (const auto& [day, points] : *expiredByDay)
            out.expired.emplace_back(loyalty::formatLocalDate(dateOf(day)), points);
        return out;
    }
    std::map<std::pair<std::int64_t, std::string>, ReportFigures> months;
    std::map<std::int64_t, std::int64_t> expiredByMonth;
    for (const auto& [key, figures] : days) months[{monthIndex(dateOf(key.first)), key.second}] += figures;
    for (const auto& [day, points] : *expiredByDay) expiredByMonth[monthIndex(dateOf(day))] += points;
    for (auto month = query.from; month <= query.to; month = loyalty::firstOfMonthAfter(month, 1)) {
        auto active = monthActive(month, now);
        if (!active) return std::unexpected(active.error());
        for (auto& [key, figures] : months) {
            if (key.first != monthIndex(month)) continue;
            const auto found = active->find(key.second);
            figures.membersActive = found == active->end() ? 0 : found->second;
            out.rows.push_back(ReportRow{monthName(month), key.second, figures});
        }
        if (const auto e = expiredByMonth.find(monthIndex(month)); e != expiredByMonth.end())
            out.expired.emplace_back(monthName(month), e->second);
    }
    return out;
}

}  // namespace central
