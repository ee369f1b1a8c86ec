#pragma once
// A member's own data, as the member's right of access (PDPL; docs/console.md) asks for it: the
// member row with its consents and every row of theirs central keeps (store/care_store.hpp lists the
// tables). The api layer writes it out as JSON, voucher codes masked. Private to central_core.
// BLOCKS on the database; any thread.

#include <expected>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "loyalty/phone.hpp"
#include "store/care_store.hpp"

namespace central {

struct MemberData {
    MemberRecord member;
    std::vector<DataSection> sections;
};

/// 404 not_found when no member has `phone`.
[[nodiscard]] std::expected<MemberData, ApiError> loadMemberData(Database& db,
                                                                 const loyalty::PhoneNumber& phone);

}  // namespace central
