#pragma once
// Staff of the kiosks' maintenance mode (issue 13; docs/security.md "Staff PINs"): head office issues a
// PIN per staff member (kept only as an Argon2id string, crypto_pwhash_str with the INTERACTIVE limits)
// and revokes it; the kiosk configuration carries the active members' strings so a kiosk checks a PIN
// offline; kiosks report every staff action, stored once per kiosk and key and written to the console
// audit (actor "staff:ID", address the kiosk). Private to central_core.
//
// Threads: any. Every call BLOCKS on the database; issue() also on one Argon2id hash per active member
// (~0.1 s and 64 MiB each: a PIN another member already has is refused, or kiosks could not tell who
// typed it).

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/service.hpp"
#include "loyalty/clock.hpp"
#include "store/staff_store.hpp"

namespace central {

using StaffMember = StaffStore::Member;
using StaffAction = StaffStore::Action;

class StaffOps {
  public:
    static constexpr std::size_t kMinPin = 6;
    static constexpr std::size_t kMaxPin = 8;

    /// `db` and `clock` must outlive this.
    StaffOps(Database& db, const loyalty::Clock& clock);

    // Head office (the caller must be Admin; the console calls as Admin after its own permission check).
    /// 400 invalid_field (id, name or a PIN that is not kMinPin..kMaxPin digits), 409 staff_exists,
    /// 409 pin_in_use. The member without its hash.
    [[nodiscard]] std::expected<StaffMember, ApiError> issue(const Caller& caller, const std::string& id,
                                                             const std::string& name, const std::string& pin);
    /// 404 not_found. Revoked members stay listed (the audit names them).
    [[nodiscard]] std::expected<StaffMember, ApiError> revoke(const Caller& caller, const std::string& id);
    /// Every member, revoked ones too, without hashes.
    [[nodiscard]] std::expected<std::vector<StaffMember>, ApiError> list(const Caller& caller);

    // Kiosks.
    /// Stores the actions of the calling kiosk (`kioskId` in each is set here), each once per key, and
    /// adds an audit row for each new one, in one transaction. How many were new.
    [[nodiscard]] std::expected<std::int64_t, ApiError> record(const Caller& caller,
                                                               std::vector<StaffAction> actions);

  private:
    Database& m_db;
    const loyalty::Clock& m_clock;
};

}  // namespace central
