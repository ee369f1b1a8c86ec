#pragma once
// Head-office console accounts (docs/console.md): Argon2id passwords (libsodium crypto_pwhash_str),
// sessions (a random token in an HttpOnly cookie; only its SHA-256 is stored; a new one at every
// login, so a token planted before login is worth nothing), a CSRF token per session, the lockout
// after failed logins, and the audit of every console write. Private to central_core.
//
// Threads: any. Every call BLOCKS on the database; login and addUser also on Argon2id (~0.1 s and
// 64 MiB each, crypto_pwhash's INTERACTIVE limits).

#include <cstdint>
#include <expected>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "loyalty/clock.hpp"
#include "ops/console_roles.hpp"

namespace central {

struct ConsoleUser {
    std::int64_t id = 0;
    std::string username;
    std::string displayName;
    Role role = Role::Support;
    std::vector<std::string> stores;  ///< a store manager's stores
    bool totp = false;                ///< the second factor is on: login asks for a code
    /// True when this user may see the kiosks and figures of `store` (a store manager: theirs only).
    [[nodiscard]] bool seesStore(std::string_view store) const;
};

struct ConsoleSession {
    ConsoleUser user;
    std::string csrfToken;
};

/// Who made a console write and from which address (the audit's actor).
struct Actor {
    std::string name;
    std::string address;
};

/// One console write as the audit keeps it; `before` and `after` are JSON text ("" = nothing).
struct AuditRecord {
    std::string action;
    std::string target;
    std::string reason;
    std::string before;
    std::string after;
};

struct AuditEntry {
    std::int64_t id = 0;
    loyalty::UnixSeconds at = 0;
    Actor actor;
    AuditRecord record;
};

struct NewUser {
    std::string username;  ///< 3-32 of a-z 0-9 . _ -
    std::string displayName;
    std::string password;  ///< 12-128 characters
    Role role = Role::Support;
    std::vector<std::string> stores;
};

class ConsoleOps {
  public:
    static constexpr std::int64_t kMaxFailedLogins = 5;
    static constexpr loyalty::UnixSeconds kLockSeconds = 15 * 60;
    static constexpr loyalty::UnixSeconds kIdleSeconds = 30 * 60;
    static constexpr loyalty::UnixSeconds kMaxSessionSeconds = 12 * 3600;

    /// `db` and `clock` must outlive this.
    ConsoleOps(Database& db, const loyalty::Clock& clock);

    struct Login {
        std::string token;  ///< the cookie value: a bearer secret
        ConsoleSession session;
    };
    /// 401 login_failed (unknown user or wrong password, alike; with the second factor on, a wrong or
    /// spent code too), 401 totp_required (the password was right, the factor is on and `totp` is
    /// empty: not counted), 429 account_locked.
    [[nodiscard]] std::expected<Login, ApiError> login(std::string_view username, std::string_view password,
                                                       std::string_view totp, const std::string& address);
    /// The session of a cookie token; 401 unauthorized when unknown, idle too long or too old.
    [[nodiscard]] std::expected<ConsoleSession, ApiError> session(std::string_view token);
    [[nodiscard]] std::expected<void, ApiError> logout(std::string_view token, const Actor& actor);
    /// 409 username_taken; the account and its audit row (`record`, action "user.add") in one
    /// transaction.
    [[nodiscard]] std::expected<ConsoleUser, ApiError> addUser(const NewUser& user, const Actor& actor,
                                                               const AuditRecord& record);
    [[nodiscard]] std::expected<std::vector<ConsoleUser>, ApiError> users();

    struct TotpSetup {
        std::string secret;  ///< base32: a secret, shown to its user once
        std::string uri;     ///< otpauth://
    };
    /// A new secret for `user` (audited "user.totp_setup", without it); 409 totp_enabled when the
    /// factor is already on.
    [[nodiscard]] std::expected<TotpSetup, ApiError> totpSetup(const ConsoleUser& user, const Actor& actor);
    /// Turns the factor on with a code of the secret set up (audited "user.totp_enable"); 400
    /// totp_failed for a wrong code or none set up.
    [[nodiscard]] std::expected<void, ApiError> totpEnable(const ConsoleUser& user, std::string_view code,
                                                           const Actor& actor);

    [[nodiscard]] std::expected<void, ApiError> audit(const Actor& actor, const AuditRecord& record);
    /// The newest `limit` entries with an id below `beforeId`, newest first.
    [[nodiscard]] std::expected<std::vector<AuditEntry>, ApiError> auditLog(std::int64_t beforeId,
                                                                            std::int64_t limit);

  private:
    /// Verifies against a fixed hash, so an unknown username costs what a wrong password does.
    void spendLikeAVerify(std::string_view password);

    Database& m_db;
    const loyalty::Clock& m_clock;
    std::once_flag m_dummyOnce;
    std::string m_dummyHash;
};

}  // namespace central
