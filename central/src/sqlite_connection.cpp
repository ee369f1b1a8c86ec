#include <sqlite3.h>

#include <charconv>
#include <unordered_map>

#include "connections.hpp"

namespace central {
namespace {

constexpr int kBusyTimeoutMs = 5'000;

DbError errorOf(sqlite3* db, int rc) {
    const int primary = rc & 0xff;
    DbError::Kind kind = DbError::Kind::Other;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        kind = DbError::Kind::Busy;
    else if (primary == SQLITE_CONSTRAINT)
        kind = DbError::Kind::Constraint;
    else if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL)
        kind = DbError::Kind::Unavailable;
    return {kind, std::string("sqlite: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
}

/// A prepared statement with the map from SQLite's parameter slots to our $n numbers.
struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<std::size_t> paramIndex;  ///< slot i+1 binds params[paramIndex[i]]
};

class SqliteConnection final : public Connection {
  public:
    SqliteConnection(sqlite3* db, std::shared_ptr<std::mutex> writeGate)
        : m_db(db), m_writeGate(std::move(writeGate)) {}
    ~SqliteConnection() override {
        for (auto& [sql, prepared] : m_cache) sqlite3_finalize(prepared.stmt);
        sqlite3_close_v2(m_db);
    }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    Backend backend() const override { return Backend::Sqlite; }
    bool healthy() const override { return true; }

    DbResult<void> execute(std::string_view sql) override {
        const std::string text(sql);
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
        if (rc == SQLITE_OK) return {};
        auto error = errorOf(m_db, rc);
        if (message) {
            error.message = std::string("sqlite: ") + message;
            sqlite3_free(message);
        }
        return std::unexpected(error);
    }

    DbResult<void> begin() override {
        std::unique_lock gate(*m_writeGate);
        auto begun = execute("BEGIN IMMEDIATE");
        if (begun) m_gate = std::move(gate);
        return begun;
    }
    DbResult<void> commit() override { return finish("COMMIT"); }
    DbResult<void> rollback() override { return finish("ROLLBACK"); }

    DbResult<Rows> query(std::string_view sql, std::span<const Param> params) override {
        auto prepared = prepare(sql, params.size());
        if (!prepared) return std::unexpected(prepared.error());
        sqlite3_stmt* stmt = (*prepared)->stmt;
        // Reset on every exit so the statement never holds a read lock between calls.
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{stmt};
        for (std::size_t slot = 0; slot < (*prepared)->paramIndex.size(); ++slot) {
            const Param& p = params[(*prepared)->paramIndex[slot]];
            const int i = static_cast<int>(slot + 1);
            int rc = SQLITE_OK;
            if (std::holds_alternative<std::nullptr_t>(p))
                rc = sqlite3_bind_null(stmt, i);
            else if (const auto* n = std::get_if<std::int64_t>(&p))
                rc = sqlite3_bind_int64(stmt, i, *n);
            else {
                const auto& s = std::get<std::string>(p);
                rc = sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
            }
            if (rc != SQLITE_OK) return std::unexpected(errorOf(m_db, rc));
        }
        Rows rows;
        const int columns = sqlite3_column_count(stmt);
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return std::unexpected(errorOf(m_db, rc));
            std::vector<std::optional<std::string>> values;
            values.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
                    values.emplace_back(std::nullopt);
                } else {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    values.emplace_back(
                        std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                }
            }
            rows.emplace_back(std::move(values));
        }
        return rows;
    }

  private:
    DbResult<void> finish(const char* sql) {
        auto done = execute(sql);
        // A failed COMMIT leaves the transaction open: keep the gate until the rollback that follows.
        if (done || sqlite3_get_autocommit(m_db)) m_gate = {};
        return done;
    }

    DbResult<const Prepared*> prepare(std::string_view sql, std::size_t paramCount) {
        std::string key(sql);
        if (auto it = m_cache.find(key); it != m_cache.end()) return &it->second;
        Prepared prepared;
        const int rc = sqlite3_prepare_v3(m_db, key.c_str(), static_cast<int>(key.size()),
                                          SQLITE_PREPARE_PERSISTENT, &prepared.stmt, nullptr);
        if (rc != SQLITE_OK) return std::unexpected(errorOf(m_db, rc));
        const int slots = sqlite3_bind_parameter_count(prepared.stmt);
        for (int i = 1; i <= slots; ++i) {
            const char* name = sqlite3_bind_parameter_name(prepared.stmt, i);
            std::size_t number = 0;
            const std::string_view text = name ? std::string_view(name) : std::string_view();
            if (text.size() < 2 || text[0] != '$' ||
                std::from_chars(text.data() + 1, text.data() + text.size(), number).ec != std::errc{} ||
                number == 0 || number > paramCount) {
                sqlite3_finalize(prepared.stmt);
                return std::unexpected(
                    DbError{DbError::Kind::Other,
                            "sqlite: parameter " + std::string(text) + " not bound in: " + key});
            }
            prepared.paramIndex.push_back(number - 1);
        }
        return &m_cache.emplace(std::move(key), prepared).first->second;
    }

    sqlite3* m_db;
    std::shared_ptr<std::mutex> m_writeGate;
    std::unique_lock<std::mutex> m_gate;  ///< held from begin() to commit()/rollback()
    std::unordered_map<std::string, Prepared> m_cache;
};

}  // namespace

DbResult<std::unique_ptr<Connection>> openSqlite(const std::string& path,
                                                 std::shared_ptr<std::mutex> writeGate) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        DbError error{DbError::Kind::Unavailable, "sqlite: cannot open " + path + ": " + sqlite3_errstr(rc)};
        sqlite3_close_v2(db);
        return std::unexpected(error);
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    auto connection = std::make_unique<SqliteConnection>(db, std::move(writeGate));
    if (auto ok =
            connection->execute("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
        !ok)
        return std::unexpected(ok.error());
    return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace central
