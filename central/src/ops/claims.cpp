// How a receipt earns once chain-wide, whatever the number of central processes: the claim row's
// primary key is the receipt id and its idempotency key is UNIQUE. The claim row is inserted with
// ON CONFLICT DO NOTHING; a second transaction racing for the same receipt either waits for the first
// (PostgreSQL: the unique index blocks until it commits or aborts; SQLite: BEGIN IMMEDIATE serialises
// writers) and then inserts nothing. Inserting nothing means: undo this claim and tell the caller who
// got there first — the same kiosk retrying (same idempotency key: its original answer) or someone
// else (409 already_claimed, with when and where).
//
// Group commit across requests: the claims of a request are checked first without any write lock
// (fields, replay, token signature, eligibility), then handed to the CommitQueue
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

#include "ops/claims.hpp"

#include <algorithm>

#include "loyalty/receipt_token.hpp"
#include "loyalty/time.hpp"
#include "ops/catalog.hpp"
#include "ops/notif_events.hpp"
#include "store/claim_store.hpp"
#include "store/commit_queue.hpp"
#include "store/game_store.hpp"
#include "store/member_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr loyalty::UnixSeconds kMaxOfflineSeconds = 14LL * 86'400;
constexpr std::int64_t kHistoryEntries = 20;

/// SQLite: claims stored per transaction. SQLite has one writer, so a claim waits for the transaction
/// in front of it: 50 claims hold the write lock ~5-15 ms.
constexpr std::size_t kClaimsPerSqliteTransaction = 50;
/// PostgreSQL: claims stored per transaction. Each takes up to three advisory locks (phone, receipt,
/// idempotency key); 16 claims stay under max_locks_per_transaction (64 by default, an average per
/// connection), so a fleet draining at once cannot fill the server's shared lock table.
constexpr std::size_t kClaimsPerPgTransaction = 16;
/// PostgreSQL takes many writers: batches are committed on this many connections at once (the win
/// there is round trips, and one connection would serialise them). SQLite has one writer: one.
constexpr std::size_t kPgCommitters = 4;

CommitQueue::Options queueOptions(Backend backend) {
    if (backend == Backend::Postgres)
        return {.maxItems = kClaimsPerPgTransaction, .committers = kPgCommitters};
    return {.maxItems = kClaimsPerSqliteTransaction, .committers = 1};
}

TierView tierView(const loyalty::TierStatus& status, const loyalty::TierRules& rules) {
    return {status, status.nextTier ? rules.rule(*status.nextTier).threshold : 0};
}

/// The answer to a claim whose receipt or idempotency key is taken: the original answer to the same
/// kiosk's retry, or who claimed the receipt.
ClaimResult whoClaimed(Connection& c, const std::string& key, const std::string& receiptId) {
    CENTRAL_TRY(holders, ClaimStore(c).holding(key, receiptId));
    for (const auto& holder : *holders) {
        if (holder.idempotencyKey != key) continue;
        if (holder.receiptId != receiptId) return std::unexpected(apiError("idempotency_conflict"));
        return ClaimReplay{holder.answer};
    }
    if (holders->empty()) return std::unexpected(apiError("storage_unavailable"));
    const auto& holder = holders->front();
    return ClaimTaken{holder.claimedAt, holder.kioskStore, holder.kioskId};
}

}  // namespace

/// A claim that passed every check needing no write lock: what to store.
struct ClaimOps::Checked {
    std::string key;
    loyalty::Receipt receipt;
    std::string phone;  ///< E.164
    loyalty::UnixSeconds kioskTime = 0;
    bool join = false;
    bool marketing = false;
    std::string textVersion;
};

ClaimOps::ClaimOps(Database& db, const loyalty::Clock& clock, CatalogSource catalog, Options options)
    : m_db(db),
      m_clock(clock),
      m_catalog(std::move(catalog)),
      m_options(std::move(options)),
      m_queue(std::make_unique<CommitQueue>(db, queueOptions(db.backend()))) {}

ClaimOps::~ClaimOps() = default;

bool ClaimOps::waiting() const {
    return m_queue->outstanding() > 0;
}

std::expected<void, ApiError> ClaimOps::authorize(const Caller& caller,
                                                  const std::optional<std::string>& namedKiosk) const {
    if (caller.kind != Caller::Kind::Kiosk || (namedKiosk && *namedKiosk != caller.kioskId))
        return std::unexpected(apiError("forbidden"));
    return {};
}

