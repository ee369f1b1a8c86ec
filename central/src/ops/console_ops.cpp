#include "ops/console_ops.hpp"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "ops/console_totp.hpp"
#include "ops/secrets.hpp"
#include "store/console_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr std::size_t kMinPassword = 12;
constexpr std::size_t kMaxPassword = 128;
constexpr std::size_t kTokenBytes = 32;

std::vector<std::string> splitStores(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string joinStores(const std::vector<std::string>& stores) {
    std::string out;
    for (const auto& s : stores) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::optional<ConsoleUser> userFrom(const ConsoleStore::Account& a) {
    const auto role = parseRole(a.role);
    if (!role) return std::nullopt;  // a role this build does not know grants nothing
    return ConsoleUser{a.id, a.username, a.displayName, *role, splitStores(a.stores), a.totpEnabled};
}

std::expected<std::string, ApiError> hashPassword(std::string_view password) {
    std::string hash(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(hash.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return std::unexpected(apiError("internal"));
    hash.resize(hash.find('\0'));
    return hash;
}

bool verifyPassword(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool isUsername(std::string_view name) {
    if (name.size() < 3 || name.size() > 32) return false;
    return std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
    });
}

/// The audit's "after" of a failed login; `passwordOk`: it was the one-time code that failed.
std::string failedLoginJson(std::int64_t failures, bool passwordOk) {
    return "{\"failed_logins\":" + std::to_string(failures) + (passwordOk ? ",\"factor\":\"totp\"}" : "}");
}

ApiError lockedError(loyalty::UnixSeconds lockedUntil, loyalty::UnixSeconds now) {
    auto e = apiError("account_locked");
    e.retryAfter = static_cast<int>(std::max<loyalty::UnixSeconds>(1, lockedUntil - now));
    return e;
}

}  // namespace

bool ConsoleUser::seesStore(std::string_view store) const {
    if (role != Role::StoreManager) return true;
    return std::find(stores.begin(), stores.end(), store) != stores.end();
}

ConsoleOps::ConsoleOps(Database& db, const loyalty::Clock& clock) : m_db(db), m_clock(clock) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

void ConsoleOps::spendLikeAVerify(std::string_view password) {
    std::call_once(m_dummyOnce, [this] { m_dummyHash = hashPassword(randomBase32(16)).value_or(""); });
    if (!m_dummyHash.empty()) (void)verifyPassword(m_dummyHash, password);
}

std::expected<ConsoleOps::Login, ApiError> ConsoleOps::login(std::string_view username,
                                                             std::string_view password, std::string_view totp,
                                                             const std::string& address) {
    const std::string name(username);
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(found, ConsoleStore(**lease).account(name));
    if (!*found || password.size() > kMaxPassword) {
        spendLikeAVerify(password);
        return std::unexpected(apiError("login_failed"));
    }
    const auto account = **found;
    const auto now = m_clock.now();
    if (account.lockedUntil > now) return std::unexpected(lockedError(account.lockedUntil, now));
    const bool passwordOk = verifyPassword(account.passwordHash, password);
    const auto user = userFrom(account);
    if (passwordOk && user && account.totpEnabled && totp.empty())
        return std::unexpected(domainError(401, "totp_required", "The account's one-time code is needed."));
    const auto step = account.totpEnabled && passwordOk
                          ? acceptedTotpStep(account.totpSecret, totp, now, account.totpStep)
                          : std::nullopt;
    return transact(m_db, [&](Connection& c) -> std::expected<Login, ApiError> {
        ConsoleStore store(c);
        const Actor actor{account.username, address};
        bool good = passwordOk && user;
        if (good && account.totpEnabled) {
            CENTRAL_TRY(spent, step ? store.useTotpStep(account.id, *step) : DbResult<bool>(false));
            good = *spent;
        }
        if (!good) {
            CENTRAL_TRY(failures, store.countFailedLogin(account.id, kMaxFailedLogins, now + kLockSeconds));
            CENTRAL_TRY(logged,
                        store.addAudit({0, now, actor.name, address, "login_failed", account.username, "", "",
                                        failedLoginJson(*failures, passwordOk && account.totpEnabled)}));
            auto e = *failures >= kMaxFailedLogins ? lockedError(now + kLockSeconds, now)
                                                   : apiError("login_failed");
            e.commitAnyway = true;
            return std::unexpected(e);
        }
        CENTRAL_TRY(cleared, store.clearFailedLogins(account.id));
        CENTRAL_TRY(pruned, store.pruneSessions(now - kIdleSeconds, now - kMaxSessionSeconds));
        Login out{randomBase32(kTokenBytes), ConsoleSession{*user, randomBase32(kTokenBytes)}};
        CENTRAL_TRY(saved,
                    store.addSession(sha256Hex(out.token), account.id, out.session.csrfToken, address, now));
        CENTRAL_TRY(logged,
                    store.addAudit({0, now, actor.name, address, "login", account.username, "", "", ""}));
        return out;
    });
}

std::expected<ConsoleSession, ApiError> ConsoleOps::session(std::string_view token) {
    if (token.empty() || token.size() > 128) return std::unexpected(apiError("unauthorized"));
    const auto hash = sha256Hex(token);
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    ConsoleStore store(**lease);
    CENTRAL_TRY(found, store.session(hash));
    const auto now = m_clock.now();
    if (!*found || (*found)->lastSeen < now - kIdleSeconds || (*found)->createdAt < now - kMaxSessionSeconds)
        return std::unexpected(apiError("unauthorized"));
    auto user = userFrom((*found)->account);
    if (!user) return std::unexpected(apiError("unauthorized"));
    // Touched at most once a minute: a busy console page does not write on every read.
    if ((*found)->lastSeen < now - 60) {
        CENTRAL_TRY(touched, store.touchSession(hash, now));
    }
    return ConsoleSession{std::move(*user), (*found)->csrfToken};
}

std::expected<void, ApiError> ConsoleOps::logout(std::string_view token, const Actor& actor) {
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        ConsoleStore store(c);
        CENTRAL_TRY(removed, store.removeSession(sha256Hex(token)));
        CENTRAL_TRY(logged,
                    store.addAudit({0, now, actor.name, actor.address, "logout", actor.name, "", "", ""}));
        return {};
    });
}

