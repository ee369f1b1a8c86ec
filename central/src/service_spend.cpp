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

#include "loyalty/phone.hpp"
#include "loyalty/voucher.hpp"
#include "service_util.hpp"

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
DbResult<loyalty::UnixSeconds> lockoutLeft(Connection& c, const std::string& phone, const std::string& kiosk,
                                           const std::string& reward, loyalty::UnixSeconds now) {
    auto rows = c.query(
        "SELECT COUNT(*), MAX(at) FROM otp_events WHERE phone = $1 AND kiosk_id = $2 AND "
        "kind = 'fail' AND (reward_id = $3 OR reward_id = '') AND at > $4",
        {phone, kiosk, reward, now - kOtpWindow});
    if (!rows) return std::unexpected(rows.error());
    if (rows->front().integer(0) < kOtpFailuresBeforeLock) return 0;
    return rows->front().integer(1) + kOtpWindow - now;
}

/// Code requests matching `where` (after kind = 'request'): their count and the oldest one's time.
DbResult<Rows> countRequests(Connection& c, const std::string& where, const std::vector<Param>& params) {
    return c.query("SELECT COUNT(*), MIN(at) FROM otp_events WHERE kind = 'request' AND " + where, params);
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
    const std::string code = [] {
        const auto n = randombytes_uniform(1'000'000);
        std::string digits = std::to_string(n);
        return std::string(6 - digits.size(), '0') + digits;
    }();
    const std::string hash = otpHash(m_options.otpKey, e164, kiosk, code);
    auto issued = transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(
            member,
            c.query("UPDATE members SET balance = balance WHERE phone = $1 RETURNING member_id", {e164}));
        if (member->empty()) return std::unexpected(apiError("not_found"));
        // Nothing older than the window is ever read again.
        CENTRAL_TRY(pruned, c.query("DELETE FROM otp_events WHERE at <= $1", {now - kOtpWindow}));
        CENTRAL_TRY(expired, c.query("DELETE FROM otp_codes WHERE expires_at <= $1", {now}));
        CENTRAL_TRY(lockLeft, lockoutLeft(c, e164, kiosk, reward, now));
        if (*lockLeft > 0) return std::unexpected(locked("otp_locked", *lockLeft));
        const Param since = now - kOtpWindow;
        CENTRAL_TRY(atKiosk,
                    countRequests(c, "phone = $1 AND kiosk_id = $2 AND at > $3", {e164, kiosk, since}));
        if (atKiosk->front().integer(0) >= kOtpRequestsPerPhoneAtKiosk)
            return std::unexpected(locked("otp_locked", atKiosk->front().integer(1) + kOtpWindow - now));
        CENTRAL_TRY(byPhone, countRequests(c, "phone = $1 AND at > $2", {e164, since}));
        if (byPhone->front().integer(0) >= kOtpRequestsPerPhone)
            return std::unexpected(locked("otp_locked", byPhone->front().integer(1) + kOtpWindow - now));
        CENTRAL_TRY(byKiosk, countRequests(c, "kiosk_id = $1 AND at > $2", {kiosk, since}));
        if (byKiosk->front().integer(0) >= kOtpRequestsPerKiosk)
            return std::unexpected(locked("rate_limited", byKiosk->front().integer(1) + kOtpWindow - now));
        CENTRAL_TRY(saved,
                    c.query("INSERT INTO otp_codes (phone, kiosk_id, reward_id, code_hash, expires_at, "
                            "tries_left) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (phone, kiosk_id) DO "
                            "UPDATE SET reward_id = excluded.reward_id, code_hash = excluded.code_hash, "
                            "expires_at = excluded.expires_at, tries_left = excluded.tries_left",
                            {e164, kiosk, reward, hash, now + kOtpLifetime, kOtpTries}));
        CENTRAL_TRY(event,
                    c.query("INSERT INTO otp_events (phone, kiosk_id, reward_id, kind, at) VALUES ($1, "
                            "$2, $3, 'request', $4)",
                            {e164, kiosk, reward, now}));
        return Json::object();
    });
    if (!issued) return issued;
    if (auto sent = m_notifier->send(OtpMessage{e164, code, now + kOtpLifetime, kiosk}); !sent) {
        // The shopper never got it: withdraw the code (best effort; it expires anyway).
        if (auto lease = m_db.lease())
            (void)(*lease)->query(
                "DELETE FROM otp_codes WHERE phone = $1 AND kiosk_id = $2 AND code_hash = $3",
                {e164, kiosk, hash});
        auto e = apiError("notifier_unavailable");
        e.messageEn += " (" + sent.error() + ")";
        return std::unexpected(e);
    }
    return Json{{"expires_in", kOtpLifetime}, {"masked", phone->masked()}, {"server_time", now}};
}

