// Service: customer care from head office — a receipt brought back to the shop, in full or in part
// (docs/console.md). The points it earned are reversed in proportion to the dong returned, the
// member's tier follows (a Return nets against its receipt's Earn, loyalty/tier.hpp), and a retried
// request gets the first answer again.

#include "api/json_fields.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/time.hpp"
#include "ops/access.hpp"
#include "ops/catalog.hpp"
#include "store/care_store.hpp"
#include "store/ledger_store.hpp"
#include "store/member_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

struct ReturnInput {
    std::string receiptId;
    std::int64_t amount = 0;  ///< dong brought back by this return
    std::string reason;
    std::string key;  ///< the ledger key and receipt_returns' primary key: "return:" + the caller's key
};

std::expected<ReturnInput, ApiError> returnInputFrom(const Json& body) {
    if (auto ok = onlyFields(body, {"receipt_id", "amount_dong", "reason", "idempotency_key"}); !ok)
        return std::unexpected(ok.error());
    auto receipt = requireString(body, "receipt_id", 64);
    if (!receipt) return std::unexpected(receipt.error());
    auto amount = requireInt(body, "amount_dong", 1, 1'000'000'000'000);
    if (!amount) return std::unexpected(amount.error());
    auto reason = requireString(body, "reason", 200);
    if (!reason) return std::unexpected(reason.error());
    if (reason->empty()) return std::unexpected(invalidField("reason", "say why"));
    auto key = requireString(body, "idempotency_key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    return ReturnInput{*receipt, *amount, *reason, "return:" + *key};
}

/// The points of `earned` that `returned` dong of a `total`-dong receipt stand for, rounded down, so
/// that the returns of a whole receipt, in any number of parts, reverse exactly what it earned.
/// points (< 2^44) × dong (< 2^40) does not fit 64 bits.
std::int64_t proportionalPoints(std::int64_t earned, std::int64_t returned, std::int64_t total) {
    __extension__ using Wide = __int128;
    return static_cast<std::int64_t>(static_cast<Wide>(earned) * returned / total);
}

std::string maskedPhone(const std::string& e164) {
    const auto phone = loyalty::parsePhone(e164);
    return phone ? phone->masked() : "";
}

}  // namespace

JsonResult Service::returnReceipt(const Caller& caller, const std::string& actor, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto in = returnInputFrom(body);
    if (!in) return std::unexpected(in.error());
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto& tiers = (*loaded)->tiers;
    const auto now = m_clock.now();
    const auto windowStart = now - tiers.windowDays() * loyalty::kSecondsPerDay;
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CareStore care(c);
        CENTRAL_TRY(claim, care.claim(in->receiptId));
        if (!*claim) return std::unexpected(apiError("not_found"));
        // Holding the member row orders this return against the member's other writes.
        CENTRAL_TRY(member, MemberStore(c).lock((*claim)->phoneE164));
        if (!*member) return std::unexpected(apiError("not_found"));
        const auto memberId = (*member)->memberId;
        CENTRAL_TRY(earlier, care.findReturn(in->key));
        if (*earlier) {
            const auto& e = **earlier;
            if (e.receiptId != in->receiptId || e.amountDong != in->amount || e.reason != in->reason)
                return std::unexpected(apiError("idempotency_conflict"));
            auto answer = Json::parse(e.result);
            answer["replayed"] = true;
            return answer;
        }
        CENTRAL_TRY(expired, expireDuePoints(c, memberId, (*loaded)->campaign.pointsExpiryMonths, now, true));
        CENTRAL_TRY(before, care.returnedSoFar(in->receiptId));
        const auto total = (*claim)->amountDong;
        if (before->amountDong + in->amount > total)
            return std::unexpected(
                apiError("return_exceeds_receipt",
                         Json{{"amount_dong", total}, {"returned_dong", before->amountDong}}));
        CENTRAL_TRY(entriesBefore, loadQualifyingEntries(c, memberId, windowStart));
        const auto tierBefore = loyalty::tierStatus(*entriesBefore, tiers, now).tier;

        const auto points =
            proportionalPoints((*claim)->points, before->amountDong + in->amount, total) - before->points;
        CENTRAL_TRY(balance, MemberStore(c).spend(memberId, points));
        if (!*balance)
            return std::unexpected(apiError("insufficient_points", Json{{"points_to_reverse", points}}));
        if (points > 0) {
            const loyalty::LedgerEntry entry{in->key, loyalty::EntryKind::Return, -points, now, in->receiptId,
                                             false};
            CENTRAL_TRY(added, appendEntry(c, memberId, entry, (*claim)->store, (*claim)->kiosk, in->reason));
        }
        CENTRAL_TRY(entriesAfter, loadQualifyingEntries(c, memberId, windowStart));
        Json answer{{"receipt_id", in->receiptId}, {"member", maskedPhone((*claim)->phoneE164)},
                    {"amount_dong", total},        {"returned_dong", before->amountDong + in->amount},
                    {"points_reversed", points},   {"points_expired", *expired},
                    {"balance", **balance},        {"tier_before", loyalty::tierCode(tierBefore)}};
        addTierFields(answer, loyalty::tierStatus(*entriesAfter, tiers, now), tiers);
        CENTRAL_TRY(saved, care.saveReturn(CareStore::Return{in->key, in->receiptId, memberId, in->amount,
                                                             points, now, in->reason, actor, answer.dump()}));
        answer["replayed"] = false;
        return answer;
    });
}

}  // namespace central
