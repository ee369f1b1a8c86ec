#pragma once
// Erasing a member at their request (PDPL; docs/console.md says what goes and what stays). In one
// transaction: the points left are written off by a ledger entry (so the ledger still adds up to the
// balance, now 0), then the phone becomes "erased:<member id>" and consents, typed reasons, queued
// messages and one-time codes go (store/care_store.hpp). Claims, ledger amounts, vouchers and game
// draws stay, anonymous: a receipt claimed once stays claimed, and the stores' figures do not change.
// Private to central_core. BLOCKS on the database; any thread.

#include <expected>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/points.hpp"

namespace central {

struct ErasedMember {
    std::int64_t memberId = 0;
    loyalty::Points pointsWrittenOff = 0;
};

/// 404 not_found when no member has `phone` (also once erased).
[[nodiscard]] std::expected<ErasedMember, ApiError> eraseMember(Database& db,
                                                                const loyalty::PhoneNumber& phone,
                                                                loyalty::UnixSeconds now);

}  // namespace central
