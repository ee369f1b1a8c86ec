// Service: one-time codes, redemptions and voucher consumption.
//
// Spending is decided by conditional updates inside one transaction, so it holds across processes:
//   - the member row is locked first (UPDATE members SET balance = balance …: a row lock on
//     PostgreSQL, the write lock on SQLite), which serialises everything about one member — OTP tries,
//     per-member limits, balance;
//   - stock:   UPDATE rewards  SET stock = stock - 1       WHERE … AND stock > 0
//   - balance: UPDATE members  SET balance = balance - cost WHERE … AND balance >= cost
//   - consume: UPDATE vouchers SET consumed_at = now        WHERE … AND consumed_at IS NULL
// An update that changes no row is the refusal. The balance also has CHECK (balance >= 0).

#include <sodium.h>

#include <array>

#include "api/json_fields.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/voucher.hpp"
#include "ops/catalog.hpp"
#include "ops/secrets.hpp"
#include "spend_otp.hpp"
#include "store/ledger_store.hpp"
#include "store/member_store.hpp"
#include "store/otp_store.hpp"
#include "store/transaction.hpp"
#include "store/voucher_store.hpp"

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

ApiError locked(std::string code, loyalty::UnixSeconds retryAfter) {
    auto e = apiError(code);
    e.retryAfter = static_cast<int>(std::max<loyalty::UnixSeconds>(1, retryAfter));
    return e;
}

int refusalStatus(loyalty::RedeemRefusal refusal) {
    switch (refusal) {
        case loyalty::RedeemRefusal::NotYetAvailable:
        case loyalty::RedeemRefusal::NoLongerAvailable:
            return 410;
        default:
            return 409;
    }
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

/// A redemption as the kiosk asked for it.
struct RedeemRequest {
    std::string key;
    loyalty::PhoneNumber phone;
    std::string rewardId;
    std::string otp;
};

std::expected<RedeemRequest, ApiError> readRedeemRequest(const Json& body) {
    auto key = requireString(body, "idempotency_key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    auto phoneText = requireString(body, "phone", 32);
    if (!phoneText) return std::unexpected(phoneText.error());
    auto rewardId = requireString(body, "reward_id", 64);
    if (!rewardId) return std::unexpected(rewardId.error());
    auto otp = requireString(body, "otp", 16);
    if (!otp) return std::unexpected(otp.error());
    auto phone = parsePhoneField(*phoneText);
    if (!phone) return std::unexpected(phone.error());
    return RedeemRequest{std::move(*key), std::move(*phone), std::move(*rewardId), std::move(*otp)};
}

ApiError refusal(loyalty::RedeemRefusal why) {
    return domainError(refusalStatus(why), loyalty::redeemRefusalCode(why), loyalty::describe(why));
}

}  // namespace

JsonResult Service::requestOtp(const Caller& caller, const Json& body) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    auto phoneText = requireString(body, "phone", 32);
    if (!phoneText) return std::unexpected(phoneText.error());
    auto phone = parsePhoneField(*phoneText);
    if (!phone) return std::unexpected(phone.error());
    auto rewardId = optionalString(body, "reward_id", 64);
    if (!rewardId) return std::unexpected(rewardId.error());
    const std::string reward = rewardId->value_or("");
    if (!reward.empty()) {
        auto loaded = catalog();
        if (!loaded) return std::unexpected(loaded.error());
        if (!(*loaded)->rewards.contains(reward)) return std::unexpected(apiError("not_found"));
    }
    const std::string e164 = phone->e164();
    const std::string& kiosk = caller.kioskId;
    const auto now = m_clock.now();
    const std::string code = newOtpCode();
    const std::string hash = otpHash(m_options.otpKey, e164, kiosk, code);
    auto issued = transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(member, MemberStore(c).lock(e164));
        if (!*member) return std::unexpected(apiError("not_found"));
        OtpStore otps(c);
        // Nothing older than the window is ever read again.
        CENTRAL_TRY(pruned, otps.prune(now - kOtpWindow, now));
        CENTRAL_TRY(lockLeft, lockoutLeft(otps, e164, kiosk, reward, now));
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
        CENTRAL_TRY(
            saved, otps.issue(e164, kiosk, OtpStore::Code{hash, now + kOtpLifetime, kOtpTries, reward}, now));
        return Json::object();
    });
    if (!issued) return issued;
    if (auto sent = m_notifier->send(OtpMessage{e164, code, now + kOtpLifetime, kiosk}); !sent) {
        // The shopper never got it: withdraw the code (best effort; it expires anyway).
        if (auto lease = m_db.lease()) {
            [[maybe_unused]] const auto withdrawn = OtpStore(**lease).withdraw(e164, kiosk, hash);
        }
        auto e = apiError("notifier_unavailable");
        e.messageEn += " (" + sent.error() + ")";
        return std::unexpected(e);
    }
    return Json{{"expires_in", kOtpLifetime}, {"masked", phone->masked()}, {"server_time", now}};
}

