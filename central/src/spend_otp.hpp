#pragma once
// The one-time code that proves a member holds the phone before points are spent (a redemption, a
// game ticket bought with points) or head office changes their phone (a phone change, a merge):
// defined in ops/spend_otp.cpp over store/otp_store.*. Private to central_core.

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

/// A kiosk's request for a code (POST /v1/otp): forgets events older than the rate-limit window, then
/// refuses while (phone, kiosk, use.scope) is locked out by wrong codes or a request limit is reached
/// (429 otp_locked / rate_limited with Retry-After), else issues a fresh code as issueOtp does.
/// `use.code` is ignored. In the caller's open transaction of `c`.
[[nodiscard]] std::expected<IssuedOtp, ApiError> issueLimitedOtp(Connection& c, const OtpUse& use,
                                                                 const std::string& otpKey);

/// Withdraws the code `use.code` of (use.e164, use.kiosk), if it is still the outstanding one (a code
/// the shopper never received). Best effort, in its own statement.
void withdrawOtp(Database& db, const OtpUse& use, const std::string& otpKey);

}  // namespace central
