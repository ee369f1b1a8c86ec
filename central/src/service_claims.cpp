// Service: POST /v1/claims (single and batch) and GET /v1/members/{phone}.
//
// How a receipt earns once chain-wide, whatever the number of central processes: the claim row's
// primary key is the receipt id and its idempotency key is UNIQUE. The claim row is inserted with
// ON CONFLICT DO NOTHING; a second transaction racing for the same receipt either waits for the first
// (PostgreSQL: the unique index blocks until it commits or aborts; SQLite: BEGIN IMMEDIATE serialises
// writers) and then inserts nothing. Inserting nothing means: undo this claim and tell the caller who
// got there first — the same kiosk retrying (same idempotency key: its original answer) or someone
// else (409 already_claimed, with when and where).
//
// Group commit across requests: the claims of a request are checked first without any write lock
// (fields, replay, token signature, eligibility), then handed to the service's CommitQueue
// (store/commit_queue.hpp) with every other request's claims: one transaction for up to
// kClaimsPerSqliteTransaction (SQLite) or kClaimsPerPgTransaction (PostgreSQL) claims, whoever sent
// them, each under its own SAVEPOINT. Thirty-two shoppers claiming at once share a handful of fsyncs
// instead of paying one each. A refused claim rolls back only its savepoint and is answered as if it
// had been sent alone; the claims of one request are queued together in order, so later claims of a
// batch see the earlier ones. If a transaction itself fails (busy, deadlock, lost connection) it is
// retried whole, and when the retries run out every claim it held is answered "retry" — nothing is
// answered "accepted" before its commit.
//
// Deadlocks (PostgreSQL, several processes): a transaction holding several members and receipts could
// wait for another that holds them in another order. So before it writes anything, a claim
// transaction takes a transaction-scoped advisory lock on each of its phones, receipt ids and
// idempotency keys, in one order (store/commit_queue.cpp). Every row it may wait for — a member row, the
// phone's unique entry of a new member, a claim row by receipt or key, the claim's ledger entry — is reached
// through one of those names, so two claim transactions that could block each other share a lock and
// the later one waits before writing anything: no cycle. Other writers (redemptions, adjustments) lock
// one member row first and never wait on claim rows. Should the server still report a deadlock or a
// serialisation failure, the transaction is retried as above and at worst answered "retry". The
// per-transaction cap keeps a transaction's advisory locks within its share of the server's lock table.

#include <algorithm>
#include <span>
#include <variant>

#include "api/json_fields.hpp"
#include "api/notif_api.hpp"
#include "loyalty/earn.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/time.hpp"
#include "ops/catalog.hpp"
#include "ops/notif_events.hpp"
#include "ops/secrets.hpp"
#include "store/commit_queue.hpp"
#include "store/game_store.hpp"
#include "store/ledger_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr std::size_t kMaxBatch = 200;
constexpr loyalty::UnixSeconds kMaxOfflineSeconds = 14LL * 86'400;
constexpr std::size_t kHistoryEntries = 20;

std::string_view lineKind(loyalty::EarnLineKind kind) {
    switch (kind) {
        case loyalty::EarnLineKind::Base:
            return "base";
        case loyalty::EarnLineKind::Items:
            return "items";
        case loyalty::EarnLineKind::TierBonus:
            return "tier_bonus";
        case loyalty::EarnLineKind::Promotion:
            return "promotion";
        case loyalty::EarnLineKind::Cap:
            return "cap";
        case loyalty::EarnLineKind::SignUpBonus:
            return "sign_up_bonus";
    }
    return "base";
}

