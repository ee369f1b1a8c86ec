#include <libpq-fe.h>

#include "connections.hpp"

namespace central {
namespace {

/// SQLSTATE classes: 40001 serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available
/// are worth a retry; class 08 is a lost connection; class 23 a constraint.
DbError errorOf(PGconn* conn, const PGresult* result) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    DbError::Kind kind = DbError::Kind::Other;
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03")
        kind = DbError::Kind::Busy;
    else if (sqlstate.starts_with("23"))
        kind = DbError::Kind::Constraint;
    else if (sqlstate.starts_with("08") || PQstatus(conn) != CONNECTION_OK)
        kind = DbError::Kind::Unavailable;
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return {kind, "postgresql: " + message};
}

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public Connection {
  public:
    explicit PostgresConnection(PGconn* conn) : m_conn(conn) {}
    ~PostgresConnection() override { PQfinish(m_conn); }
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    Backend backend() const override { return Backend::Postgres; }
    bool healthy() const override { return PQstatus(m_conn) == CONNECTION_OK; }

    DbResult<void> execute(std::string_view sql) override {
        const std::string text(sql);
        ResultPtr result(PQexec(m_conn, text.c_str()));
        const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
        return std::unexpected(errorOf(m_conn, result.get()));
    }

    DbResult<void> begin() override { return execute("BEGIN"); }

    DbResult<Rows> query(std::string_view sql, std::span<const Param> params) override {
        const std::string text(sql);
        std::vector<std::string> storage(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                storage[i] = std::to_string(*n);
                values[i] = storage[i].c_str();
            } else if (const auto* s = std::get_if<std::string>(&params[i])) {
                values[i] = s->c_str();
            }
        }
        ResultPtr result(PQexecParams(m_conn, text.c_str(), static_cast<int>(params.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0));
        const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            return std::unexpected(errorOf(m_conn, result.get()));
        Rows rows;
        const int count = PQntuples(result.get());
        const int columns = PQnfields(result.get());
        rows.reserve(static_cast<std::size_t>(count));
        for (int r = 0; r < count; ++r) {
            std::vector<std::optional<std::string>> row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (PQgetisnull(result.get(), r, c))
                    row.emplace_back(std::nullopt);
                else
                    row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                                 static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
            }
            rows.emplace_back(std::move(row));
        }
        return rows;
    }

  private:
    PGconn* m_conn;
};

}  // namespace

DbResult<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (!conn) return std::unexpected(DbError{DbError::Kind::Unavailable, "postgresql: out of memory"});
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn);
        while (!message.empty() && message.back() == '\n') message.pop_back();
        PQfinish(conn);
        return std::unexpected(DbError{DbError::Kind::Unavailable, "postgresql: " + message});
    }
    auto connection = std::make_unique<PostgresConnection>(conn);
    // Central's messages are for logs; keep the server quiet about NOTICEs (e.g. IF NOT EXISTS).
    if (auto ok = connection->execute("SET client_min_messages = warning"); !ok)
        return std::unexpected(ok.error());
    return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace central
