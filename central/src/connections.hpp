#pragma once
// The two Connection implementations (private to central_core). See central/database.hpp.

#include <memory>
#include <string>

#include "central/database.hpp"

namespace central {

/// Opens an SQLite file (created if missing) in WAL mode with foreign keys on, a busy timeout and
/// synchronous=FULL: an answer "accepted" to a kiosk is on disk before it is sent.
[[nodiscard]] DbResult<std::unique_ptr<Connection>> openSqlite(const std::string& path);

/// Connects to PostgreSQL with a libpq conninfo string or URI.
[[nodiscard]] DbResult<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo);

/// The schema migrations of `backend`, applied in order; index + 1 is the version.
[[nodiscard]] const std::vector<std::string>& migrations(Backend backend);

}  // namespace central
