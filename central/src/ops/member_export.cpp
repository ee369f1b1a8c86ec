#include "ops/member_export.hpp"

#include "store/transaction.hpp"

namespace central {

std::expected<MemberData, ApiError> loadMemberData(Database& db, const loyalty::PhoneNumber& phone) {
    auto lease = db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CareStore care(**lease);
    CENTRAL_TRY(member, care.member(phone.e164()));
    if (!*member) return std::unexpected(apiError("not_found"));
    CENTRAL_TRY(sections, care.memberData((*member)->memberId));
    return MemberData{**member, std::move(*sections)};
}

}  // namespace central