std::string two(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

ApiError alreadyClaimed(loyalty::UnixSeconds at, const std::string& store, const std::string& kiosk) {
    const auto local = loyalty::localDateTime(at);
    const std::string time = two(local.hour) + ":" + two(local.minute);
    auto e = apiError("already_claimed", Json{{"claimed_at", at}, {"store", store}, {"kiosk_id", kiosk}});
    e.messageVi = "Hoá đơn này đã được tích điểm ngày " + loyalty::formatLocalDateVi(local.date) + " lúc " +
                  time + " tại cửa hàng " + store + " (kiosk " + kiosk + ").";
    e.messageEn = "This receipt was already claimed on " + loyalty::formatLocalDate(local.date) + " at " +
                  time + " at store " + store + " (kiosk " + kiosk + ").";
    return e;
}

Json breakdownOf(const loyalty::Earning& earning) {
    Json breakdown = Json::array();
    for (const auto& line : earning.lines)
        breakdown.push_back(Json{{"kind", lineKind(line.kind)},
                                 {"label", line.label.vi},
                                 {"label_en", line.label.en},
                                 {"points", line.points}});
    return breakdown;
}

Json replayOf(const std::string& stored) {
    auto result = Json::parse(stored, nullptr, false);
    if (result.is_discarded() || !result.is_object()) result = Json::object();
    result["replayed"] = true;
    return result;
}

}  // namespace

struct Service::ClaimInput {
    std::string key;
    std::string token;
    loyalty::Receipt receipt;
    std::string phone;  ///< E.164
    loyalty::UnixSeconds kioskTime = 0;
    bool join = false;
    bool marketing = false;
    std::string textVersion;
};

namespace {

/// The answer to a claim whose receipt or idempotency key is taken: the original answer to the same
/// kiosk's retry, or who claimed the receipt.
JsonResult whoClaimed(Connection& c, const std::string& key, const std::string& receiptId) {
    CENTRAL_TRY(rows, c.query("SELECT idempotency_key, receipt_id, claimed_at, kiosk_store, kiosk_id, result "
                              "FROM claims WHERE idempotency_key = $1 OR receipt_id = $2",
                              {key, receiptId}));
    for (const auto& row : *rows) {
        if (row.text(0) == key) {
            if (row.text(1) != receiptId) return std::unexpected(apiError("idempotency_conflict"));
            return replayOf(row.text(5));
        }
    }
    if (rows->empty()) return std::unexpected(apiError("storage_unavailable"));
    const auto& row = rows->front();
    return std::unexpected(alreadyClaimed(row.integer(2), row.text(3), row.text(4)));
}

}  // namespace

JsonResult Service::claims(const Caller& caller, const Json& body) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    if (const auto it = body.find("kiosk_id");
        it != body.end() && !it->is_null() && (!it->is_string() || it->get<std::string>() != caller.kioskId))
        return std::unexpected(apiError("forbidden"));
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto claimsIt = body.find("claims");
    if (claimsIt == body.end()) {
        auto result = std::move(claimAll(caller, std::span<const Json>(&body, 1), **loaded).front());
        if (result) (*result)["server_time"] = m_clock.now();
        return result;
    }
    if (!claimsIt->is_array() || claimsIt->empty())
        return std::unexpected(invalidField("claims", "must be a non-empty list"));
    if (claimsIt->size() > kMaxBatch) return std::unexpected(apiError("batch_too_large"));
    const auto& claims = claimsIt->get_ref<const Json::array_t&>();
    auto answers = claimAll(caller, claims, **loaded);
    Json results = Json::array();
    for (std::size_t i = 0; i < claims.size(); ++i) {
        auto& result = answers[i];
        if (result) {
            results.push_back(std::move(*result));
            continue;
        }
        Json refused{{"status", result.error().status >= 500 ? "retry" : "refused"},
                     {"error", result.error().body()["error"]}};
        if (claims[i].is_object())
            if (const auto key = claims[i].find("idempotency_key");
                key != claims[i].end() && key->is_string())
                refused["idempotency_key"] = *key;
        results.push_back(std::move(refused));
    }
    return Json{{"results", std::move(results)}, {"server_time", m_clock.now()}};
}

