#pragma once
// Claims (docs/api.md "POST /v1/claims", "GET /v1/members/{phone}"): a receipt earns once chain-wide,
// the first claim wins, a retry of it gets its first answer, and a member reads their balance, tier
// and history. Typed requests in, typed outcomes out: no SQL (store/), no JSON (api/claims_api.cpp).
// How exactly-once and the group commit hold is told at the top of claims.cpp. Private to
// central_core.
//
// Threads: any number at once; every call BLOCKS on the database (a claim until its transaction has
// committed).

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/service.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/earn.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/tier.hpp"
#include "store/ledger_store.hpp"
#include "store/notif_store.hpp"

namespace central {

class CommitQueue;

/// What the shopper agreed to on the kiosk when joining with this claim.
struct ClaimConsent {
    bool join = false;
    bool marketing = false;
    std::optional<std::string> textVersion;  ///< nullopt: the consent text now in effect
};

/// One claim as the kiosk sent it, its fields shaped but not judged yet.
struct ClaimRequest {
    std::string key;                                ///< idempotency key, 1-64 of [A-Za-z0-9_-]
    std::string token;                              ///< the receipt's signed QR text
    std::string phone;                              ///< as typed
    std::optional<loyalty::UnixSeconds> kioskTime;  ///< when the kiosk took it; nullopt or 0 = now
    std::optional<ClaimConsent> consent;
};
/// A claim as read from the request: its fields, or why they were refused (answered as they are).
using ClaimInput = std::expected<ClaimRequest, ApiError>;

/// A member's tier as answers show it.
struct TierView {
    loyalty::TierStatus status;
    loyalty::Points nextTierAt = 0;  ///< the next tier's threshold, 0 at the top tier
};

struct ClaimAccepted {
    std::string key;
    std::string receiptId;
    loyalty::Earning earning;
    loyalty::Points balance = 0;
    bool newMember = false;
    loyalty::UnixSeconds claimedAt = 0;
    TierView tier;
    std::int64_t gameTickets = 0;  ///< promo-game plays the receipt earned (docs/games.md)
};
/// A retry of an earlier claim: its first answer as stored, in the API's encoding.
struct ClaimReplay {
    std::string answer;
};
/// The receipt was claimed first by another request: when and where.
struct ClaimTaken {
    loyalty::UnixSeconds at = 0;
    std::string store;
    std::string kioskId;
};
using ClaimOutcome = std::variant<ClaimAccepted, ClaimReplay, ClaimTaken>;
using ClaimResult = std::expected<ClaimOutcome, ApiError>;

/// A member as a kiosk (or head office) reads them.
struct MemberView {
    loyalty::PhoneNumber phone;
    loyalty::Points balance = 0;       ///< spendable now: points past expiry left out
    std::vector<RecentEntry> history;  ///< newest first
    std::optional<NotifStore::Consent> consent;
    TierView tier;
    loyalty::UnixSeconds at = 0;  ///< when it was read
};

class ClaimOps {
  public:
    using CatalogSource = std::function<std::expected<std::shared_ptr<const Catalog>, ApiError>()>;
    /// The stored form of an accepted claim's answer, replayed as it is to a retry (the API's codec).
    /// Called inside the claim's transaction, possibly more than once (a retried transaction).
    using AnswerCodec = std::function<std::string(const ClaimAccepted&)>;
    struct Options {
        std::string consentTextVersion;  ///< recorded when a claim's consent names none
        bool notifications = false;      ///< a claim writes its notifications to the outbox
    };
    /// Everything given must outlive this.
    ClaimOps(Database& db, const loyalty::Clock& clock, CatalogSource catalog, Options options);
    ~ClaimOps();
    ClaimOps(const ClaimOps&) = delete;
    ClaimOps& operator=(const ClaimOps&) = delete;

    /// Only a kiosk claims, and only as itself (`namedKiosk`: the kiosk id the request names, if any).
    [[nodiscard]] std::expected<void, ApiError> authorize(const Caller& caller,
                                                          const std::optional<std::string>& namedKiosk) const;
    /// The claims of one request, answered in order (an input refused as read is answered with its
    /// error): checked without a write lock, then stored with other requests' claims (claims.cpp).
    /// An error: the whole request is refused (the catalog cannot be read).
    [[nodiscard]] std::expected<std::vector<ClaimResult>, ApiError> claim(const Caller& caller,
                                                                          std::span<const ClaimInput> inputs,
                                                                          const AnswerCodec& encode);
    /// GET /v1/members/{phone}: balance, tier, the latest entries, the marketing consent.
    [[nodiscard]] std::expected<MemberView, ApiError> member(const Caller& caller,
                                                             std::string_view phoneText);

    /// True while claims wait for the write lock or are being stored (any thread, never blocks).
    [[nodiscard]] bool waiting() const;

  private:
    struct Checked;
    [[nodiscard]] std::variant<Checked, ClaimResult> check(Connection& reader, const ClaimRequest& request,
                                                           const Catalog& catalog) const;
    [[nodiscard]] ClaimResult store(Connection& c, const Caller& caller, const Checked& in,
                                    const Catalog& catalog, const AnswerCodec& encode) const;

    Database& m_db;
    const loyalty::Clock& m_clock;
    CatalogSource m_catalog;
    Options m_options;
    /// Last member: destroyed first, storing what is queued while everything it uses is alive.
    std::unique_ptr<CommitQueue> m_queue;
};

}  // namespace central