namespace {

/// One redemption inside its transaction: who asks, for what, and when.
struct Redemption {
    const Caller& caller;
    const RedeemRequest& request;
    std::string e164;
    loyalty::UnixSeconds now;
};

/// The answer given earlier to the same idempotency key — to the same kiosk, phone and reward only.
std::optional<JsonResult> replayRedemption(VoucherStore& vouchers, const Redemption& r) {
    auto earlier = vouchers.findByKey(r.request.key);
    if (!earlier) return JsonResult(std::unexpected(storageError(earlier.error())));
    if (!*earlier) return std::nullopt;
    const auto& issued = **earlier;
    // The voucher goes back only to the kiosk it was issued at: another kiosk that learnt the key
    // learns nothing.
    if (issued.rewardId != r.request.rewardId || issued.phoneE164 != r.e164 ||
        issued.kioskId != r.caller.kioskId)
        return JsonResult(std::unexpected(apiError("idempotency_conflict")));
    auto result = Json::parse(issued.result, nullptr, false);
    if (result.is_discarded()) return JsonResult(std::unexpected(apiError("internal")));
    result["replayed"] = true;
    return JsonResult(std::move(result));
}

/// The one-time code of this phone at this kiosk: not locked, outstanding, for this reward (or for
/// none), matching; used up when it matches. Only a real attempt — against an outstanding code for
/// this reward — is counted, so bogus redemptions cannot lock a member who has no code. `scope` is the
/// reward id (or what else is bought, as "game:<id>").
std::expected<void, ApiError> useOtp(OtpStore& otps, const OtpUse& use, const std::string& otpKey) {
    const auto& kiosk = use.kiosk;
    CENTRAL_TRY(lockLeft, lockoutLeft(otps, use.e164, kiosk, use.scope, use.now));
    if (*lockLeft > 0) return std::unexpected(locked("otp_locked", *lockLeft));
    CENTRAL_TRY(stored, otps.find(use.e164, kiosk));
    const bool outstanding = *stored && (*stored)->expiresAt > use.now && (*stored)->triesLeft > 0 &&
                             ((*stored)->rewardId.empty() || (*stored)->rewardId == use.scope);
    if (!outstanding) return std::unexpected(apiError("otp_invalid", Json{{"tries_left", 0}}));
    if (!secretEquals((*stored)->hash, otpHash(otpKey, use.e164, kiosk, use.code))) {
        // Counted, and kept (commitAnyway) so repeated guessing locks (phone, kiosk, reward).
        CENTRAL_TRY(left, otps.countFailure(use.e164, kiosk, (*stored)->rewardId, use.now));
        auto e = apiError("otp_invalid", Json{{"tries_left", *left}});
        e.commitAnyway = true;
        return std::unexpected(e);
    }
    CENTRAL_TRY(used, otps.remove(use.e164, kiosk));
    return {};
}

/// The reward as it stands now (its stock read in this transaction), if loyalty's rules let this
/// member redeem it with `balance`.
std::expected<loyalty::Reward, ApiError> redeemableReward(VoucherStore& vouchers, const Redemption& r,
                                                          const loyalty::Reward& catalogReward,
                                                          std::int64_t memberId, loyalty::Points balance) {
    CENTRAL_TRY(stock, vouchers.stockOf(r.request.rewardId));
    if (!*stock) return std::unexpected(apiError("not_found"));
    CENTRAL_TRY(count, vouchers.countOf(memberId, r.request.rewardId));
    loyalty::Reward reward = catalogReward;
    if (**stock)
        reward.stock = static_cast<std::uint32_t>(***stock);
    else
        reward.stock.reset();
    if (auto ok = loyalty::checkRedeemable(reward, balance, *count, r.now); !ok) {
        auto e = refusal(ok.error());
        if (ok.error() == loyalty::RedeemRefusal::InsufficientPoints)
            e.details = Json{{"balance", balance}, {"cost", reward.cost}};
        return std::unexpected(e);
    }
    return reward;
}

/// Takes the reward from the stock and its cost from the balance; each is a conditional update, so
/// a concurrent redemption that got there first is a refusal here. The balance left.
std::expected<loyalty::Points, ApiError> pay(Connection& c, const loyalty::Reward& reward,
                                             std::int64_t memberId) {
    if (reward.stock) {
        CENTRAL_TRY(taken, VoucherStore(c).takeFromStock(reward.id));
        if (!*taken) return std::unexpected(refusal(loyalty::RedeemRefusal::OutOfStock));
    }
    CENTRAL_TRY(left, MemberStore(c).spend(memberId, reward.cost));
    if (!*left) return std::unexpected(domainError(409, "reward_insufficient_points", "not enough points"));
    return **left;
}

Json voucherAnswer(const Redemption& r, const loyalty::Reward& reward, const loyalty::Voucher& voucher,
                   const std::string& payload, loyalty::Points balance) {
    return Json{{"voucher",
                 {{"code", voucher.code.text()},
                  {"qr_payload", payload},
                  {"reward_id", reward.id},
                  {"name_vi", reward.name.vi},
                  {"name_en", reward.name.en},
                  {"value_dong", reward.value.value},
                  {"points_spent", reward.cost},
                  {"issued_at", r.now},
                  {"expires_at", voucher.expiresAt},
                  {"terms", reward.terms.vi},
                  {"terms_en", reward.terms.en},
                  {"masked_phone", r.request.phone.masked()}}},
                {"balance", balance},
                {"server_time", r.now}};
}

/// Issues the voucher: a fresh code (drawn again on the rare collision with an existing one), signed,
/// stored with its answer for replays, and the redeem entry in the ledger.
JsonResult issueVoucher(Connection& c, const Redemption& r, const loyalty::Reward& reward,
                        std::int64_t memberId, loyalty::Points balance, const loyalty::SigningKeyPair& keys) {
    VoucherStore vouchers(c);
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::array<std::uint8_t, loyalty::kVoucherCodeRandomBytes> random{};
        randombytes_buf(random.data(), random.size());
        const auto code = loyalty::makeVoucherCode(random);
        const auto voucher = loyalty::issueVoucher(reward, code, r.now, r.request.phone);
        auto payload = loyalty::encodeVoucherPayload(voucher, keys);
        if (!payload) return std::unexpected(apiError("internal"));
        Json result = voucherAnswer(r, reward, voucher, *payload, balance);
        CENTRAL_TRY(inserted, vouchers.insert(VoucherStore::New{
                                  code.text(), r.request.key, reward.id, memberId, r.caller.kioskId,
                                  reward.value.value, reward.cost, r.now, voucher.expiresAt, result.dump()}));
        if (!*inserted) {
            // Same idempotency key committed by a concurrent request: the member lock makes this
            // unreachable, but never hand out a second voucher for one key.
            if (replayRedemption(vouchers, r)) return std::unexpected(apiError("storage_unavailable"));
            continue;
        }
        const loyalty::LedgerEntry entry{
            "redeem:" + r.request.key, loyalty::EntryKind::Redeem, -reward.cost, r.now, code.text(), false};
        CENTRAL_TRY(appended, appendEntry(c, memberId, entry, r.caller.store, r.caller.kioskId));
        result["replayed"] = false;
        return result;
    }
    return std::unexpected(apiError("storage_unavailable"));
}

}  // namespace

