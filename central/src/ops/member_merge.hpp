#pragma once
// Head office's changes to who a member is (docs/console.md "Phone change and merge"): a member's
// phone changed, or two members merged into one. Each runs in the caller's open transaction (the
// one that used the one-time code sent to the phone the member keeps). Private to central_core.

#include <cstdint>
#include <expected>
#include <string>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "loyalty/phone.hpp"

namespace central {

/// The member of `from` gets the phone `to`: 404 not_found, 409 phone_taken (then merge instead).
/// Their codes and code events under the old phone are dropped. Returns the member id.
[[nodiscard]] std::expected<std::int64_t, ApiError> changeMemberPhone(Connection& c,
                                                                      const loyalty::PhoneNumber& from,
                                                                      const loyalty::PhoneNumber& to);

struct MergedMembers {
    std::int64_t fromId = 0;
    std::int64_t intoId = 0;
    std::int64_t pointsMoved = 0;  ///< the balance `from` had
    std::int64_t balance = 0;      ///< of `into`, after
};

/// Everything of the member of `from` becomes the member of `into`'s: ledger (so the tier counts both
/// histories), claims, returns, vouchers, game tickets and draws, and the balance. `from` stays as an
/// empty row whose phone is "merged:<from id>:<into id>" (messages already queued keep pointing at it
/// and go nowhere), so the number can join again. 404 not_found; 400 invalid_field when both are one.
[[nodiscard]] std::expected<MergedMembers, ApiError> mergeMembers(Connection& c,
                                                                  const loyalty::PhoneNumber& from,
                                                                  const loyalty::PhoneNumber& into);

}  // namespace central
