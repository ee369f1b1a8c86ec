#pragma once
// Storage behind one interface: a Connection runs parameterised SQL, and a Database is a pool of
// them, opened from a connection string. Two back ends:
//   - SQLite (default): "sqlite:/path/to/central.db" or a plain path. WAL, foreign keys, busy timeout.
//   - PostgreSQL (libpq): "postgresql://user@host/db" or "postgres://…" (any libpq conninfo URI).
//
// The service writes its SQL once, in the subset both engines understand: $1…$n placeholders,
// INSERT … ON CONFLICT … DO NOTHING / DO UPDATE, RETURNING, conditional UPDATEs. Correctness comes
// from the database (unique keys, transactions, conditional updates), never from a lock in this
// process, so several `central` processes may share one PostgreSQL.
//
// Threads: a Connection belongs to one thread at a time (the one holding its Lease). Database is
// thread-safe. Every call BLOCKS on the database (SQLite: up to its busy timeout).
// Errors are values; nothing here throws after Database::open.

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "loyalty/clock.hpp"

namespace central {

enum class Backend { Sqlite, Postgres };

struct DbError {
    enum class Kind {
        Busy,         ///< lock timeout, serialisation failure or deadlock: retry the transaction
        Unavailable,  ///< cannot connect / connection lost
        Constraint,   ///< a constraint refused the write (unexpected: the service uses ON CONFLICT)
        Other,
    };
    Kind kind = Kind::Other;
    std::string message;
};

template <typename T>
using DbResult = std::expected<T, DbError>;

/// A bound parameter: SQL NULL, an integer or a text.
using Param = std::variant<std::nullptr_t, std::int64_t, std::string>;

/// One result row; every column as text (NULL = nullopt), as both engines can give it.
class Row {
  public:
    explicit Row(std::vector<std::optional<std::string>> columns) : m_columns(std::move(columns)) {}
    [[nodiscard]] bool isNull(std::size_t i) const { return !m_columns.at(i).has_value(); }
    /// The text of column i ("" for NULL).
    [[nodiscard]] std::string text(std::size_t i) const { return m_columns.at(i).value_or(""); }
    /// Column i as an integer (0 for NULL). The schema stores integers only in integer columns.
    [[nodiscard]] std::int64_t integer(std::size_t i) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInteger(std::size_t i) const;
    [[nodiscard]] std::size_t size() const { return m_columns.size(); }

  private:
    std::vector<std::optional<std::string>> m_columns;
};

using Rows = std::vector<Row>;

class Connection {
  public:
    virtual ~Connection() = default;
    [[nodiscard]] virtual Backend backend() const = 0;
    /// Runs one statement with $1…$n bound to `params`; returns its rows (none for most writes).
    [[nodiscard]] virtual DbResult<Rows> query(std::string_view sql, std::span<const Param> params) = 0;
    /// Runs one or more statements without parameters (schema, BEGIN, COMMIT).
    [[nodiscard]] virtual DbResult<void> execute(std::string_view sql) = 0;
    /// Starts a write transaction. SQLite: BEGIN IMMEDIATE (takes the write lock up front, so two
    /// writers never deadlock upgrading); PostgreSQL: BEGIN (READ COMMITTED, with conditional
    /// updates and unique keys deciding races).
    [[nodiscard]] virtual DbResult<void> begin() = 0;
    /// False once the connection is known to be broken; the pool then drops it.
    [[nodiscard]] virtual bool healthy() const = 0;

    [[nodiscard]] DbResult<Rows> query(std::string_view sql, std::initializer_list<Param> params) {
        return query(sql, std::span<const Param>(params.begin(), params.size()));
    }
    [[nodiscard]] DbResult<Rows> query(std::string_view sql) { return query(sql, std::span<const Param>{}); }
    [[nodiscard]] virtual DbResult<void> commit() { return execute("COMMIT"); }
    [[nodiscard]] virtual DbResult<void> rollback() { return execute("ROLLBACK"); }
};

class Database;

/// A connection borrowed from the pool; returned when the lease dies.
class Lease {
  public:
    Lease(Database& owner, std::unique_ptr<Connection> connection)
        : m_owner(&owner), m_connection(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    Connection& operator*() const { return *m_connection; }
    Connection* operator->() const { return m_connection.get(); }

  private:
    Database* m_owner;
    std::unique_ptr<Connection> m_connection;
};

class Database {
  public:
    /// Opens the database of `url` (see the top of this file), creating an SQLite file if missing,
    /// and applies the schema migrations (versioned in table schema_version; on PostgreSQL under an
    /// advisory lock so processes starting together migrate once). Throws std::runtime_error on
    /// failure: this runs at start-up only. `clock` stamps the migrations applied.
    [[nodiscard]] static std::unique_ptr<Database> open(const std::string& url, const loyalty::Clock& clock);

    [[nodiscard]] Backend backend() const { return m_backend; }
    /// A connection from the pool (opening a new one when none is idle).
    [[nodiscard]] DbResult<Lease> lease();
    /// The schema version after migrations.
    [[nodiscard]] int schemaVersion() const { return m_schemaVersion; }

  private:
    friend class Lease;
    using Factory = std::function<DbResult<std::unique_ptr<Connection>>()>;
    Database(Backend backend, Factory factory) : m_backend(backend), m_factory(std::move(factory)) {}
    void giveBack(std::unique_ptr<Connection> connection);

    Backend m_backend;
    Factory m_factory;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Connection>> m_idle;
    int m_schemaVersion = 0;
};

}  // namespace central
