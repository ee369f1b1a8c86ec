#include "ops/member_erase.hpp"

#include "loyalty/ledger.hpp"
#include "store/care_store.hpp"
#include "store/ledger_store.hpp"
#include "store/member_store.hpp"
#include "store/transaction.hpp"

namespace central {

std::expected<ErasedMember, ApiError> eraseMember(Database& db, const loyalty::PhoneNumber& phone,
                                                  loyalty::UnixSeconds now) {
    return transact(db, [&](Connection& c) -> std::expected<ErasedMember, ApiError> {
        // Holding the member row orders the erasure against the member's claims and redemptions.
        CENTRAL_TRY(member, MemberStore(c).lock(phone.e164()));
        if (!*member) return std::unexpected(apiError("not_found"));
        const auto [id, balance] = **member;
        const auto tag = "erased:" + std::to_string(id);
        if (balance > 0) {
            const loyalty::LedgerEntry writeOff{tag,  loyalty::EntryKind::Adjustment, -balance, now, tag,
                                                false};
            CENTRAL_TRY(added, appendEntry(c, id, writeOff, "", "", "erased at the member's request"));
            CENTRAL_TRY(spent, MemberStore(c).spend(id, balance));
        }
        CENTRAL_TRY(erased, CareStore(c).erase(id, tag, phone.e164()));
        return ErasedMember{id, balance};
    });
}

}  // namespace central
