#include "ops/staff_ops.hpp"

#include <sodium.h>

#include <algorithm>

#include "ops/access.hpp"
#include "store/console_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

bool isPin(const std::string& pin) {
    return pin.size() >= StaffOps::kMinPin && pin.size() <= StaffOps::kMaxPin &&
           std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

StaffMember withoutHash(StaffMember member) {
    member.pinHash.clear();
    return member;
}

}  // namespace

StaffOps::StaffOps(Database& db, const loyalty::Clock& clock) : m_db(db), m_clock(clock) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::expected<StaffMember, ApiError> StaffOps::issue(const Caller& caller, const std::string& id,
                                                     const std::string& name, const std::string& pin) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (!isPin(pin)) return std::unexpected(invalidField("pin", "6-8 digits"));
    std::string hash(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(hash.data(), pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return std::unexpected(apiError("internal"));
    hash.resize(hash.find('\0'));
    StaffMember member{id, name, hash, m_clock.now(), std::nullopt};
    return transact(m_db, [&](Connection& c) -> std::expected<StaffMember, ApiError> {
        StaffStore store(c);
        CENTRAL_TRY(active, store.list(true));
        // A kiosk knows who typed a PIN only if no two members share it.
        for (const auto& other : *active)
            if (crypto_pwhash_str_verify(other.pinHash.c_str(), pin.data(), pin.size()) == 0)
                return std::unexpected(apiError("pin_in_use"));
        CENTRAL_TRY(added, store.add(member));
        if (!*added) return std::unexpected(apiError("staff_exists"));
        return withoutHash(member);
    });
}

std::expected<StaffMember, ApiError> StaffOps::revoke(const Caller& caller, const std::string& id) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<StaffMember, ApiError> {
        CENTRAL_TRY(revoked, StaffStore(c).revoke(id, now));
        if (!*revoked) return std::unexpected(apiError("not_found"));
        return withoutHash(**revoked);
    });
}

std::expected<std::vector<StaffMember>, ApiError> StaffOps::list(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(members, StaffStore(**lease).list(false));
    std::vector<StaffMember> out;
    for (auto& m : *members) out.push_back(withoutHash(std::move(m)));
    return out;
}

std::expected<std::int64_t, ApiError> StaffOps::record(const Caller& caller,
                                                       std::vector<StaffAction> actions) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<std::int64_t, ApiError> {
        StaffStore staff(c);
        ConsoleStore audit(c);
        std::int64_t added = 0;
        for (auto& action : actions) {
            action.kioskId = caller.kioskId;
            CENTRAL_TRY(isNew, staff.addAction(action, now));
            if (!*isNew) continue;
            ++added;
            CENTRAL_TRY(logged,
                        audit.addAudit({0, action.at, "staff:" + action.staffId, caller.kioskId,
                                        "staff." + action.action, caller.kioskId, action.detail, "", ""}));
        }
        return added;
    });
}

}  // namespace central
