#pragma once
// One-time codes (otp_codes: one outstanding code per phone and kiosk, stored as a keyed hash) and
// their events (otp_events: requests and failed tries, read back over a sliding window). Every call
// runs in the caller's open transaction on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class OtpStore {
  public:
    explicit OtpStore(Connection& c) : m_c(c) {}

    struct Code {
        std::string hash;
        loyalty::UnixSeconds expiresAt = 0;
        std::int64_t triesLeft = 0;
        std::string rewardId;  ///< "" = a code for any reward
    };
    /// Events of one kind in a window: how many, and the oldest (requests) or newest (failures) time.
    struct Window {
        std::int64_t count = 0;
        loyalty::UnixSeconds at = 0;
    };

    [[nodiscard]] DbResult<std::optional<Code>> find(const std::string& phone, const std::string& kiosk);
    /// Failed tries of (phone, kiosk) for `reward` or for no reward, after `since`; `at` = the newest.
    [[nodiscard]] DbResult<Window> failures(const std::string& phone, const std::string& kiosk,
                                            const std::string& reward, loyalty::UnixSeconds since);
    /// Code requests after `since`, `at` = the oldest: of the phone at the kiosk, of the phone
    /// anywhere, of anyone at the kiosk.
    [[nodiscard]] DbResult<Window> requestsOfPhoneAtKiosk(const std::string& phone, const std::string& kiosk,
                                                          loyalty::UnixSeconds since);
    [[nodiscard]] DbResult<Window> requestsOfPhone(const std::string& phone, loyalty::UnixSeconds since);
    [[nodiscard]] DbResult<Window> requestsAtKiosk(const std::string& kiosk, loyalty::UnixSeconds since);
    /// One wrong code: a try less on the outstanding code and a 'fail' event. The tries left.
    [[nodiscard]] DbResult<std::int64_t> countFailure(const std::string& phone, const std::string& kiosk,
                                                      const std::string& reward, loyalty::UnixSeconds now);
    /// The code was used: it is gone.
    [[nodiscard]] DbResult<void> remove(const std::string& phone, const std::string& kiosk);
    /// Withdraws the code of `hash` only (a code the shopper never received).
    [[nodiscard]] DbResult<void> withdraw(const std::string& phone, const std::string& kiosk,
                                          const std::string& hash);
    /// Forgets events at or before `eventsUntil` and codes expired at `now`.
    [[nodiscard]] DbResult<void> prune(loyalty::UnixSeconds eventsUntil, loyalty::UnixSeconds now);
    /// Replaces the outstanding code of (phone, kiosk) and records the request.
    [[nodiscard]] DbResult<void> issue(const std::string& phone, const std::string& kiosk, const Code& code,
                                       loyalty::UnixSeconds now);

  private:
    [[nodiscard]] DbResult<Window> requests(const char* where, std::initializer_list<Param> params);
    Connection& m_c;
};

}  // namespace central