std::expected<std::vector<ClaimResult>, ApiError> ClaimOps::claim(const Caller& caller,
                                                                  std::span<const ClaimInput> inputs,
                                                                  const AnswerCodec& encode) {
    auto loaded = m_catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const Catalog& catalog = **loaded;
    std::vector<ClaimResult> answers(inputs.size());
    std::vector<std::pair<std::size_t, Checked>> pending;  // (index in `inputs`, what to store)
    {
        auto lease = m_db.lease();
        if (!lease)
            return std::vector<ClaimResult>(inputs.size(), std::unexpected(storageError(lease.error())));
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            if (!inputs[i]) {
                answers[i] = std::unexpected(inputs[i].error());
                continue;
            }
            auto checked = check(**lease, *inputs[i], catalog);
            if (auto* in = std::get_if<Checked>(&checked))
                pending.emplace_back(i, std::move(*in));
            else
                answers[i] = std::move(std::get<ClaimResult>(checked));
        }
    }
    if (pending.empty()) return answers;

    // One item per claim, queued together and in order with other requests' claims (see the top).
    std::vector<CommitItem> items;
    items.reserve(pending.size());
    for (const auto& [index, input] : pending) {
        auto& answer = answers[index];
        const Checked& in = input;
        items.push_back(CommitItem{{"phone:" + in.phone, "receipt:" + in.receipt.id(), "key:" + in.key},
                                   [this, &answer, &in, &caller, &catalog,
                                    &encode](Connection& c) -> std::expected<ItemEnd, ApiError> {
                                       answer = store(c, caller, in, catalog, encode);
                                       if (answer) return ItemEnd::Keep;
                                       // Busy, deadlock or a lost connection: the whole transaction is
                                       // retried.
                                       if (answer.error().code == "storage_unavailable")
                                           return std::unexpected(answer.error());
                                       if (answer.error().code == "already_claimed") {
                                           answer = whoClaimed(c, in.key, in.receipt.id());
                                           if (!answer && answer.error().code == "storage_unavailable")
                                               return std::unexpected(answer.error());
                                       }
                                       return ItemEnd::Undo;
                                   }});
    }
    const auto outcomes = m_queue->submitAll(items);
    for (std::size_t i = 0; i < pending.size(); ++i)
        if (outcomes[i]) answers[pending[i].first] = std::unexpected(*outcomes[i]);
    return answers;
}

std::variant<ClaimOps::Checked, ClaimResult> ClaimOps::check(Connection& reader, const ClaimRequest& request,
                                                             const Catalog& catalog) const {
    // A retry of an earlier claim (same key) gets its original answer, even if the token has since
    // aged out of the receipt window.
    auto stored = ClaimStore(reader).findByKey(request.key);
    if (!stored) return ClaimResult(std::unexpected(storageError(stored.error())));
    if (*stored) {
        auto decoded = loyalty::decodeReceiptToken(request.token);
        if (!decoded || decoded->receipt.id() != (*stored)->receiptId)
            return ClaimResult(std::unexpected(apiError("idempotency_conflict")));
        return ClaimResult(ClaimReplay{(*stored)->answer});
    }

    auto phone = parsePhoneField(request.phone);
    if (!phone) return ClaimResult(std::unexpected(phone.error()));
    Checked in;
    in.key = request.key;
    in.phone = phone->e164();
    if (request.consent) {
        in.join = request.consent->join;
        in.marketing = request.consent->marketing;
        in.textVersion = request.consent->textVersion.value_or(m_options.consentTextVersion);
    }
    const auto now = m_clock.now();
    in.kioskTime = request.kioskTime.value_or(0) == 0
                       ? now
                       : std::clamp(*request.kioskTime, now - kMaxOfflineSeconds, now);
    loyalty::VerifyPolicy policy;
    policy.maxAge = catalog.campaign.receiptWindow();
    auto receipt = loyalty::verifyReceiptToken(request.token, catalog.keyring, in.kioskTime, policy);
    if (!receipt)
        return ClaimResult(std::unexpected(
            domainError(422, loyalty::tokenErrorCode(receipt.error()), loyalty::describe(receipt.error()))));
    if (auto eligible = loyalty::checkReceiptEligible(*receipt, catalog.campaign, in.kioskTime); !eligible)
        return ClaimResult(std::unexpected(domainError(422, loyalty::eligibilityErrorCode(eligible.error()),
                                                       loyalty::describe(eligible.error()))));
    in.receipt = *receipt;
    return in;
}

