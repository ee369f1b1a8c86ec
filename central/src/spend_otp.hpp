#pragma once
// The one-time code that proves a member holds the phone before points are spent (a redemption, a
// game ticket bought with points) or head office changes their phone (a phone change, a merge):
// defined in service_spend.cpp. Private to central_core.

#include <expected>
#include <string>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "loyalty/clock.hpp"

namespace central {

/// A code typed at `kiosk` for the phone `e164` to buy `scope` (a reward id, or "game:<id>").
struct OtpUse {
    std::string kiosk;
    std::string e164;
    std::string scope;
    std::string code;
    loyalty::UnixSeconds now = 0;
};

/// Checks the outstanding code of (phone, kiosk) — unbound or bound to `scope` — and uses it up when it
/// matches; a wrong code is counted toward the lockout (its error says to commit anyway). Runs in the
/// caller's open transaction of `c`.
[[nodiscard]] std::expected<void, ApiError> useSpendOtp(Connection& c, const OtpUse& use,
                                                        const std::string& otpKey);

struct IssuedOtp {
    std::string code;  ///< in clear: for the notifier only
    loyalty::UnixSeconds expiresAt = 0;
};

/// Replaces the outstanding code of (use.e164, use.kiosk) with a fresh one bound to use.scope (the
/// console's member care: a phone change, a merge), in the caller's open transaction of `c`; checked
/// later by useSpendOtp. Rate limits are the caller's.
[[nodiscard]] DbResult<IssuedOtp> issueOtp(Connection& c, const OtpUse& use, const std::string& otpKey);

}  // namespace central
