#include "kiosk/sync/database.hpp"

#include "sqlite.hpp"

namespace kiosk::sync {

using sqlite::exec;
using sqlite::ioError;
using sqlite::Statement;

StoreResult<std::unique_ptr<Database>> Database::open(const std::filesystem::path& file,
                                                      std::span<const char* const> migrations) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec)
        return std::unexpected(StoreError{
            StoreError::Kind::Io, "cannot create " + file.parent_path().string() + ": " + ec.message()});

    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        StoreError error{StoreError::Kind::Io,
                         "cannot open " + file.string() + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
        sqlite3_close(db);
        return std::unexpected(error);
    }
    std::unique_ptr<Database> database(new Database(db));

    // WAL + synchronous=FULL: a commit returns only after the WAL is fsync'd (docs/sync.md).
    {
        Statement journal(db, "PRAGMA journal_mode=WAL");
        if (!journal.ok() || journal.step() != SQLITE_ROW || journal.text(0) != "wal")
            return std::unexpected(ioError(db, "cannot switch " + file.string() + " to WAL"));
    }
    for (const char* pragma :
         {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"})
        if (auto result = exec(db, pragma); !result) return std::unexpected(result.error());
    if (auto migrated = database->migrate(file, migrations); !migrated)
        return std::unexpected(migrated.error());
    return database;
}

Database::~Database() {
    sqlite3_close(m_db);
}

StoreResult<void> Database::migrate(const std::filesystem::path& file,
                                    std::span<const char* const> migrations) {
    std::int64_t applied = 0;
    {
        Statement version(m_db, "PRAGMA user_version");
        if (!version.ok() || version.step() != SQLITE_ROW)
            return std::unexpected(ioError(m_db, "cannot read schema version"));
        applied = version.integer(0);
    }
    if (applied > static_cast<std::int64_t>(migrations.size()))
        return std::unexpected(StoreError{
            StoreError::Kind::Io,
            file.string() + " was written by a newer kiosk (schema " + std::to_string(applied) + ")"});
    for (auto i = static_cast<std::size_t>(applied); i < migrations.size(); ++i) {
        sqlite::Transaction tx(m_db);
        if (!tx.begun()) return std::unexpected(ioError(m_db, "cannot migrate"));
        if (auto result = exec(m_db, migrations[i]); !result) return std::unexpected(result.error());
        const auto bump = "PRAGMA user_version=" + std::to_string(i + 1);
        if (auto result = exec(m_db, bump.c_str()); !result) return std::unexpected(result.error());
        if (auto result = tx.commit(); !result) return std::unexpected(result.error());
    }
    return {};
}

}  // namespace kiosk::sync