std::expected<void, ApiError> useSpendOtp(Connection& c, const OtpUse& use, const std::string& otpKey) {
    OtpStore otps(c);
    return useOtp(otps, use, otpKey);
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

JsonResult Service::redeem(const Caller& caller, const Json& body) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    auto request = readRedeemRequest(body);
    if (!request) return std::unexpected(request.error());
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto rewardIt = (*loaded)->rewards.find(request->rewardId);
    if (rewardIt == (*loaded)->rewards.end()) return std::unexpected(apiError("not_found"));
    const Redemption r{caller, *request, request->phone.e164(), m_clock.now()};
    const unsigned expiryMonths = (*loaded)->campaign.pointsExpiryMonths;
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(member, MemberStore(c).lock(r.e164));
        if (!*member) return std::unexpected(apiError("not_found"));
        VoucherStore vouchers(c);
        if (auto earlier = replayRedemption(vouchers, r)) return *earlier;
        const auto memberId = (*member)->memberId;
        // Points past their expiry cannot be spent: expire them first (FIFO lots, loyalty's rule).
        CENTRAL_TRY(expired, expireDuePoints(c, memberId, expiryMonths, r.now, true));
        OtpStore otps(c);
        const OtpUse use{r.caller.kioskId, r.e164, r.request.rewardId, r.request.otp, r.now};
        if (auto otp = useOtp(otps, use, m_options.otpKey); !otp) return std::unexpected(otp.error());
        auto reward =
            redeemableReward(vouchers, r, rewardIt->second, memberId, (*member)->balance - *expired);
        if (!reward) return std::unexpected(reward.error());
        auto balance = pay(c, *reward, memberId);
        if (!balance) return std::unexpected(balance.error());
        return issueVoucher(c, r, *reward, memberId, *balance, m_voucherKeys);
    });
}

