// Spending is decided by conditional updates inside one transaction, so it holds across processes:
//   - the member row is locked first (MemberStore::lock: a row lock on PostgreSQL, the write lock on
//     SQLite), which serialises everything about one member — OTP tries, per-member limits, balance;
//   - stock:   VoucherStore::takeFromStock  (… WHERE stock > 0)
//   - balance: MemberStore::spend           (… WHERE balance >= cost; also CHECK (balance >= 0))
//   - consume: VoucherStore::consume        (… WHERE consumed_at IS NULL AND not expired)
// An update that changes no row is the refusal.

#include "ops/spend.hpp"

#include <sodium.h>

#include <array>

#include "ops/catalog.hpp"
#include "spend_otp.hpp"
#include "store/ledger_store.hpp"
#include "store/member_store.hpp"
#include "store/transaction.hpp"
#include "store/voucher_store.hpp"

namespace central {
namespace {

ApiError refusal(loyalty::RedeemRefusal why) {
    const int status =
        why == loyalty::RedeemRefusal::NotYetAvailable || why == loyalty::RedeemRefusal::NoLongerAvailable
            ? 410
            : 409;
    return domainError(status, loyalty::redeemRefusalCode(why), loyalty::describe(why));
}

/// One redemption inside its transaction: who asks, for what, and when.
struct Redemption {
    const Caller& caller;
    const RedeemRequest& request;
    std::string e164;
    loyalty::UnixSeconds now;
};

/// The answer given earlier to the same idempotency key — to the same kiosk, phone and reward only.
std::optional<std::expected<RedeemOutcome, ApiError>> replay(VoucherStore& vouchers, const Redemption& r) {
    auto earlier = vouchers.findByKey(r.request.key);
    if (!earlier) return std::unexpected(storageError(earlier.error()));
    if (!*earlier) return std::nullopt;
    const auto& issued = **earlier;
    // The voucher goes back only to the kiosk it was issued at: another kiosk that learnt the key
    // learns nothing.
    if (issued.rewardId != r.request.rewardId || issued.phoneE164 != r.e164 ||
        issued.kioskId != r.caller.kioskId)
        return std::unexpected(apiError("idempotency_conflict"));
    return RedeemReplay{issued.result};
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
            e.details = nlohmann::json{{"balance", balance}, {"cost", reward.cost}};
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

/// What a voucher is paid with and signed by.
struct Payment {
    std::int64_t memberId = 0;
    loyalty::Points balance = 0;  ///< left after the cost
    const loyalty::SigningKeyPair& keys;
};

/// Issues the voucher: a fresh code (drawn again on the rare collision with an existing one), signed,
/// stored with its answer for replays, and the redeem entry in the ledger.
std::expected<RedeemOutcome, ApiError> issue(Connection& c, const Redemption& r,
                                             const loyalty::Reward& reward, const Payment& paid,
                                             const SpendOps::AnswerCodec& encode) {
    VoucherStore vouchers(c);
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::array<std::uint8_t, loyalty::kVoucherCodeRandomBytes> random{};
        randombytes_buf(random.data(), random.size());
        const auto code = loyalty::makeVoucherCode(random);
        const auto voucher = loyalty::issueVoucher(reward, code, r.now, r.request.phone);
        auto payload = loyalty::encodeVoucherPayload(voucher, paid.keys);
        if (!payload) return std::unexpected(apiError("internal"));
        VoucherIssued issued{reward,       voucher, std::move(*payload), r.request.phone.masked(),
                             paid.balance, r.now};
        CENTRAL_TRY(inserted,
                    vouchers.insert(VoucherStore::New{code.text(), r.request.key, reward.id, paid.memberId,
                                                      r.caller.kioskId, reward.value.value, reward.cost,
                                                      r.now, voucher.expiresAt, encode(issued)}));
        if (!*inserted) {
            // Same idempotency key committed by a concurrent request: the member lock makes this
            // unreachable, but never hand out a second voucher for one key.
            if (replay(vouchers, r)) return std::unexpected(apiError("storage_unavailable"));
            continue;
        }
        const loyalty::LedgerEntry entry{
            "redeem:" + r.request.key, loyalty::EntryKind::Redeem, -reward.cost, r.now, code.text(), false};
        CENTRAL_TRY(appended, appendEntry(c, paid.memberId, entry, r.caller.store, r.caller.kioskId));
        return issued;
    }
    return std::unexpected(apiError("storage_unavailable"));
}

}  // namespace

SpendOps::SpendOps(Database& db, const loyalty::Clock& clock, CatalogSource catalog, Secrets secrets,
                   OtpNotifier& notifier)
    : m_db(db),
      m_clock(clock),
      m_catalog(std::move(catalog)),
      m_secrets(std::move(secrets)),
      m_notifier(notifier) {}

std::expected<OtpSent, ApiError> SpendOps::requestOtp(const Caller& caller, const OtpInput& input) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    if (!input) return std::unexpected(input.error());
    const std::string reward = input->rewardId.value_or("");
    if (!reward.empty()) {
        auto loaded = m_catalog();
        if (!loaded) return std::unexpected(loaded.error());
        if (!(*loaded)->rewards.contains(reward)) return std::unexpected(apiError("not_found"));
    }
    const auto now = m_clock.now();
    OtpUse use{caller.kioskId, input->phone.e164(), reward, "", now};
    auto issued = transact(m_db, [&](Connection& c) -> std::expected<IssuedOtp, ApiError> {
        CENTRAL_TRY(member, MemberStore(c).lock(use.e164));
        if (!*member) return std::unexpected(apiError("not_found"));
        return issueLimitedOtp(c, use, m_secrets.otpKey);
    });
    if (!issued) return std::unexpected(issued.error());
    if (auto sent = m_notifier.send(OtpMessage{use.e164, issued->code, issued->expiresAt, use.kiosk});
        !sent) {
        // The shopper never got it: withdraw the code (best effort; it expires anyway).
        use.code = issued->code;
        withdrawOtp(m_db, use, m_secrets.otpKey);
        auto e = apiError("notifier_unavailable");
        e.messageEn += " (" + sent.error() + ")";
        return std::unexpected(e);
    }
    return OtpSent{issued->expiresAt - now, input->phone.masked(), now};
}

