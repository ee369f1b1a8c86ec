#pragma once
// The two Connection implementations (private to central_core). See central/database.hpp.

#include <memory>
#include <mutex>
#include <string>

#include "central/database.hpp"

namespace central {

/// Opens an SQLite file (created if missing) in WAL mode with foreign keys on, a busy timeout and
/// synchronous=FULL: an answer "accepted" to a kiosk is on disk before it is sent.
/// `writeGate` (shared by the connections of one process) queues this process's write transactions
/// in front of BEGIN IMMEDIATE. It is for speed only: SQLite's busy handler polls with sleeps of up to
/// 100 ms, so writers contending inside SQLite wait far longer than the lock is held. Correctness
/// still comes from BEGIN IMMEDIATE (another process on the same file waits on the busy timeout).
[[nodiscard]] DbResult<std::unique_ptr<Connection>> openSqlite(const std::string& path,
                                                               std::shared_ptr<std::mutex> writeGate);

/// Connects to PostgreSQL with a libpq conninfo string or URI.
[[nodiscard]] DbResult<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo);

/// The schema migrations of `backend`, applied in order; index + 1 is the version.
[[nodiscard]] const std::vector<std::string>& migrations(Backend backend);

}  // namespace central