JsonResult Service::consumeVoucher(const Caller& caller, std::string_view codeText, const Json& body) {
    auto code = loyalty::parseVoucherCode(codeText.substr(0, 64));
    if (!code)
        return std::unexpected(
            domainError(400, loyalty::voucherCodeErrorCode(code.error()), loyalty::describe(code.error())));
    auto store = optionalString(body, "store", 16);
    if (!store) return std::unexpected(store.error());
    auto reference = optionalString(body, "reference", 64);
    if (!reference) return std::unexpected(reference.error());
    // Bound to the store: a kiosk (the store's POS credential) consumes at its own store only; the
    // admin token names a store that exists, or none.
    if (*store) {
        auto lease = m_db.lease();
        if (!lease) return std::unexpected(storageError(lease.error()));
        CENTRAL_TRY(known, VoucherStore(**lease).storeExists(**store));
        if (!*known) return std::unexpected(domainError(422, "store_unknown", "no such store"));
        if (caller.kind == Caller::Kind::Kiosk && **store != caller.store)
            return std::unexpected(apiError("forbidden"));
    }
    const std::string where = store->value_or(caller.store);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> JsonResult {
        VoucherStore vouchers(c);
        CENTRAL_TRY(done, vouchers.consume(code->text(), now, where, reference->value_or("")));
        if (*done)
            return Json{{"code", code->text()},
                        {"value_dong", (*done)->valueDong},
                        {"reward_id", (*done)->rewardId},
                        {"consumed_at", now},
                        {"server_time", now}};
        CENTRAL_TRY(state, vouchers.stateOf(code->text()));
        if (!*state) return std::unexpected(apiError("not_found"));
        if ((*state)->consumedAt)
            return std::unexpected(
                apiError("voucher_already_consumed", Json{{"consumed_at", *(*state)->consumedAt}}));
        return std::unexpected(apiError("voucher_expired", Json{{"expires_at", (*state)->expiresAt}}));
    });
}

}  // namespace central
