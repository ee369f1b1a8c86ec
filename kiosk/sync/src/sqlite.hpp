#pragma once
// SQLite helpers the store parts share (private to kiosk_sync): a prepared statement, exec, a
// BEGIN IMMEDIATE … COMMIT guard and the error for a failed call.

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/sync/database.hpp"

namespace kiosk::sync::sqlite {

inline StoreError ioError(sqlite3* db, std::string_view what) {
    return StoreError{StoreError::Kind::Io, std::string(what) + ": " + sqlite3_errmsg(db)};
}

/// One prepared statement, finalized on scope exit. Binds are 1-based like SQLite's.
class Statement {
  public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) m_stmt = nullptr;
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    [[nodiscard]] bool ok() const { return m_stmt != nullptr; }
    void bind(int index, std::int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
    void bind(int index, const std::string& value) {
        sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    }
    /// SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    [[nodiscard]] std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
    [[nodiscard]] std::string text(int column) const {
        const auto* p = sqlite3_column_text(m_stmt, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string();
    }

  private:
    sqlite3_stmt* m_stmt = nullptr;
};

inline StoreResult<void> exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        StoreError error{StoreError::Kind::Io,
                         std::string(sql).substr(0, 40) + ": " + (message ? message : sqlite3_errmsg(db))};
        sqlite3_free(message);
        return std::unexpected(error);
    }
    return {};
}

/// BEGIN IMMEDIATE … COMMIT on a locked connection; rolls back unless commit() succeeded.
class Transaction {
  public:
    explicit Transaction(sqlite3* db) : m_db(db) { m_begun = exec(db, "BEGIN IMMEDIATE").has_value(); }
    ~Transaction() {
        if (m_begun && !m_committed) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    [[nodiscard]] bool begun() const { return m_begun; }
    [[nodiscard]] StoreResult<void> commit() {
        auto result = exec(m_db, "COMMIT");
        m_committed = result.has_value();
        return result;
    }

  private:
    sqlite3* m_db;
    bool m_begun = false;
    bool m_committed = false;
};

}  // namespace kiosk::sync::sqlite
