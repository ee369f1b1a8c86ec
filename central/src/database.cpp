#include "central/database.hpp"

#include <charconv>
#include <filesystem>
#include <stdexcept>

#include "connections.hpp"

namespace central {

std::int64_t Row::integer(std::size_t i) const {
    return optionalInteger(i).value_or(0);
}

std::optional<std::int64_t> Row::optionalInteger(std::size_t i) const {
    const auto& value = m_columns.at(i);
    if (!value) return std::nullopt;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (ec != std::errc{} || end != value->data() + value->size()) return std::nullopt;
    return n;
}

Lease::~Lease() {
    if (m_owner && m_connection) m_owner->giveBack(std::move(m_connection));
}

DbResult<Lease> Database::lease() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto connection = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(*this, std::move(connection));
        }
    }
    auto connection = m_factory();
    if (!connection) return std::unexpected(connection.error());
    return Lease(*this, std::move(*connection));
}

void Database::giveBack(std::unique_ptr<Connection> connection) {
    if (!connection->healthy()) return;  // dropped; the next lease opens a fresh one
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(connection));
}

namespace {

void migrate(Connection& c, int& version, loyalty::UnixSeconds startedAt) {
    auto fail = [](const std::string& what, const DbError& e) {
        throw std::runtime_error("schema migration: " + what + ": " + e.message);
    };
    if (auto ok = c.begin(); !ok) fail("begin", ok.error());
    // Processes starting together on one PostgreSQL: the advisory lock makes them migrate one by one.
    if (c.backend() == Backend::Postgres)
        if (auto ok = c.query("SELECT pg_advisory_xact_lock(7240113)"); !ok) fail("lock", ok.error());
    if (auto ok = c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                            "applied_at BIGINT NOT NULL)");
        !ok)
        fail("schema_version", ok.error());
    auto current = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!current) fail("read version", current.error());
    version = static_cast<int>(current->at(0).integer(0));
    const auto& steps = migrations(c.backend());
    if (version > static_cast<int>(steps.size())) {
        (void)c.rollback();
        throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                 ", newer than this central (" + std::to_string(steps.size()) + ")");
    }
    for (auto i = static_cast<std::size_t>(version); i < steps.size(); ++i) {
        if (auto ok = c.execute(steps[i]); !ok) fail("version " + std::to_string(i + 1), ok.error());
        const Param v = static_cast<std::int64_t>(i + 1);
        const Param now = startedAt;
        if (auto ok = c.query("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)", {v, now});
            !ok)
            fail("record version", ok.error());
        version = static_cast<int>(i + 1);
    }
    if (auto ok = c.commit(); !ok) fail("commit", ok.error());
}

}  // namespace

std::unique_ptr<Database> Database::open(const std::string& url, const loyalty::Clock& clock) {
    std::unique_ptr<Database> db;
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        db.reset(new Database(Backend::Postgres, [url] { return openPostgres(url); }));
    } else {
        std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
        if (path.empty()) throw std::runtime_error("empty SQLite path in database URL");
        if (const auto dir = std::filesystem::path(path).parent_path(); !dir.empty())
            std::filesystem::create_directories(dir);
        auto gate = std::make_shared<std::mutex>();
        db.reset(new Database(Backend::Sqlite, [path, gate] { return openSqlite(path, gate); }));
    }
    auto lease = db->lease();
    if (!lease) throw std::runtime_error("cannot open the database: " + lease.error().message);
    migrate(**lease, db->m_schemaVersion, clock.now());
    return db;
}

}  // namespace central
