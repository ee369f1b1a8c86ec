#include "store/console_store.hpp"

namespace central {
namespace {

constexpr const char* kAccountColumns =
    "user_id, username, display_name, role, stores, password_hash, failed_logins, locked_until, totp_secret, "
    "totp_enabled, totp_step";

ConsoleStore::Account accountFrom(const Row& row, std::size_t first = 0) {
    return ConsoleStore::Account{row.integer(first),          row.text(first + 1),    row.text(first + 2),
                                 row.text(first + 3),         row.text(first + 4),    row.text(first + 5),
                                 row.integer(first + 6),      row.integer(first + 7), row.text(first + 8),
                                 row.integer(first + 9) != 0, row.integer(first + 10)};
}

DbResult<void> done(const DbResult<Rows>& result) {
    if (!result) return std::unexpected(result.error());
    return {};
}

}  // namespace

DbResult<std::optional<ConsoleStore::Account>> ConsoleStore::account(const std::string& username) {
    auto rows = m_c.query(std::string("SELECT ") + kAccountColumns +
                              " FROM console_users WHERE username = $1 AND disabled_at IS NULL",
                          {username});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Account>{};
    return std::optional<Account>(accountFrom(rows->front()));
}

DbResult<std::vector<ConsoleStore::Account>> ConsoleStore::accounts() {
    auto rows = m_c.query(std::string("SELECT ") + kAccountColumns +
                          " FROM console_users WHERE disabled_at IS NULL ORDER BY username");
    if (!rows) return std::unexpected(rows.error());
    std::vector<Account> out;
    for (const auto& row : *rows) out.push_back(accountFrom(row));
    return out;
}

DbResult<std::optional<std::int64_t>> ConsoleStore::addAccount(const Account& a, loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "INSERT INTO console_users (username, display_name, role, stores, password_hash, created_at) VALUES "
        "($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING user_id",
        {a.username, a.displayName, a.role, a.stores, a.passwordHash, now});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows->front().integer(0));
}

DbResult<std::int64_t> ConsoleStore::countFailedLogin(std::int64_t accountId, std::int64_t maxFailures,
                                                      loyalty::UnixSeconds lockUntil) {
    // One statement, so concurrent wrong guesses each count: none can slip past the limit.
    auto rows = m_c.query(
        "UPDATE console_users SET failed_logins = failed_logins + 1, locked_until = CASE WHEN "
        "failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE user_id = $1 RETURNING failed_logins",
        {accountId, maxFailures, lockUntil});
    if (!rows) return std::unexpected(rows.error());
    return rows->empty() ? 0 : rows->front().integer(0);
}

DbResult<void> ConsoleStore::clearFailedLogins(std::int64_t accountId) {
    return done(m_c.query("UPDATE console_users SET failed_logins = 0, locked_until = 0 WHERE user_id = $1",
                          {accountId}));
}

DbResult<bool> ConsoleStore::setTotpSecret(std::int64_t accountId, const std::string& secret) {
    auto rows = m_c.query(
        "UPDATE console_users SET totp_secret = $2, totp_step = 0 WHERE user_id = $1 AND totp_enabled = 0 "
        "RETURNING user_id",
        {accountId, secret});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<bool> ConsoleStore::useTotpStep(std::int64_t accountId, std::int64_t step) {
    // One statement: two logins racing with the same code cannot both see the step unspent.
    auto rows = m_c.query(
        "UPDATE console_users SET totp_step = $2, totp_enabled = 1 WHERE user_id = $1 AND totp_step < $2 "
        "AND totp_secret <> '' RETURNING user_id",
        {accountId, step});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<void> ConsoleStore::addSession(const std::string& tokenHash, std::int64_t accountId,
                                        const std::string& csrfToken, const std::string& address,
                                        loyalty::UnixSeconds now) {
    return done(m_c.query(
        "INSERT INTO console_sessions (session_hash, user_id, csrf_token, address, created_at, last_seen) "
        "VALUES ($1, $2, $3, $4, $5, $5)",
        {tokenHash, accountId, csrfToken, address, now}));
}

DbResult<std::optional<ConsoleStore::SessionRow>> ConsoleStore::session(const std::string& tokenHash) {
    auto rows = m_c.query(
        "SELECT u.user_id, u.username, u.display_name, u.role, u.stores, u.password_hash, u.failed_logins, "
        "u.locked_until, u.totp_secret, u.totp_enabled, u.totp_step, s.csrf_token, s.created_at, s.last_seen "
        "FROM console_sessions s JOIN console_users "
        "u ON u.user_id = s.user_id WHERE s.session_hash = $1 AND u.disabled_at IS NULL",
        {tokenHash});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<SessionRow>{};
    const auto& row = rows->front();
    return std::optional<SessionRow>(
        SessionRow{accountFrom(row), row.text(11), row.integer(12), row.integer(13)});
}

DbResult<void> ConsoleStore::touchSession(const std::string& tokenHash, loyalty::UnixSeconds now) {
    return done(
        m_c.query("UPDATE console_sessions SET last_seen = $2 WHERE session_hash = $1", {tokenHash, now}));
}

DbResult<void> ConsoleStore::removeSession(const std::string& tokenHash) {
    return done(m_c.query("DELETE FROM console_sessions WHERE session_hash = $1", {tokenHash}));
}

DbResult<void> ConsoleStore::pruneSessions(loyalty::UnixSeconds idleBefore,
                                           loyalty::UnixSeconds createdBefore) {
    return done(m_c.query("DELETE FROM console_sessions WHERE last_seen < $1 OR created_at < $2",
                          {idleBefore, createdBefore}));
}

DbResult<void> ConsoleStore::addAudit(const AuditRow& r) {
    return done(m_c.query(
        "INSERT INTO console_audit (at, actor, address, action, target, reason, before_json, after_json) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {r.at, r.actor, r.address, r.action, r.target, r.reason, r.before, r.after}));
}

DbResult<std::vector<ConsoleStore::AuditRow>> ConsoleStore::audit(std::int64_t beforeId, std::int64_t limit) {
    auto rows = m_c.query(
        "SELECT audit_id, at, actor, address, action, target, reason, before_json, after_json FROM "
        "console_audit WHERE audit_id < $1 ORDER BY audit_id DESC LIMIT $2",
        {beforeId, limit});
    if (!rows) return std::unexpected(rows.error());
    std::vector<AuditRow> out;
    for (const auto& r : *rows)
        out.push_back(AuditRow{r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5),
                               r.text(6), r.text(7), r.text(8)});
    return out;
}

}  // namespace central
