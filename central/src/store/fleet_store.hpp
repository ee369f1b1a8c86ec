#pragma once
// The fleet's rows: kiosks (credential hash, revocation, what the last heartbeat said), one-time
// enrollment codes and the commands queued for a kiosk. Every call runs in the caller's open
// transaction (or a plain lease for reads) on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class FleetStore {
  public:
    explicit FleetStore(Connection& c) : m_c(c) {}

    /// The kiosk holding a credential (by its SHA-256).
    struct Holder {
        std::string kioskId;
        std::string store;
        bool revoked = false;
    };
    [[nodiscard]] DbResult<std::optional<Holder>> holderOf(const std::string& credentialHash);

    struct EnrollmentCode {
        std::string kioskId;
        std::string store;
        bool used = false;
        std::optional<std::string> credentialHash;  ///< the credential it was used with
    };
    [[nodiscard]] DbResult<std::optional<EnrollmentCode>> enrollmentCode(const std::string& codeHash);
    /// A new code for `kioskId` at `store`.
    [[nodiscard]] DbResult<void> addEnrollmentCode(const std::string& codeHash, const std::string& kioskId,
                                                   const std::string& store, loyalty::UnixSeconds now,
                                                   loyalty::UnixSeconds expiresAt);
    /// Marks the code used with `credentialHash` unless it already is or has expired at `now` (a
    /// conditional update: single use across processes). False when it was not.
    [[nodiscard]] DbResult<bool> useEnrollmentCode(const std::string& codeHash,
                                                   const std::string& credentialHash,
                                                   loyalty::UnixSeconds now);
    /// True if any kiosk ever held this credential (revoked or not).
    [[nodiscard]] DbResult<bool> credentialKnown(const std::string& credentialHash);
    /// True if `kioskId` holds this credential now and is not revoked.
    [[nodiscard]] DbResult<bool> holdsCredential(const std::string& kioskId,
                                                 const std::string& credentialHash);
    /// The kiosk enrolled (again) at `store` with the credential: a revocation is lifted.
    [[nodiscard]] DbResult<void> enroll(const std::string& kioskId, const std::string& store,
                                        const std::string& credentialHash, loyalty::UnixSeconds now);

    /// What a heartbeat reports.
    struct Health {
        std::string version;
        std::int64_t uptimeS = 0;
        std::int64_t outboxDepth = 0;
        std::string health;  ///< as the API stores it (a JSON object's text)
    };
    [[nodiscard]] DbResult<void> recordHeartbeat(const std::string& kioskId, const Health& health,
                                                 loyalty::UnixSeconds now);
    /// Takes the kiosk's queued commands out of the queue, oldest first (their stored text).
    [[nodiscard]] DbResult<std::vector<std::string>> takeCommands(const std::string& kioskId);
    [[nodiscard]] DbResult<void> queueCommand(const std::string& kioskId, const std::string& command,
                                              loyalty::UnixSeconds now);

    struct Kiosk {
        std::string kioskId;
        std::string store;
        loyalty::UnixSeconds enrolledAt = 0;
        bool revoked = false;
        std::optional<loyalty::UnixSeconds> lastSeen;
        Health health;
    };
    /// Every kiosk, by id.
    [[nodiscard]] DbResult<std::vector<Kiosk>> kiosks();
    [[nodiscard]] DbResult<bool> kioskExists(const std::string& kioskId);
    /// Revokes the kiosk's credential (an earlier revocation time is kept). False when unknown.
    [[nodiscard]] DbResult<bool> revoke(const std::string& kioskId, loyalty::UnixSeconds now);

  private:
    Connection& m_c;
};

}  // namespace central