JsonResult Service::redeem(const Caller& caller, const Json& body) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
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
    const std::string e164 = phone->e164();
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto rewardIt = (*loaded)->rewards.find(*rewardId);
    if (rewardIt == (*loaded)->rewards.end()) return std::unexpected(apiError("not_found"));
    const loyalty::Reward& catalogReward = rewardIt->second;
    const auto now = m_clock.now();

    auto replay = [&](Connection& c) -> std::optional<JsonResult> {
        auto rows = c.query(
            "SELECT v.result, v.reward_id, m.phone, v.kiosk_id FROM vouchers v JOIN members m ON "
            "m.member_id = v.member_id WHERE v.idempotency_key = $1",
            {*key});
        if (!rows) return JsonResult(std::unexpected(storageError(rows.error())));
        if (rows->empty()) return std::nullopt;
        const auto& row = rows->front();
        // The voucher goes back only to the kiosk it was issued at: another kiosk that learnt the key
        // learns nothing.
        if (row.text(1) != *rewardId || row.text(2) != e164 || row.text(3) != caller.kioskId)
            return JsonResult(std::unexpected(apiError("idempotency_conflict")));
        auto result = Json::parse(row.text(0), nullptr, false);
        if (result.is_discarded()) return JsonResult(std::unexpected(apiError("internal")));
        result["replayed"] = true;
        return JsonResult(std::move(result));
    };

    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(
            member,
            c.query("UPDATE members SET balance = balance WHERE phone = $1 RETURNING member_id, balance",
                    {e164}));
        if (member->empty()) return std::unexpected(apiError("not_found"));
        if (auto earlier = replay(c)) return *earlier;
        const auto memberId = member->front().integer(0);
        // Points past their expiry cannot be spent: expire them first (FIFO lots, loyalty's rule).
        CENTRAL_TRY(expired, expireDuePoints(c, memberId, (*loaded)->campaign.pointsExpiryMonths, now, true));
        const auto balance = member->front().integer(1) - *expired;

        // The one-time code of this phone at this kiosk: not locked, outstanding, for this reward (or
        // for none), matching. Only a real attempt — against an outstanding code for this reward — is
        // counted, so bogus redemptions cannot lock a member who has no code.
        CENTRAL_TRY(lockLeft, lockoutLeft(c, e164, caller.kioskId, *rewardId, now));
        if (*lockLeft > 0) return std::unexpected(locked("otp_locked", *lockLeft));
        CENTRAL_TRY(stored,
                    c.query("SELECT code_hash, expires_at, tries_left, reward_id FROM otp_codes WHERE "
                            "phone = $1 AND kiosk_id = $2",
                            {e164, caller.kioskId}));
        const bool outstanding = !stored->empty() && stored->front().integer(1) > now &&
                                 stored->front().integer(2) > 0 &&
                                 (stored->front().text(3).empty() || stored->front().text(3) == *rewardId);
        if (!outstanding) return std::unexpected(apiError("otp_invalid", Json{{"tries_left", 0}}));
        if (!secretEquals(stored->front().text(0), otpHash(m_options.otpKey, e164, caller.kioskId, *otp))) {
            // Counted, and kept (commitAnyway) so repeated guessing locks (phone, kiosk, reward).
            CENTRAL_TRY(dec, c.query("UPDATE otp_codes SET tries_left = tries_left - 1 WHERE phone = $1 AND "
                                     "kiosk_id = $2 AND tries_left > 0 RETURNING tries_left",
                                     {e164, caller.kioskId}));
            CENTRAL_TRY(ev,
                        c.query("INSERT INTO otp_events (phone, kiosk_id, reward_id, kind, at) VALUES ($1, "
                                "$2, $3, 'fail', $4)",
                                {e164, caller.kioskId, stored->front().text(3), now}));
            auto e =
                apiError("otp_invalid", Json{{"tries_left", dec->empty() ? 0 : dec->front().integer(0)}});
            e.commitAnyway = true;
            return std::unexpected(e);
        }
        CENTRAL_TRY(used, c.query("DELETE FROM otp_codes WHERE phone = $1 AND kiosk_id = $2",
                                  {e164, caller.kioskId}));

        CENTRAL_TRY(rewardRow, c.query("SELECT stock FROM rewards WHERE reward_id = $1", {*rewardId}));
        if (rewardRow->empty()) return std::unexpected(apiError("not_found"));
        CENTRAL_TRY(count, c.query("SELECT COUNT(*) FROM vouchers WHERE member_id = $1 AND reward_id = $2",
                                   {memberId, *rewardId}));
        loyalty::Reward reward = catalogReward;
        if (auto stock = rewardRow->front().optionalInteger(0))
            reward.stock = static_cast<std::uint32_t>(*stock);
        else
            reward.stock.reset();
        if (auto ok = loyalty::checkRedeemable(reward, balance,
                                               static_cast<std::uint32_t>(count->front().integer(0)), now);
            !ok) {
            auto e = domainError(refusalStatus(ok.error()), loyalty::redeemRefusalCode(ok.error()),
                                 loyalty::describe(ok.error()));
            if (ok.error() == loyalty::RedeemRefusal::InsufficientPoints)
                e.details = Json{{"balance", balance}, {"cost", reward.cost}};
            return std::unexpected(e);
        }
        if (reward.stock) {
            CENTRAL_TRY(taken,
                        c.query("UPDATE rewards SET stock = stock - 1 WHERE reward_id = $1 AND stock > 0 "
                                "RETURNING stock",
                                {*rewardId}));
            if (taken->empty())
                return std::unexpected(
                    domainError(409, loyalty::redeemRefusalCode(loyalty::RedeemRefusal::OutOfStock),
                                loyalty::describe(loyalty::RedeemRefusal::OutOfStock)));
        }
        CENTRAL_TRY(
            spent, c.query("UPDATE members SET balance = balance - $1 WHERE member_id = $2 AND balance >= $1 "
                           "RETURNING balance",
                           {reward.cost, memberId}));
        if (spent->empty())
            return std::unexpected(domainError(409, "reward_insufficient_points", "not enough points"));

        // A fresh code; on the rare collision with an existing one, draw again.
        for (int attempt = 0; attempt < 5; ++attempt) {
            std::array<std::uint8_t, loyalty::kVoucherCodeRandomBytes> random{};
            randombytes_buf(random.data(), random.size());
            const auto code = loyalty::makeVoucherCode(random);
            const auto voucher = loyalty::issueVoucher(reward, code, now, *phone);
            auto payload = loyalty::encodeVoucherPayload(voucher, m_voucherKeys);
            if (!payload) return std::unexpected(apiError("internal"));
            Json result{{"voucher",
                         {{"code", code.text()},
                          {"qr_payload", *payload},
                          {"reward_id", reward.id},
                          {"name_vi", reward.name.vi},
                          {"name_en", reward.name.en},
                          {"value_dong", reward.value.value},
                          {"points_spent", reward.cost},
                          {"issued_at", now},
                          {"expires_at", voucher.expiresAt},
                          {"terms", reward.terms.vi},
                          {"terms_en", reward.terms.en},
                          {"masked_phone", phone->masked()}}},
                        {"balance", spent->front().integer(0)},
                        {"server_time", now}};
            CENTRAL_TRY(
                inserted,
                c.query("INSERT INTO vouchers (code, idempotency_key, reward_id, member_id, kiosk_id, "
                        "value_dong, points_spent, issued_at, expires_at, result) VALUES ($1, $2, $3, "
                        "$4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING code",
                        {code.text(), *key, reward.id, memberId, caller.kioskId, reward.value.value,
                         reward.cost, now, voucher.expiresAt, result.dump()}));
            if (inserted->empty()) {
                // Same idempotency key committed by a concurrent request: the member lock makes
                // this unreachable, but never hand out a second voucher for one key.
                if (auto earlier = replay(c)) return std::unexpected(apiError("storage_unavailable"));
                continue;
            }
            CENTRAL_TRY(
                entry, c.query("INSERT INTO ledger (member_id, kind, points, at, idempotency_key, reference, "
                               "store_id, kiosk_id) VALUES ($1, 'redeem', $2, $3, $4, $5, $6, $7)",
                               {memberId, -reward.cost, now, "redeem:" + *key, code.text(), caller.store,
                                caller.kioskId}));
            result["replayed"] = false;
            return result;
        }
        return std::unexpected(apiError("storage_unavailable"));
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
        CENTRAL_TRY(known, (*lease)->query("SELECT 1 FROM stores WHERE store_id = $1", {**store}));
        if (known->empty()) return std::unexpected(domainError(422, "store_unknown", "no such store"));
        if (caller.kind == Caller::Kind::Kiosk && **store != caller.store)
            return std::unexpected(apiError("forbidden"));
    }
    const std::string where = store->value_or(caller.store);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(
            done,
            c.query("UPDATE vouchers SET consumed_at = $1, consumed_store = $2, consumed_reference = $3 "
                    "WHERE code = $4 AND consumed_at IS NULL AND expires_at > $1 "
                    "RETURNING value_dong, reward_id",
                    {now, where, reference->value_or(""), code->text()}));
        if (!done->empty())
            return Json{{"code", code->text()},
                        {"value_dong", done->front().integer(0)},
                        {"reward_id", done->front().text(1)},
                        {"consumed_at", now},
                        {"server_time", now}};
        CENTRAL_TRY(row,
                    c.query("SELECT consumed_at, expires_at FROM vouchers WHERE code = $1", {code->text()}));
        if (row->empty()) return std::unexpected(apiError("not_found"));
        if (!row->front().isNull(0))
            return std::unexpected(
                apiError("voucher_already_consumed", Json{{"consumed_at", row->front().integer(0)}}));
        return std::unexpected(apiError("voucher_expired", Json{{"expires_at", row->front().integer(1)}}));
    });
}

}  // namespace central