ClaimResult ClaimOps::store(Connection& c, const Caller& caller, const Checked& in, const Catalog& catalog,
                            const AnswerCodec& encode) const {
    const auto now = m_clock.now();
    const std::string receiptId = in.receipt.id();
    MemberStore members(c);
    CENTRAL_TRY(found, members.find(in.phone));
    bool isNew = false;
    std::int64_t memberId = 0;
    if (*found) {
        memberId = (*found)->memberId;
    } else {
        if (!in.join) return std::unexpected(apiError("consent_required"));
        CENTRAL_TRY(joined, members.join(
                                {in.phone, now, in.marketing, in.textVersion, in.kioskTime, caller.kioskId}));
        isNew = joined->has_value();
        if (!isNew) {  // joined by a concurrent claim a moment ago
            CENTRAL_TRY(again, members.find(in.phone));
            if (!*again) return std::unexpected(apiError("storage_unavailable"));
            memberId = (*again)->memberId;
        } else {
            memberId = **joined;
        }
    }

    const auto windowStart = now - catalog.tiers.windowDays() * loyalty::kSecondsPerDay;
    CENTRAL_TRY(entries, loadQualifyingEntries(c, memberId, windowStart));
    const auto before = loyalty::tierStatus(*entries, catalog.tiers, now);
    const auto earning = loyalty::computeEarning(in.receipt, {before.tier, isNew}, catalog.campaign);
    if (earning.total <= 0) return std::unexpected(apiError("below_minimum_spend"));

    // The race for the receipt is decided here (see the top of this file).
    CENTRAL_TRY(claimed, ClaimStore(c).insert({receiptId, in.key, in.receipt.store, in.receipt.number,
                                               in.receipt.amount.value, in.receipt.issuedAt, caller.kioskId,
                                               caller.store, memberId, earning.total, now, in.kioskTime}));
    if (!*claimed) return std::unexpected(apiError("already_claimed"));  // see claim()

    const loyalty::LedgerEntry entry{
        "claim:" + receiptId, loyalty::EntryKind::Earn, earning.total, now, receiptId, false};
    CENTRAL_TRY(appended, appendEntry(c, memberId, entry, caller.store, caller.kioskId));
    CENTRAL_TRY(balance, members.credit(memberId, earning.total));
    // Promo games: the plays this receipt earns, written with its points (docs/games.md).
    CENTRAL_TRY(
        plays, GameStore(c).earnTickets(memberId, receiptId, in.receipt.store, in.receipt.amount.value, now));
    auto after = std::move(*entries);
    after.push_back(entry);
    const auto status = loyalty::tierStatus(after, catalog.tiers, now);
    // Notifications: "earned" (and a tier change), committed with the points or not at all.
    const ClaimNotice notice{memberId, in.phone,    receiptId,   caller.store, earning.total,
                             *balance, before.tier, status.tier, now};
    if (auto sent = m_options.notifications ? enqueueClaimNotices(c, notice) : DbResult<void>{}; !sent)
        return std::unexpected(storageError(sent.error()));

    ClaimAccepted accepted{in.key, receiptId, earning, *balance, isNew, now, tierView(status, catalog.tiers),
                           *plays};
    CENTRAL_TRY(saved, ClaimStore(c).saveAnswer(receiptId, encode(accepted)));
    return accepted;
}

std::expected<MemberView, ApiError> ClaimOps::member(const Caller& caller, std::string_view phoneText) {
    if (caller.kind != Caller::Kind::Kiosk && caller.kind != Caller::Kind::Admin)
        return std::unexpected(apiError("forbidden"));
    if (phoneText.size() > 32) return std::unexpected(domainError(422, "phone_wrong_length", "too long"));
    auto phone = parsePhoneField(phoneText);
    if (!phone) return std::unexpected(phone.error());
    auto loaded = m_catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto& tiers = (*loaded)->tiers;
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    Connection& c = **lease;
    CENTRAL_TRY(found, MemberStore(c).find(phone->e164()));
    if (!*found) return std::unexpected(apiError("not_found"));
    const auto memberId = (*found)->memberId;
    const auto now = m_clock.now();
    CENTRAL_TRY(entries,
                loadQualifyingEntries(c, memberId, now - tiers.windowDays() * loyalty::kSecondsPerDay));
    CENTRAL_TRY(recent, recentEntries(c, memberId, kHistoryEntries));
    // A read shows what the member can spend now: points past expiry are left out (they are written
    // off at the member's next redemption or adjustment).
    CENTRAL_TRY(expiring, expireDuePoints(c, memberId, (*loaded)->campaign.pointsExpiryMonths, now, false));
    CENTRAL_TRY(consent, NotifStore(c).consentOf(phone->e164()));
    return MemberView{*phone,
                      (*found)->balance - *expiring,
                      std::move(*recent),
                      std::move(*consent),
                      tierView(loyalty::tierStatus(*entries, tiers, now), tiers),
                      now};
}

}  // namespace central