std::vector<JsonResult> Service::claimAll(const Caller& caller, std::span<const Json> claims,
                                          const Catalog& catalog) {
    std::vector<JsonResult> answers(claims.size());
    std::vector<std::pair<std::size_t, ClaimInput>> pending;  // (index in `claims`, what to store)
    {
        auto lease = m_db.lease();
        if (!lease)
            return std::vector<JsonResult>(claims.size(), std::unexpected(storageError(lease.error())));
        for (std::size_t i = 0; i < claims.size(); ++i) {
            auto checked = checkClaim(**lease, claims[i], catalog);
            if (auto* input = std::get_if<ClaimInput>(&checked))
                pending.emplace_back(i, std::move(*input));
            else
                answers[i] = std::move(std::get<JsonResult>(checked));
        }
    }
    if (pending.empty()) return answers;

    // One item per claim, queued together and in order with other requests' claims (see the top).
    std::vector<CommitItem> items;
    items.reserve(pending.size());
    for (const auto& [index, input] : pending) {
        auto& answer = answers[index];
        const ClaimInput& in = input;
        items.push_back(CommitItem{
            {"phone:" + in.phone, "receipt:" + in.receipt.id(), "key:" + in.key},
            [this, &answer, &in, &caller, &catalog](Connection& c) -> std::expected<ItemEnd, ApiError> {
                answer = storeClaim(c, caller, in, catalog, m_clock.now());
                if (answer) return ItemEnd::Keep;
                // Busy, deadlock or a lost connection: the whole transaction is retried.
                if (answer.error().code == "storage_unavailable") return std::unexpected(answer.error());
                if (answer.error().code == "already_claimed") {
                    answer = whoClaimed(c, in.key, in.receipt.id());
                    if (!answer && answer.error().code == "storage_unavailable")
                        return std::unexpected(answer.error());
                }
                return ItemEnd::Undo;
            }});
    }
    const auto outcomes = m_claimQueue->submitAll(items);
    for (std::size_t i = 0; i < pending.size(); ++i)
        if (outcomes[i]) answers[pending[i].first] = std::unexpected(*outcomes[i]);
    return answers;
}

