// bench_report — the console's reports on a generated year (docs/performance.md "Console reports").
//
//   bench_report generate --database URL [--stores 50] [--days 365] [--receipts 100] [--seed 1]
//                         [--last-day YYYY-MM-DD]
//       writes the history (report_year.hpp) and prints its totals as one JSON line.
//   bench_report time --database URL --from YYYY-MM-DD --to YYYY-MM-DD [--by day|month] [--runs 5]
//       answers the report as central's route does (ConsoleReports, then its JSON text) `runs`
//       times and prints each time and the median. With --cold the roll-up is emptied first, so the
//       first answer computes every day from the ledger (what a report costs without the roll-up).
//
// URL: an SQLite path or a postgresql:// URI, as central's `database`.

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include "api/console_reports_api.hpp"
#include "ops/console_ops.hpp"
#include "ops/console_reports.hpp"
#include "report_year.hpp"

namespace {

loyalty::LocalDate dateOption(const std::string& text, const char* name) {
    auto date = loyalty::parseLocalDate(text);
    if (!date) throw std::runtime_error(fmt::format("--{}: YYYY-MM-DD", name));
    return *date;
}

int generate(const std::string& url, bench::YearOptions options, const std::string& lastDay) {
    const loyalty::SystemClock clock;
    options.lastDay = lastDay.empty() ? loyalty::addDays(loyalty::localDate(clock.now()), -1)
                                      : dateOption(lastDay, "last-day");
    auto db = central::Database::open(url, clock);
    const auto started = std::chrono::steady_clock::now();
    const auto t = bench::generateYear(*db, options);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const nlohmann::json out{
        {"first_day", loyalty::formatLocalDate(loyalty::addDays(options.lastDay, 1 - options.days))},
        {"last_day", loyalty::formatLocalDate(options.lastDay)},
        {"stores", options.stores},
        {"claims", t.claims},
        {"points_issued", t.pointsIssued},
        {"points_redeemed", t.pointsRedeemed},
        {"points_returned", t.pointsReturned},
        {"vouchers_issued", t.vouchersIssued},
        {"vouchers_consumed", t.vouchersConsumed},
        {"members_new", t.membersNew},
        {"seconds", took.count()}};
    std::puts(out.dump().c_str());
    return 0;
}

int timeReport(const std::string& url, const std::string& from, const std::string& to, const std::string& by,
               int runs, bool cold) {
    const loyalty::SystemClock clock;
    auto db = central::Database::open(url, clock);
    auto query = central::parseReportQuery(from, to, by);
    if (!query) throw std::runtime_error(query.error().body().dump());
    if (cold) {
        auto lease = db->lease();
        if (!lease) throw std::runtime_error(lease.error().message);
        for (const char* table : {"report_days", "report_months", "report_rolled"})
            if (auto done = (*lease)->execute(fmt::format("DELETE FROM {}", table)); !done)
                throw std::runtime_error(done.error().message);
    }
    central::ConsoleReports reports(*db, clock);
    central::ConsoleUser owner;
    owner.role = central::Role::Owner;
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto started = std::chrono::steady_clock::now();
        auto report = reports.report(*query);
        if (!report) throw std::runtime_error(report.error().body().dump());
        const auto bytes = central::reportJson(*report, owner).dump().size();
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        times.push_back(took.count());
        fmt::print("run {}: {} rows, {} bytes of JSON, {:.1f} ms{}\n", i + 1, report->rows.size(), bytes,
                   took.count(), cold && i == 0 ? " (cold: every day rolled up from the ledger)" : "");
    }
    auto warm = std::vector<double>(times.begin() + (cold ? 1 : 0), times.end());
    std::sort(warm.begin(), warm.end());
    if (!warm.empty()) fmt::print("median of {} warm runs: {:.1f} ms\n", warm.size(), warm[warm.size() / 2]);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_report: the console's reports on a generated year"};
    app.require_subcommand(1);
    std::string url;
    bench::YearOptions options;
    std::string lastDay;
    auto* gen = app.add_subcommand("generate", "write a generated history into a database");
    gen->add_option("--database", url, "SQLite path or postgresql:// URI")->required();
    gen->add_option("--stores", options.stores)->check(CLI::Range(1, 999));
    gen->add_option("--days", options.days)->check(CLI::Range(1, 3660));
    gen->add_option("--receipts", options.receiptsPerStoreDay, "mean receipts per store and day")
        ->check(CLI::Range(1, 100'000));
    gen->add_option("--seed", options.seed, "also names the receipts: one seed per history in a database");
    gen->add_option("--last-day", lastDay, "default: yesterday");
    std::string from;
    std::string to;
    std::string by = "day";
    int runs = 5;
    bool cold = false;
    auto* timed = app.add_subcommand("time", "time the report");
    timed->add_option("--database", url, "SQLite path or postgresql:// URI")->required();
    timed->add_option("--from", from)->required();
    timed->add_option("--to", to)->required();
    timed->add_option("--by", by)->check(CLI::IsMember({"day", "month"}));
    timed->add_option("--runs", runs)->check(CLI::Range(1, 100));
    timed->add_flag("--cold", cold, "empty the roll-up first");
    CLI11_PARSE(app, argc, argv);
    try {
        if (gen->parsed()) return generate(url, options, lastDay);
        return timeReport(url, from, to, by, runs, cold);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_report: %s\n", e.what());
        return 1;
    }
}
