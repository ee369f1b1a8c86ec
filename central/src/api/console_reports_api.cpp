#include "api/console_reports_api.hpp"

#include "api/console_auth.hpp"
#include "ops/console_reports.hpp"

namespace central {
namespace {

Json figuresJson(const ReportRow& row) {
    const auto& f = row.figures;
    return Json{{"period", row.period},
                {"store", row.store},
                {"claims", f.claims},
                {"points_issued", f.pointsIssued},
                {"points_redeemed", f.pointsRedeemed},
                {"points_returned", f.pointsReturned},
                {"vouchers_issued", f.vouchersIssued},
                {"vouchers_consumed", f.vouchersConsumed},
                {"members_new", f.membersNew},
                {"members_active", f.membersActive},
                {"game_draws", f.gameDraws},
                {"game_prizes", f.gamePrizes}};
}

std::expected<ConsoleReply, ApiError> report(ConsoleOps& ops, ConsoleReports& reports,
                                             const http::Request& q) {
    auto s = authorizeConsole(ops, q, Permission::ReportsView, false);
    if (!s) return std::unexpected(s.error());
    auto query =
        parseReportQuery(q.get_param_value("from"), q.get_param_value("to"), q.get_param_value("by"));
    if (!query) return std::unexpected(query.error());
    auto done = reports.report(*query);
    if (!done) return std::unexpected(done.error());
    return consoleOk(reportJson(*done, s->user));
}

}  // namespace

Json reportJson(const Report& report, const ConsoleUser& user) {
    Json rows = Json::array();
    for (const auto& row : report.rows)
        if (user.seesStore(row.store)) rows.push_back(figuresJson(row));
    Json out{{"from", loyalty::formatLocalDate(report.query.from)},
             {"to", loyalty::formatLocalDate(report.query.to)},
             {"by", report.query.byMonth ? "month" : "day"},
             {"rows", std::move(rows)}};
    // Expiry belongs to a member, not to a store: only those who see the whole chain see it.
    if (user.role != Role::StoreManager) {
        Json expired = Json::array();
        for (const auto& [period, points] : report.expired)
            expired.push_back(Json{{"period", period}, {"points", points}});
        out["expired"] = std::move(expired);
    }
    return out;
}

std::vector<ConsoleRoute> consoleReportRoutes(Service& service, const std::shared_ptr<ConsoleOps>& ops) {
    auto reports = std::make_shared<ConsoleReports>(service.database(), service.clock());
    return {
        {"GET", "/v1/console/reports", "/v1/console/reports", false,
         [ops, reports](const http::Request& q, const Json&) { return report(*ops, *reports, q); }},
    };
}

}  // namespace central