std::expected<ConsoleUser, ApiError> ConsoleOps::addUser(const NewUser& user, const Actor& actor,
                                                         const AuditRecord& r) {
    if (!isUsername(user.username)) return std::unexpected(invalidField("username", "3-32 of a-z 0-9 . _ -"));
    if (user.password.size() < kMinPassword || user.password.size() > kMaxPassword)
        return std::unexpected(invalidField("password", "12 to 128 characters"));
    if (user.role == Role::StoreManager && user.stores.empty())
        return std::unexpected(invalidField("stores", "a store manager needs at least one store"));
    auto hash = hashPassword(user.password);
    if (!hash) return std::unexpected(hash.error());
    const ConsoleStore::Account account{0,
                                        user.username,
                                        user.displayName,
                                        std::string(roleName(user.role)),
                                        joinStores(user.stores),
                                        *hash,
                                        0,
                                        0,
                                        "",
                                        false,
                                        0};
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<ConsoleUser, ApiError> {
        ConsoleStore store(c);
        CENTRAL_TRY(id, store.addAccount(account, now));
        if (!*id) return std::unexpected(apiError("username_taken"));
        CENTRAL_TRY(logged, store.addAudit({0, now, actor.name, actor.address, r.action, r.target, r.reason,
                                            r.before, r.after}));
        return ConsoleUser{**id, user.username, user.displayName, user.role, user.stores, false};
    });
}

std::expected<std::vector<ConsoleUser>, ApiError> ConsoleOps::users() {
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(rows, ConsoleStore(**lease).accounts());
    std::vector<ConsoleUser> out;
    for (const auto& a : *rows)
        if (auto user = userFrom(a)) out.push_back(std::move(*user));
    return out;
}

std::expected<ConsoleOps::TotpSetup, ApiError> ConsoleOps::totpSetup(const ConsoleUser& user,
                                                                     const Actor& actor) {
    TotpSetup out{randomBase32(kTotpSecretBytes), ""};
    out.uri = otpauthUri("Loyalty", user.username, out.secret);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<TotpSetup, ApiError> {
        ConsoleStore store(c);
        CENTRAL_TRY(set, store.setTotpSecret(user.id, out.secret));
        if (!*set)
            return std::unexpected(domainError(409, "totp_enabled", "The one-time code is already on."));
        CENTRAL_TRY(logged, store.addAudit({0, now, actor.name, actor.address, "user.totp_setup",
                                            user.username, "", "", ""}));
        return out;
    });
}

std::expected<void, ApiError> ConsoleOps::totpEnable(const ConsoleUser& user, std::string_view code,
                                                     const Actor& actor) {
    const auto now = m_clock.now();
    const auto failed = [] {
        return domainError(400, "totp_failed", "That code is not the app's code now.");
    };
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        ConsoleStore store(c);
        CENTRAL_TRY(found, store.account(user.username));
        if (!*found || (*found)->totpEnabled) return std::unexpected(failed());
        const auto step = acceptedTotpStep((*found)->totpSecret, code, now, (*found)->totpStep);
        if (!step) return std::unexpected(failed());
        CENTRAL_TRY(spent, store.useTotpStep(user.id, *step));
        if (!*spent) return std::unexpected(failed());
        CENTRAL_TRY(logged, store.addAudit({0, now, actor.name, actor.address, "user.totp_enable",
                                            user.username, "", "{\"totp\":false}", "{\"totp\":true}"}));
        return {};
    });
}

std::expected<void, ApiError> ConsoleOps::audit(const Actor& actor, const AuditRecord& r) {
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        CENTRAL_TRY(logged, ConsoleStore(c).addAudit({0, now, actor.name, actor.address, r.action, r.target,
                                                      r.reason, r.before, r.after}));
        return {};
    });
}

std::expected<std::vector<AuditEntry>, ApiError> ConsoleOps::auditLog(std::int64_t beforeId,
                                                                      std::int64_t limit) {
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(rows, ConsoleStore(**lease).audit(beforeId, limit));
    std::vector<AuditEntry> out;
    for (auto& r : *rows)
        out.push_back(AuditEntry{r.id, r.at, Actor{r.actor, r.address},
                                 AuditRecord{r.action, r.target, r.reason, r.before, r.after}});
    return out;
}

}  // namespace central