std::expected<RedeemOutcome, ApiError> SpendOps::redeem(const Caller& caller, const RedeemInput& input,
                                                        const AnswerCodec& encode) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    if (!input) return std::unexpected(input.error());
    auto loaded = m_catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto rewardIt = (*loaded)->rewards.find(input->rewardId);
    if (rewardIt == (*loaded)->rewards.end()) return std::unexpected(apiError("not_found"));
    const Redemption r{caller, *input, input->phone.e164(), m_clock.now()};
    const unsigned expiryMonths = (*loaded)->campaign.pointsExpiryMonths;
    return transact(m_db, [&](Connection& c) -> std::expected<RedeemOutcome, ApiError> {
        CENTRAL_TRY(member, MemberStore(c).lock(r.e164));
        if (!*member) return std::unexpected(apiError("not_found"));
        VoucherStore vouchers(c);
        if (auto earlier = replay(vouchers, r)) return *earlier;
        const auto memberId = (*member)->memberId;
        // Points past their expiry cannot be spent: expire them first (FIFO lots, loyalty's rule).
        CENTRAL_TRY(expired, expireDuePoints(c, memberId, expiryMonths, r.now, true));
        const OtpUse use{r.caller.kioskId, r.e164, r.request.rewardId, r.request.otp, r.now};
        if (auto otp = useSpendOtp(c, use, m_secrets.otpKey); !otp) return std::unexpected(otp.error());
        auto reward =
            redeemableReward(vouchers, r, rewardIt->second, memberId, (*member)->balance - *expired);
        if (!reward) return std::unexpected(reward.error());
        auto balance = pay(c, *reward, memberId);
        if (!balance) return std::unexpected(balance.error());
        return issue(c, r, *reward, Payment{memberId, *balance, m_secrets.voucherKeys}, encode);
    });
}

std::expected<VoucherConsumed, ApiError> SpendOps::consume(const Caller& caller, std::string_view codeText,
                                                           const ConsumeInput& input) {
    auto code = loyalty::parseVoucherCode(codeText.substr(0, 64));
    if (!code)
        return std::unexpected(
            domainError(400, loyalty::voucherCodeErrorCode(code.error()), loyalty::describe(code.error())));
    if (!input) return std::unexpected(input.error());
    // Bound to the store: a kiosk (the store's POS credential) consumes at its own store only; the
    // admin token names a store that exists, or none.
    if (input->store) {
        auto lease = m_db.lease();
        if (!lease) return std::unexpected(storageError(lease.error()));
        CENTRAL_TRY(known, VoucherStore(**lease).storeExists(*input->store));
        if (!*known) return std::unexpected(domainError(422, "store_unknown", "no such store"));
        if (caller.kind == Caller::Kind::Kiosk && *input->store != caller.store)
            return std::unexpected(apiError("forbidden"));
    }
    const std::string where = input->store.value_or(caller.store);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> std::expected<VoucherConsumed, ApiError> {
        VoucherStore vouchers(c);
        CENTRAL_TRY(done, vouchers.consume(code->text(), now, where, input->reference.value_or("")));
        if (*done) return VoucherConsumed{code->text(), (*done)->valueDong, (*done)->rewardId, now};
        CENTRAL_TRY(state, vouchers.stateOf(code->text()));
        if (!*state) return std::unexpected(apiError("not_found"));
        if ((*state)->consumedAt)
            return std::unexpected(
                apiError("voucher_already_consumed", nlohmann::json{{"consumed_at", *(*state)->consumedAt}}));
        return std::unexpected(
            apiError("voucher_expired", nlohmann::json{{"expires_at", (*state)->expiresAt}}));
    });
}

}  // namespace central
