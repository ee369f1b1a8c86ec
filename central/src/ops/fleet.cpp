// The fleet's rules over store/fleet_store.*: a kiosk is known by the SHA-256 of its credential only;
// an enrollment code is single-use across processes (a conditional update); a command is delivered
// once (taken out of the queue in the transaction that answers the heartbeat).

#include "ops/fleet.hpp"

#include "loyalty/credential.hpp"
#include "ops/access.hpp"
#include "ops/secrets.hpp"
#include "store/transaction.hpp"
#include "store/voucher_store.hpp"

namespace central {
namespace {

constexpr std::int64_t kDefaultEnrollmentHours = 72;

/// "ENR-XXXX-XXXX-XXXX-XXXX": 16 base32 characters, 80 bits.
std::string newEnrollmentCode() {
    const auto random = randomBase32(10);
    return "ENR-" + random.substr(0, 4) + "-" + random.substr(4, 4) + "-" + random.substr(8, 4) + "-" +
           random.substr(12, 4);
}

}  // namespace

FleetOps::FleetOps(Database& db, const loyalty::Clock& clock, CatalogSource catalog, Options options)
    : m_db(db), m_clock(clock), m_catalog(std::move(catalog)), m_options(std::move(options)) {}

std::expected<Caller, ApiError> FleetOps::authenticate(std::string_view authorization) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer)) return std::unexpected(apiError("unauthorized"));
    const auto secret = authorization.substr(kBearer.size());
    if (secret.empty() || secret.size() > 256) return std::unexpected(apiError("unauthorized"));
    if (!m_options.adminToken.empty() && secretEquals(secret, m_options.adminToken))
        return Caller{Caller::Kind::Admin, "", ""};
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(holder, FleetStore(**lease).holderOf(sha256Hex(secret)));
    if (!*holder) return std::unexpected(apiError("unauthorized"));
    if ((*holder)->revoked) return std::unexpected(apiError("kiosk_revoked"));
    return Caller{Caller::Kind::Kiosk, (*holder)->kioskId, (*holder)->store};
}

std::expected<Enrolled, ApiError> FleetOps::enroll(const EnrollInput& input) {
    if (!input) return std::unexpected(input.error());
    const auto& [code, wanted, proposed] = *input;
    const std::string credential = proposed ? *proposed : loyalty::makeCredential();
    const auto credentialHash = sha256Hex(credential);
    const auto codeHash = sha256Hex(code);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<Enrolled, ApiError> {
        FleetStore fleet(c);
        CENTRAL_TRY(known, fleet.enrollmentCode(codeHash));
        if (!*known) return std::unexpected(apiError("unauthorized"));
        const auto& [kioskId, store, used, usedWith] = **known;
        if (wanted && *wanted != kioskId) return std::unexpected(apiError("forbidden"));
        const Enrolled answer{kioskId, store, credential};
        if (used) {
            // A kiosk whose answer was lost (a dropped connection, a power cut before it saved the
            // credential) asks again with the credential it proposed: the same answer, as long as that
            // credential is still the kiosk's and not revoked. It hands out nothing the caller does not
            // already hold, so it has no time limit of its own.
            if (!proposed || usedWith != credentialHash)
                return std::unexpected(apiError("enrollment_code_used"));
            CENTRAL_TRY(current, fleet.holdsCredential(kioskId, credentialHash));
            if (!*current) return std::unexpected(apiError("enrollment_code_used"));
            return answer;
        }
        // A credential another kiosk (or this one, before a revocation) had must not come back to life.
        CENTRAL_TRY(taken, fleet.credentialKnown(credentialHash));
        if (*taken) return std::unexpected(invalidField("credential", "already used: make a new one"));
        CENTRAL_TRY(usedNow, fleet.useEnrollmentCode(codeHash, credentialHash, now));
        if (!*usedNow) return std::unexpected(apiError("enrollment_code_used"));
        CENTRAL_TRY(enrolled, fleet.enroll(kioskId, store, credentialHash, now));
        return answer;
    });
}

std::expected<ConfigParts, ApiError> FleetOps::config(const Caller& caller, std::string_view kioskId) {
    if (auto ok = requireKiosk(caller, kioskId); !ok) return std::unexpected(ok.error());
    auto loaded = m_catalog();
    if (!loaded) return std::unexpected(loaded.error());
    // Revoking a member changes the document (and its ETag): the kiosk drops them at its next pull.
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(staff, StaffStore(**lease).list(true));
    return ConfigParts{*loaded,
                       caller.kioskId,
                       caller.store,
                       m_options.voucherPublicKey,
                       m_options.consentTextVersion,
                       std::move(*staff),
                       m_clock.now()};
}

std::expected<HeartbeatTaken, ApiError> FleetOps::heartbeat(const Caller& caller, std::string_view kioskId,
                                                            const HeartbeatInput& input) {
    if (auto ok = requireKiosk(caller, kioskId); !ok) return std::unexpected(ok.error());
    if (!input) return std::unexpected(input.error());
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<HeartbeatTaken, ApiError> {
        FleetStore fleet(c);
        CENTRAL_TRY(seen, fleet.recordHeartbeat(caller.kioskId, *input, now));
        CENTRAL_TRY(commands, fleet.takeCommands(caller.kioskId));
        return HeartbeatTaken{std::move(*commands), now};
    });
}

std::expected<EnrollmentCodeMade, ApiError> FleetOps::createEnrollmentCode(const Caller& caller,
                                                                           const EnrollmentCodeInput& input) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (!input) return std::unexpected(input.error());
    const auto& [kioskId, store, hours] = *input;
    const std::string code = newEnrollmentCode();
    const auto now = m_clock.now();
    const auto expires = now + hours.value_or(kDefaultEnrollmentHours) * 3600;
    return transact(m_db, [&](Connection& c) -> std::expected<EnrollmentCodeMade, ApiError> {
        CENTRAL_TRY(known, VoucherStore(c).storeExists(store));
        if (!*known) return std::unexpected(apiError("not_found", nlohmann::json{{"store", store}}));
        CENTRAL_TRY(added, FleetStore(c).addEnrollmentCode(sha256Hex(code), kioskId, store, now, expires));
        return EnrollmentCodeMade{code, kioskId, store, expires};
    });
}

std::expected<std::vector<FleetStore::Kiosk>, ApiError> FleetOps::kiosks(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(all, FleetStore(**lease).kiosks());
    return std::move(*all);
}

std::expected<void, ApiError> FleetOps::revoke(const Caller& caller, std::string_view kioskId) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    const auto now = m_clock.now();
    const std::string id(kioskId);
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        CENTRAL_TRY(revoked, FleetStore(c).revoke(id, now));
        if (!*revoked) return std::unexpected(apiError("not_found"));
        return {};
    });
}

std::expected<void, ApiError> FleetOps::queueCommand(const Caller& caller, std::string_view kioskId,
                                                     const CommandInput& input) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (!input) return std::unexpected(input.error());
    const std::string id(kioskId);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<void, ApiError> {
        FleetStore fleet(c);
        CENTRAL_TRY(known, fleet.kioskExists(id));
        if (!*known) return std::unexpected(apiError("not_found"));
        CENTRAL_TRY(queued, fleet.queueCommand(id, input->stored, now));
        return {};
    });
}

}  // namespace central
