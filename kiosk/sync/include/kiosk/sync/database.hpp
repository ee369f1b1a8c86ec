#pragma once
// The one SQLite connection the kiosk's store parts share (outbox, refusal audit, voucher archive,
// config cache, sync state), and the error type they return.
//
// Contract
// - Thread-safe: lock() serialises every use of the connection; a part holds the lock for one call.
// - Opened in WAL mode with synchronous=FULL: a COMMIT returns only after the WAL is fsync'd
//   (docs/sync.md, what "confirmed" means).
// - Errors are values, nothing throws.

#include <expected>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>

struct sqlite3;

namespace kiosk::sync {

struct StoreError {
    enum class Kind {
        Io,         ///< SQLite could not read/write the file (disk full, permissions, corruption)
        Duplicate,  ///< this receipt is already in the outbox (scanned twice at this kiosk)
        NotFound,
        Invalid,  ///< the caller passed something that cannot be stored (empty key fields …)
    };
    Kind kind = Kind::Io;
    std::string message;
};

template <typename T>
using StoreResult = std::expected<T, StoreError>;

/// The connection, held locked for as long as this handle lives (one call of a store part).
class Connection {
  public:
    [[nodiscard]] sqlite3* get() const { return m_db; }

  private:
    friend class Database;
    Connection(std::mutex& mutex, sqlite3* db) : m_lock(mutex), m_db(db) {}
    std::unique_lock<std::mutex> m_lock;
    sqlite3* m_db;
};

class Database {
  public:
    /// Opens or creates `file` (and its folder) and applies the `migrations` not applied yet, in order
    /// (PRAGMA user_version counts them). Io for a file written by a newer kiosk.
    [[nodiscard]] static StoreResult<std::unique_ptr<Database>> open(const std::filesystem::path& file,
                                                                     std::span<const char* const> migrations);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    [[nodiscard]] Connection lock() { return Connection(m_mutex, m_db); }

  private:
    explicit Database(sqlite3* db) : m_db(db) {}
    [[nodiscard]] StoreResult<void> migrate(const std::filesystem::path& file,
                                            std::span<const char* const> migrations);
    sqlite3* m_db;
    std::mutex m_mutex;
};

}  // namespace kiosk::sync
