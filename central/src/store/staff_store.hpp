#pragma once
// Staff members of the maintenance mode (staff_members: name, Argon2id PIN string, revocation) and the
// staff actions kiosks report (staff_actions, one row per kiosk and action key). Every call runs in the
// caller's open transaction (or a plain lease for reads) on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class StaffStore {
  public:
    explicit StaffStore(Connection& c) : m_c(c) {}

    struct Member {
        std::string id;
        std::string name;
        std::string pinHash;  ///< crypto_pwhash_str's Argon2id string
        loyalty::UnixSeconds createdAt = 0;
        std::optional<loyalty::UnixSeconds> revokedAt;
    };
    struct Action {
        std::string kioskId;
        std::string key;  ///< the kiosk's own id of the action: a resent batch stores nothing twice
        std::string staffId;
        std::string action;
        std::string detail;
        loyalty::UnixSeconds at = 0;  ///< when it happened (central's clock as the kiosk knew it)
    };

    /// False when the id is taken (revoked members keep their id: the audit names them).
    [[nodiscard]] DbResult<bool> add(const Member& member);
    /// The member after revocation (an earlier revocation time is kept), nullopt when unknown.
    [[nodiscard]] DbResult<std::optional<Member>> revoke(const std::string& id, loyalty::UnixSeconds now);
    /// Every member, revoked ones too, by id; `activeOnly` leaves the revoked out.
    [[nodiscard]] DbResult<std::vector<Member>> list(bool activeOnly);
    /// True when the action is new; false when this kiosk already reported this key.
    [[nodiscard]] DbResult<bool> addAction(const Action& action, loyalty::UnixSeconds receivedAt);

  private:
    Connection& m_c;
};

}  // namespace central
