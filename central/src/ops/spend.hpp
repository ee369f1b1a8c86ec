#pragma once
// Spending (docs/api.md "POST /v1/otp", "POST /v1/redemptions", "POST /v1/vouchers/{code}/consume"):
// a one-time code sent to the member's phone, a reward redeemed with it for a signed voucher, the
// voucher consumed once at the POS. Typed requests in, typed outcomes out: no SQL (store/), no JSON
// (api/spend_api.cpp). How a spend holds across processes is told at the top of spend.cpp. Private to
// central_core.
//
// Threads: any number at once; every call BLOCKS on the database (requestOtp also on the notifier).

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/otp_notifier.hpp"
#include "central/service.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/reward.hpp"
#include "loyalty/signing.hpp"
#include "loyalty/voucher.hpp"

namespace central {

/// A code asked for `phone`, bound to one reward or to none.
struct OtpRequest {
    loyalty::PhoneNumber phone;
    std::optional<std::string> rewardId;
};
/// A request as read from its body: its fields, or why they were refused (answered as they are, after
/// the caller is checked).
using OtpInput = std::expected<OtpRequest, ApiError>;
/// The code is on its way to the member.
struct OtpSent {
    loyalty::UnixSeconds expiresIn = 0;  ///< seconds
    std::string maskedPhone;
    loyalty::UnixSeconds at = 0;  ///< server time
};

struct RedeemRequest {
    std::string key;  ///< idempotency key, 1-64 of [A-Za-z0-9_-]
    loyalty::PhoneNumber phone;
    std::string rewardId;
    std::string otp;  ///< as typed
};
using RedeemInput = std::expected<RedeemRequest, ApiError>;
/// A voucher issued now.
struct VoucherIssued {
    loyalty::Reward reward;
    loyalty::Voucher voucher;
    std::string qrPayload;  ///< signed with the voucher key
    std::string maskedPhone;
    loyalty::Points balance = 0;  ///< left after the cost
    loyalty::UnixSeconds at = 0;
};
/// A retry of an earlier redemption: its first answer as stored, in the API's encoding.
struct RedeemReplay {
    std::string answer;
};
using RedeemOutcome = std::variant<VoucherIssued, RedeemReplay>;

/// Where a voucher is consumed: a store of the chain (a kiosk's own; the admin token names any or
/// none), with the POS's reference.
struct ConsumeRequest {
    std::optional<std::string> store;
    std::optional<std::string> reference;
};
using ConsumeInput = std::expected<ConsumeRequest, ApiError>;
struct VoucherConsumed {
    std::string code;
    std::int64_t valueDong = 0;
    std::string rewardId;
    loyalty::UnixSeconds at = 0;
};

class SpendOps {
  public:
    using CatalogSource = std::function<std::expected<std::shared_ptr<const Catalog>, ApiError>()>;
    /// The stored form of a redemption's answer, replayed as it is to a retry (the API's codec).
    /// Called inside the redemption's transaction, possibly more than once (a retried transaction).
    using AnswerCodec = std::function<std::string(const VoucherIssued&)>;
    struct Secrets {
        std::string otpKey;  ///< keys the stored hash of every code (spend_otp.hpp)
        loyalty::SigningKeyPair voucherKeys;
    };
    /// `db`, `clock` and `notifier` must outlive this.
    SpendOps(Database& db, const loyalty::Clock& clock, CatalogSource catalog, Secrets secrets,
             OtpNotifier& notifier);

    /// A kiosk asks a code for a member (404 for no such member or reward; 429 while locked out or
    /// rate-limited); 503 notifier_unavailable when it could not be sent (the code is withdrawn).
    [[nodiscard]] std::expected<OtpSent, ApiError> requestOtp(const Caller& caller, const OtpInput& input);
    /// A kiosk redeems a reward with the member's code: the first answer of this key again, or a new
    /// voucher paid from the balance (points past expiry expired first).
    [[nodiscard]] std::expected<RedeemOutcome, ApiError> redeem(const Caller& caller,
                                                                const RedeemInput& input,
                                                                const AnswerCodec& encode);
    /// The POS consumes the voucher of `codeText` once, before it expires.
    [[nodiscard]] std::expected<VoucherConsumed, ApiError> consume(const Caller& caller,
                                                                   std::string_view codeText,
                                                                   const ConsumeInput& input);

  private:
    Database& m_db;
    const loyalty::Clock& m_clock;
    CatalogSource m_catalog;
    Secrets m_secrets;
    OtpNotifier& m_notifier;
};

}  // namespace central
