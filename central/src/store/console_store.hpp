#pragma once
// The head-office console's tables (schema version 7, docs/console.md): accounts (console_users),
// sessions stored as the hash of their token (console_sessions) and the audit of every console write
// (console_audit). Every call runs on the caller's connection, in its transaction when one is open.
// Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class ConsoleStore {
  public:
    explicit ConsoleStore(Connection& c) : m_c(c) {}

    struct Account {
        std::int64_t id = 0;
        std::string username;
        std::string displayName;
        std::string role;
        std::string stores;  ///< comma-separated store ids (store managers)
        std::string passwordHash;
        std::int64_t failedLogins = 0;
        loyalty::UnixSeconds lockedUntil = 0;
        std::string totpSecret;  ///< base32; "" when never set up
        bool totpEnabled = false;
        std::int64_t totpStep = 0;  ///< the last time step a code was accepted for
    };
    struct SessionRow {
        Account account;
        std::string csrfToken;
        loyalty::UnixSeconds createdAt = 0;
        loyalty::UnixSeconds lastSeen = 0;
    };
    struct AuditRow {
        std::int64_t id = 0;
        loyalty::UnixSeconds at = 0;
        std::string actor, address, action, target, reason, before, after;
    };

    [[nodiscard]] DbResult<std::optional<Account>> account(const std::string& username);
    [[nodiscard]] DbResult<std::vector<Account>> accounts();
    /// The new account's id, or nullopt when the username is taken.
    [[nodiscard]] DbResult<std::optional<std::int64_t>> addAccount(const Account& account,
                                                                   loyalty::UnixSeconds now);
    /// One more failed login; locks the account until `lockUntil` when it reaches `maxFailures`.
    /// The failures counted so far.
    [[nodiscard]] DbResult<std::int64_t> countFailedLogin(std::int64_t accountId, std::int64_t maxFailures,
                                                          loyalty::UnixSeconds lockUntil);
    [[nodiscard]] DbResult<void> clearFailedLogins(std::int64_t accountId);
    /// A new TOTP secret, off until a code turns it on; false when the factor is already on.
    [[nodiscard]] DbResult<bool> setTotpSecret(std::int64_t accountId, const std::string& secret);
    /// Spends time step `step` (and turns the factor on): false when a step as late was already spent,
    /// so of two logins with one code only one gets through.
    [[nodiscard]] DbResult<bool> useTotpStep(std::int64_t accountId, std::int64_t step);

    [[nodiscard]] DbResult<void> addSession(const std::string& tokenHash, std::int64_t accountId,
                                            const std::string& csrfToken, const std::string& address,
                                            loyalty::UnixSeconds now);
    [[nodiscard]] DbResult<std::optional<SessionRow>> session(const std::string& tokenHash);
    [[nodiscard]] DbResult<void> touchSession(const std::string& tokenHash, loyalty::UnixSeconds now);
    [[nodiscard]] DbResult<void> removeSession(const std::string& tokenHash);
    /// Forgets sessions idle since `idleBefore` or created before `createdBefore`.
    [[nodiscard]] DbResult<void> pruneSessions(loyalty::UnixSeconds idleBefore,
                                               loyalty::UnixSeconds createdBefore);

    [[nodiscard]] DbResult<void> addAudit(const AuditRow& row);
    /// The newest `limit` audit rows with an id below `beforeId`, newest first.
    [[nodiscard]] DbResult<std::vector<AuditRow>> audit(std::int64_t beforeId, std::int64_t limit);

  private:
    Connection& m_c;
};

}  // namespace central