std::variant<Service::ClaimInput, JsonResult> Service::checkClaim(Connection& reader, const Json& claim,
                                                                  const Catalog& catalog) {
    if (!claim.is_object()) return std::unexpected(invalidField("claims[]", "must be an object"));
    ClaimInput in;
    auto key = requireString(claim, "idempotency_key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    in.key = *key;
    auto token = requireString(claim, "token", 1024);
    if (!token) return std::unexpected(token.error());
    in.token = *token;
    auto phoneText = requireString(claim, "phone", 32);
    if (!phoneText) return std::unexpected(phoneText.error());
    auto kioskTime = optionalInt(claim, "kiosk_time", 0, 4'294'967'295LL);
    if (!kioskTime) return std::unexpected(kioskTime.error());
    if (const auto it = claim.find("consent"); it != claim.end() && !it->is_null()) {
        if (!it->is_object()) return std::unexpected(invalidField("consent", "must be an object"));
        auto join = optionalBool(*it, "join", false);
        auto marketing = optionalBool(*it, "marketing", false);
        auto version = optionalString(*it, "text_version", 32);
        if (!join) return std::unexpected(join.error());
        if (!marketing) return std::unexpected(marketing.error());
        if (!version) return std::unexpected(version.error());
        in.join = *join;
        in.marketing = *marketing;
        in.textVersion = version->value_or(m_options.consentTextVersion);
    }

    // A retry of an earlier claim (same key) gets its original answer, even if the token has since
    // aged out of the receipt window.
    {
        auto rows =
            reader.query("SELECT receipt_id, result FROM claims WHERE idempotency_key = $1", {in.key});
        if (!rows) return std::unexpected(storageError(rows.error()));
        if (!rows->empty()) {
            auto decoded = loyalty::decodeReceiptToken(in.token);
            if (!decoded || decoded->receipt.id() != rows->front().text(0))
                return std::unexpected(apiError("idempotency_conflict"));
            return JsonResult(replayOf(rows->front().text(1)));
        }
    }

    auto phone = parsePhoneField(*phoneText);
    if (!phone) return std::unexpected(phone.error());
    in.phone = phone->e164();
    const auto now = m_clock.now();
    const auto at =
        kioskTime->value_or(0) == 0 ? now : std::clamp(**kioskTime, now - kMaxOfflineSeconds, now);
    in.kioskTime = at;
    loyalty::VerifyPolicy policy;
    policy.maxAge = catalog.campaign.receiptWindow();
    auto receipt = loyalty::verifyReceiptToken(in.token, catalog.keyring, at, policy);
    if (!receipt)
        return std::unexpected(
            domainError(422, loyalty::tokenErrorCode(receipt.error()), loyalty::describe(receipt.error())));
    if (auto eligible = loyalty::checkReceiptEligible(*receipt, catalog.campaign, at); !eligible)
        return std::unexpected(domainError(422, loyalty::eligibilityErrorCode(eligible.error()),
                                           loyalty::describe(eligible.error())));
    in.receipt = *receipt;
    return in;
}

JsonResult Service::storeClaim(Connection& c, const Caller& caller, const ClaimInput& in,
                               const Catalog& catalog, loyalty::UnixSeconds now) {
    const std::string receiptId = in.receipt.id();
    CENTRAL_TRY(found, c.query("SELECT member_id FROM members WHERE phone = $1", {in.phone}));
    bool isNew = false;
    std::int64_t memberId = 0;
    if (found->empty()) {
        if (!in.join) return std::unexpected(apiError("consent_required"));
        CENTRAL_TRY(created, c.query("INSERT INTO members (phone, balance, created_at, consent_join, "
                                     "consent_marketing, consent_text_version, consent_at, consent_kiosk) "
                                     "VALUES ($1, 0, $2, 1, $3, $4, $5, $6) ON CONFLICT (phone) DO NOTHING "
                                     "RETURNING member_id",
                                     {in.phone, now, std::int64_t{in.marketing ? 1 : 0}, in.textVersion,
                                      in.kioskTime, caller.kioskId}));
        if (!created->empty()) {
            isNew = true;
            memberId = created->front().integer(0);
        } else {  // created by a concurrent claim a moment ago
            CENTRAL_TRY(again, c.query("SELECT member_id FROM members WHERE phone = $1", {in.phone}));
            if (again->empty()) return std::unexpected(apiError("storage_unavailable"));
            memberId = again->front().integer(0);
        }
    } else {
        memberId = found->front().integer(0);
    }

    const auto windowStart = now - catalog.tiers.windowDays() * loyalty::kSecondsPerDay;
    CENTRAL_TRY(entries, loadQualifyingEntries(c, memberId, windowStart));
    const auto before = loyalty::tierStatus(*entries, catalog.tiers, now);
    const auto earning = loyalty::computeEarning(in.receipt, {before.tier, isNew}, catalog.campaign);
    if (earning.total <= 0) return std::unexpected(apiError("below_minimum_spend"));

    // The race for the receipt is decided here (see the top of this file).
    CENTRAL_TRY(claimed,
                c.query("INSERT INTO claims (receipt_id, idempotency_key, store_id, receipt_number, "
                        "amount_dong, issued_at, kiosk_id, kiosk_store, member_id, points, claimed_at, "
                        "kiosk_time, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                        "'{}') ON CONFLICT DO NOTHING RETURNING receipt_id",
                        {receiptId, in.key, in.receipt.store, in.receipt.number, in.receipt.amount.value,
                         in.receipt.issuedAt, caller.kioskId, caller.store, memberId, earning.total, now,
                         in.kioskTime}));
    if (claimed->empty()) return std::unexpected(apiError("already_claimed"));  // see claimAll

    CENTRAL_TRY(entry, c.query("INSERT INTO ledger (member_id, kind, points, at, idempotency_key, reference, "
                               "store_id, kiosk_id) VALUES ($1, 'earn', $2, $3, $4, $5, $6, $7)",
                               {memberId, earning.total, now, "claim:" + receiptId, receiptId, caller.store,
                                caller.kioskId}));
    CENTRAL_TRY(balance,
                c.query("UPDATE members SET balance = balance + $1 WHERE member_id = $2 RETURNING balance",
                        {earning.total, memberId}));
    // Promo games: the plays this receipt earns, written with its points (docs/games.md).
    CENTRAL_TRY(
        plays, GameStore(c).earnTickets(memberId, receiptId, in.receipt.store, in.receipt.amount.value, now));
    auto after = *entries;
    after.push_back(loyalty::LedgerEntry{"claim:" + receiptId, loyalty::EntryKind::Earn, earning.total, now,
                                         receiptId, false});
    const auto status = loyalty::tierStatus(after, catalog.tiers, now);
    // Notifications: "earned" (and a tier change), committed with the points or not at all.
    const ClaimNotice notice{memberId,     in.phone,      receiptId,
                             caller.store, earning.total, balance->at(0).integer(0),
                             before.tier,  status.tier,   now};
    if (auto sent = m_options.notifications ? enqueueClaimNotices(c, notice) : DbResult<void>{}; !sent)
        return std::unexpected(storageError(sent.error()));

    Json result{{"idempotency_key", in.key},
                {"status", "accepted"},
                {"receipt_id", receiptId},
                {"points", earning.total},
                {"breakdown", breakdownOf(earning)},
                {"explain_vi", earning.explain(loyalty::Language::Vietnamese)},
                {"explain_en", earning.explain(loyalty::Language::English)},
                {"balance", balance->at(0).integer(0)},
                {"new_member", isNew},
                {"claimed_at", now}};
    addTierFields(result, status, catalog.tiers);
    result["game_tickets"] = *plays;
    CENTRAL_TRY(saved,
                c.query("UPDATE claims SET result = $1 WHERE receipt_id = $2", {result.dump(), receiptId}));
    result["replayed"] = false;
    return result;
}

unsigned Service::pointsExpiryMonths() {
    auto loaded = catalog();
    return loaded ? (*loaded)->campaign.pointsExpiryMonths : 0;
}

std::optional<loyalty::TierRules> Service::tierRules() {
    auto loaded = catalog();
    if (!loaded) return std::nullopt;
    return (*loaded)->tiers;
}

bool Service::claimsWaiting() const {
    return m_claimQueue->outstanding() > 0;
}

JsonResult Service::member(const Caller& caller, std::string_view phoneText) {
    if (caller.kind != Caller::Kind::Kiosk && caller.kind != Caller::Kind::Admin)
        return std::unexpected(apiError("forbidden"));
    if (phoneText.size() > 32) return std::unexpected(domainError(422, "phone_wrong_length", "too long"));
    auto phone = parsePhoneField(phoneText);
    if (!phone) return std::unexpected(phone.error());
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto& tiers = (*loaded)->tiers;
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    Connection& c = **lease;
    CENTRAL_TRY(found, c.query("SELECT member_id, balance FROM members WHERE phone = $1", {phone->e164()}));
    if (found->empty()) return std::unexpected(apiError("not_found"));
    const auto memberId = found->front().integer(0);
    const auto now = m_clock.now();
    CENTRAL_TRY(entries,
                loadQualifyingEntries(c, memberId, now - tiers.windowDays() * loyalty::kSecondsPerDay));
    CENTRAL_TRY(recent, c.query("SELECT at, kind, points, reference FROM ledger WHERE member_id = $1 "
                                "ORDER BY at DESC, entry_id DESC LIMIT $2",
                                {memberId, static_cast<std::int64_t>(kHistoryEntries)}));
    Json history = Json::array();
    for (const auto& row : *recent) {
        // A redemption's reference is its voucher code: a bearer secret, never shown in full here.
        const auto& kind = row.text(1);
        history.push_back(
            Json{{"at", row.integer(0)},
                 {"kind", kind},
                 {"points", row.integer(2)},
                 {"description", kind == "redeem" ? maskedVoucherCode(row.text(3)) : row.text(3)}});
    }
    // A read shows what the member can spend now: points past expiry are left out (they are written
    // off at the member's next redemption or adjustment).
    CENTRAL_TRY(expiring, expireDuePoints(c, memberId, (*loaded)->campaign.pointsExpiryMonths, now, false));
    CENTRAL_TRY(consent, NotifStore(c).consentOf(phone->e164()));
    Json out{{"phone", phone->e164()},
             {"masked", phone->masked()},
             {"balance", found->front().integer(1) - *expiring},
             {"pending", 0},
             {"history", std::move(history)},
             {"server_time", now}};
    if (*consent) out["consent"] = consentJson(**consent);
    addTierFields(out, loyalty::tierStatus(*entries, tiers, now), tiers);
    return out;
}

}  // namespace central
