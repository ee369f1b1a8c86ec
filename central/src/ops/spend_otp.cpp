// The one-time code gate (spend_otp.hpp): codes are kept as keyed hashes, tried a few times, locked
// out after repeated wrong codes and rate-limited per phone, kiosk and both, over a sliding window.

#include "spend_otp.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "ops/secrets.hpp"
#include "store/otp_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr loyalty::UnixSeconds kOtpLifetime = 300;
constexpr std::int64_t kOtpTries = 5;
constexpr loyalty::UnixSeconds kOtpWindow = 15 * 60;  ///< rate limits and lockout look this far back
constexpr std::int64_t kOtpRequestsPerPhoneAtKiosk = 3;
constexpr std::int64_t kOtpRequestsPerPhone = 10;
constexpr std::int64_t kOtpRequestsPerKiosk = 30;
constexpr std::int64_t kOtpFailuresBeforeLock = 5;

/// A keyed BLAKE2b of the code with the phone and kiosk it was issued for: equal codes of two phones
/// do not share a hash, and without the server's OTP key a stolen database does not give a live code
/// away (a plain hash of 10^6 codes falls in under a second).
std::string otpHash(const std::string& key, const std::string& phone, const std::string& kiosk,
                    std::string_view code) {
    const std::string input = phone + "\n" + kiosk + "\n" + std::string(code);
    std::array<unsigned char, crypto_generichash_BYTES> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
    std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
    return hex.data();
}

ApiError locked(std::string_view code, loyalty::UnixSeconds retryAfter) {
    auto e = apiError(code);
    e.retryAfter = static_cast<int>(std::max<loyalty::UnixSeconds>(1, retryAfter));
    return e;
}

/// The lockout of (phone, kiosk, reward) after too many wrong codes: seconds left, or 0. Failures of
/// a code bound to no reward count for every reward at that kiosk.
DbResult<loyalty::UnixSeconds> lockoutLeft(OtpStore& otps, const std::string& phone, const std::string& kiosk,
                                           const std::string& reward, loyalty::UnixSeconds now) {
    auto failures = otps.failures(phone, kiosk, reward, now - kOtpWindow);
    if (!failures) return std::unexpected(failures.error());
    if (failures->count < kOtpFailuresBeforeLock) return 0;
    return failures->at + kOtpWindow - now;
}

/// The six digits of a fresh one-time code.
std::string newOtpCode() {
    const auto n = randombytes_uniform(1'000'000);
    std::string digits = std::to_string(n);
    return std::string(6 - digits.size(), '0') + digits;
}

}  // namespace

std::expected<void, ApiError> useSpendOtp(Connection& c, const OtpUse& use, const std::string& otpKey) {
    // Only a real attempt — against an outstanding code for this scope — is counted, so bogus
    // redemptions cannot lock a member who has no code.
    OtpStore otps(c);
    const auto& kiosk = use.kiosk;
    CENTRAL_TRY(lockLeft, lockoutLeft(otps, use.e164, kiosk, use.scope, use.now));
    if (*lockLeft > 0) return std::unexpected(locked("otp_locked", *lockLeft));
    CENTRAL_TRY(stored, otps.find(use.e164, kiosk));
    const bool outstanding = *stored && (*stored)->expiresAt > use.now && (*stored)->triesLeft > 0 &&
                             ((*stored)->rewardId.empty() || (*stored)->rewardId == use.scope);
    if (!outstanding) return std::unexpected(apiError("otp_invalid", nlohmann::json{{"tries_left", 0}}));
    if (!secretEquals((*stored)->hash, otpHash(otpKey, use.e164, kiosk, use.code))) {
        // Counted, and kept (commitAnyway) so repeated guessing locks (phone, kiosk, reward).
        CENTRAL_TRY(left, otps.countFailure(use.e164, kiosk, (*stored)->rewardId, use.now));
        auto e = apiError("otp_invalid", nlohmann::json{{"tries_left", *left}});
        e.commitAnyway = true;
        return std::unexpected(e);
    }
    CENTRAL_TRY(used, otps.remove(use.e164, kiosk));
    return {};
}

DbResult<IssuedOtp> issueOtp(Connection& c, const OtpUse& use, const std::string& otpKey) {
    const auto code = newOtpCode();
    const auto expires = use.now + kOtpLifetime;
    auto issued = OtpStore(c).issue(
        use.e164, use.kiosk,
        OtpStore::Code{otpHash(otpKey, use.e164, use.kiosk, code), expires, kOtpTries, use.scope}, use.now);
    if (!issued) return std::unexpected(issued.error());
    return IssuedOtp{code, expires};
}

std::expected<IssuedOtp, ApiError> issueLimitedOtp(Connection& c, const OtpUse& use,
                                                   const std::string& otpKey) {
    OtpStore otps(c);
    const auto& [kiosk, e164, scope, code, now] = use;
    // Nothing older than the window is ever read again.
    CENTRAL_TRY(pruned, otps.prune(now - kOtpWindow, now));
    CENTRAL_TRY(lockLeft, lockoutLeft(otps, e164, kiosk, scope, now));
    if (*lockLeft > 0) return std::unexpected(locked("otp_locked", *lockLeft));
    const auto since = now - kOtpWindow;
    CENTRAL_TRY(atKiosk, otps.requestsOfPhoneAtKiosk(e164, kiosk, since));
    if (atKiosk->count >= kOtpRequestsPerPhoneAtKiosk)
        return std::unexpected(locked("otp_locked", atKiosk->at + kOtpWindow - now));
    CENTRAL_TRY(byPhone, otps.requestsOfPhone(e164, since));
    if (byPhone->count >= kOtpRequestsPerPhone)
        return std::unexpected(locked("otp_locked", byPhone->at + kOtpWindow - now));
    CENTRAL_TRY(byKiosk, otps.requestsAtKiosk(kiosk, since));
    if (byKiosk->count >= kOtpRequestsPerKiosk)
        return std::unexpected(locked("rate_limited", byKiosk->at + kOtpWindow - now));
    CENTRAL_TRY(issued, issueOtp(c, use, otpKey));
    return *issued;
}

void withdrawOtp(Database& db, const OtpUse& use, const std::string& otpKey) {
    if (auto lease = db.lease()) {
        [[maybe_unused]] const auto withdrawn =
            OtpStore(**lease).withdraw(use.e164, use.kiosk, otpHash(otpKey, use.e164, use.kiosk, use.code));
    }
}

}  // namespace central
