#pragma once
// The kiosk's HTTP/JSON client of `central` (docs/api.md), over libcurl.
//
// Contract
// - Every call BLOCKS the calling thread until central answers, the call times out or fails; at most
//   `connectTimeout + requestTimeout` (milliseconds, wall time). Call it from a worker thread, never the
//   UI thread.
// - One instance is NOT thread-safe: it keeps one connection alive between calls. Give each worker
//   thread its own CentralClient (they are cheap); instances share nothing.
// - Nothing throws: every outcome is a value. An `Error` says whether the answer was DEFINITIVE (central
//   understood the request and said no: retrying cannot change it) or TRANSIENT (the network, a
//   timeout, an overloaded or broken server, an answer we could not understand: the request may or may
//   not have been carried out, so retry it with the same idempotency key).
// - Security: https:// with certificate and host-name verification is the default; a private CA is
//   configured with `caFile`. A plain http:// URL is accepted only for a loopback host (127.0.0.0/8,
//   ::1, localhost) — anything else is refused at construction, so a credential never leaves the
//   machine in clear text.
// - Hostile answers (bad JSON, wrong types, a body larger than `maxResponseBytes`, a 200 carrying an
//   error) come back as `ErrorKind::BadResponse` / `TooLarge` — transient, never a success.

#include <chrono>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loyalty/localized_text.hpp"
#include "loyalty/receipt.hpp"

namespace net {

struct ClientConfig {
    std::string baseUrl;     ///< e.g. "https://central.chain.vn" or "http://127.0.0.1:8080" (no trailing /v1)
    std::string caFile;      ///< PEM bundle of a private CA; empty = the system's trust store
    std::string kioskId;     ///< this kiosk's id, as enrolled
    std::string credential;  ///< the kiosk credential from enrollment; empty before enrolling
    std::chrono::milliseconds connectTimeout{3'000};
    std::chrono::milliseconds requestTimeout{10'000};  ///< whole transfer, after connecting
    std::size_t maxResponseBytes = 4u << 20;           ///< a larger body is refused (TooLarge)
    std::string userAgent = "loyalty-kiosk";
};

enum class ErrorKind {
    InvalidConfig,   ///< refused before sending: malformed URL, clear-text http to a non-loopback host
    InvalidRequest,  ///< refused before sending: an argument that cannot go on the wire (bad phone …)
    Network,         ///< could not connect, connection reset or cut mid-body (transient)
    Timeout,         ///< no complete answer in time (transient)
    Tls,             ///< certificate or TLS handshake failure (transient, but staff should look)
    TooLarge,        ///< answer body over maxResponseBytes (transient)
    BadResponse,     ///< unparseable body, wrong types, missing fields, 200 with an error (transient)
    Overloaded,      ///< 429 / 503: retry after `retryAfter` (transient)
    Server,          ///< other 5xx (transient)
    Unauthorized,    ///< 401 / 403: credential missing, wrong or revoked (definitive until re-enrolled)
    Refused,         ///< any other 4xx: central said no, with a machine `code` (definitive)
};

struct Error {
    ErrorKind kind = ErrorKind::Network;
    int httpStatus = 0;   ///< 0 when no HTTP answer was received
    std::string code;     ///< central's stable machine code (e.g. "already_claimed"), if any
    std::string message;  ///< human-readable, for logs and staff screens
    std::optional<std::chrono::seconds> retryAfter;  ///< from Retry-After on 429/503

    /// True when central understood the request and refused it: do not retry.
    [[nodiscard]] bool definitive() const {
        return kind == ErrorKind::Unauthorized || kind == ErrorKind::Refused ||
               kind == ErrorKind::InvalidConfig || kind == ErrorKind::InvalidRequest;
    }
};

template <typename T>
using Result = std::expected<T, Error>;

/// What every answer carries besides its body: central's clock (from the HTTP Date header or the
/// body's server_time), so the kiosk can learn its clock offset.
struct Answer {
    std::optional<loyalty::UnixSeconds> serverTime;
};

// ---- enrollment ------------------------------------------------------------------------------------

/// Longest kiosk credential accepted (central and the kiosk make 55 characters, docs/api.md).
inline constexpr std::size_t kMaxCredentialLength = 512;

/// True for a credential that can go into an "Authorization: Bearer" header: 1 to kMaxCredentialLength
/// visible ASCII characters. An enrollment answer with anything else is a BadResponse.
[[nodiscard]] bool isUsableCredential(std::string_view credential);

struct Enrollment : Answer {
    std::string kioskId;
    std::string store;
    std::string credential;  ///< store it; every later call carries it
};

// ---- claims ----------------------------------------------------------------------------------------

struct ClaimRequest {
    std::string idempotencyKey;  ///< unique per accepted receipt, generated once, reused on every retry
    std::string token;           ///< the receipt QR text exactly as scanned
    std::string phone;           ///< normalised Vietnamese mobile number, e.g. "0901234567"
    loyalty::UnixSeconds kioskTime = 0;  ///< when the kiosk accepted it, corrected by the learned offset
    bool consentJoin = false;            ///< the shopper accepted the programme terms (new member)
    bool consentMarketing = false;       ///< separate, unticked by default
    std::string consentTextVersion;      ///< version of the consent text shown
};

struct PointsLine {
    std::string kind;              ///< "base", "items", "tier_bonus", "promotion", "cap", "signup_bonus"
    loyalty::LocalizedText label;  ///< "khuyến mãi cuối tuần" / "weekend promotion" (wire: label, label_en)
    std::int64_t points = 0;       ///< negative only for the cap line
};

/// Central's answer to one claim.
struct ClaimOutcome {
    enum class Status {
        Accepted,  ///< credited (also when this is a retry of our own earlier claim)
        Refused,   ///< definitive refusal: already claimed elsewhere, expired, bad signature …
        Retry,     ///< central could not settle it now (transient): keep it queued
    };
    Status status = Status::Retry;
    std::string idempotencyKey;
    std::string receiptId;          ///< "STORE/NUMBER" when central told us
    std::int64_t pointsEarned = 0;  ///< points
    std::vector<PointsLine> breakdown;
    loyalty::LocalizedText explain;  ///< "120 điểm = 100 cơ bản + 20 khuyến mãi cuối tuần" (explain_vi / _en)
    std::int64_t balance = 0;           ///< member balance after this claim, points
    std::string tier;                   ///< tier id, e.g. "silver"
    std::string nextTier;               ///< empty at the top tier
    std::int64_t progressPermille = 0;  ///< progress to nextTier, 0..1000
    std::int64_t pointsToNextTier = 0;
    bool newMember = false;  ///< this claim created the member
    bool replayed = false;   ///< central had already settled this idempotency key: its original answer
    std::string code;        ///< refusal code, e.g. "already_claimed"
    /// Central's text for a refusal or a retry (error.message_vi / message_en): .en for logs and the
    /// refusal audit ("already claimed on … at …"); shoppers see the kiosk's wording of `code`.
    loyalty::LocalizedText reason;
};

struct ClaimBatchAnswer : Answer {
    std::vector<ClaimOutcome> outcomes;  ///< one per request, in request order
};

// ---- members, OTP, redemptions ---------------------------------------------------------------------

struct HistoryEntry {
    loyalty::UnixSeconds at = 0;
    std::string kind;         ///< "earn", "redeem", "adjust", "expire", "prize"
    std::int64_t points = 0;  ///< signed
    std::string description;
};

struct MemberInfo : Answer {
    std::string phone;         ///< E.164, as central stores it
    std::string masked;        ///< "090****567", what a screen may show
    std::int64_t balance = 0;  ///< points
    std::int64_t pending = 0;  ///< points not yet usable
    std::string tier;
    std::string nextTier;         ///< empty at the top tier
    std::int64_t progress = 0;    ///< tier-qualifying points earned in the tier window
    std::int64_t nextTierAt = 0;  ///< qualifying points nextTier needs (0 at the top tier)
    std::int64_t progressPermille = 0;
    std::int64_t pointsToNextTier = 0;
    loyalty::LocalizedText tierName;  ///< "Bạc" / "Silver" (tier_name_vi / _en)
    std::vector<HistoryEntry> history;
    bool marketingConsent = false;  ///< the member accepts promotions now (central's `consent.marketing`)
};

struct OtpSent : Answer {
    std::int64_t expiresInSeconds = 0;
    std::string masked;  ///< the phone the code went to, masked
};

struct RedemptionRequest {
    std::string idempotencyKey;
    std::string phone;
    std::string rewardId;
    std::string otp;  ///< the 6-digit code the shopper typed
};

struct Voucher : Answer {
    std::string code;       ///< human-readable code printed under the QR
    std::string qrPayload;  ///< what the voucher QR encodes (signed by central)
    std::string rewardId;
    loyalty::LocalizedText name;   ///< the reward's name (name_vi / _en)
    std::int64_t valueDong = 0;    ///< dong
    std::int64_t pointsSpent = 0;  ///< points
    std::int64_t balance = 0;      ///< member balance after spending, points
    loyalty::UnixSeconds issuedAt = 0;
    loyalty::UnixSeconds expiresAt = 0;
    loyalty::LocalizedText terms;  ///< wire: terms (Vietnamese), terms_en
};

// ---- config and heartbeat --------------------------------------------------------------------------

struct ConfigAnswer : Answer {
    bool notModified = false;  ///< 304: the cached copy (with `etag` sent) is still current
    std::string etag;
    std::string body;  ///< the configuration document (JSON text), validated as a JSON object
};

/// The update agent's report (docs/fleet.md): the release it last acted on, its state ("idle",
/// "downloading", "installed", "trial", "healthy", "failed", "refused") and the last error or refusal.
struct UpdateReport {
    std::int64_t releaseId = 0;
    std::string state;
    std::string error;
};

/// Central's offer in a heartbeat answer: the release this kiosk should run. Its URLs are checked to
/// be release paths (release_download.hpp) before the answer is accepted.
struct UpdateOffer {
    std::int64_t releaseId = 0;
    std::int64_t rolloutId = 0;
    std::string version;
    std::string manifestUrl;
    std::string bundleUrl;
};

struct Heartbeat {
    std::string version;
    std::int64_t uptimeSeconds = 0;
    std::int64_t outboxDepth = 0;
    std::map<std::string, std::string> health;  ///< e.g. {"camera":"ok","printer":"paper_low"}
    std::optional<UpdateReport> update;         ///< the update agent's, when it has one
};

// ---- promo games (the types are in network/games.hpp) -----------------------------------------------

struct GameList;
struct MemberGames;
struct DrawAnswer;
struct TicketPurchase;

/// One command of a heartbeat answer: central sends a name ("resync") or an object with a "type" and
/// fields ({"type": "out_of_service", "on": true, "message_vi": "…"}); string and boolean fields are
/// kept as text ("true"/"false"), others are dropped.
struct Command {
    std::string type;
    std::map<std::string, std::string> fields;
    [[nodiscard]] std::string field(const std::string& name) const {
        const auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    }
};

/// One staff action of the maintenance mode, reported once (central keeps one per kiosk and key).
struct StaffActionReport {
    std::string key;              ///< the kiosk's own id of the action (1-64 of A-Z a-z 0-9 - _)
    std::string staffId;          ///< who did it
    std::string action;           ///< "test_print", "out_of_service_on", … (1-32 of a-z _)
    std::string detail;           ///< at most 200 characters
    loyalty::UnixSeconds at = 0;  ///< central's time as the kiosk knew it
};

struct HeartbeatAnswer : Answer {
    std::vector<Command> commands;      ///< e.g. "resync", "reload_config"; unknown ones are kept for logs
    std::optional<UpdateOffer> update;  ///< null/absent: nothing to install
};

class CentralClient {
  public:
    /// Checks the configuration (URL scheme, loopback rule for http://). Not thread-safe to share.
    [[nodiscard]] static Result<CentralClient> create(ClientConfig config);

    CentralClient(CentralClient&&) noexcept;
    CentralClient& operator=(CentralClient&&) noexcept;
    ~CentralClient();

    /// The configuration as created. Its `credential` may be replaced by setCredential() from another
    /// thread: read credential() instead.
    [[nodiscard]] const ClientConfig& config() const;
    /// The credential sent with the next call (empty before enrollment). Any thread.
    [[nodiscard]] std::string credential() const;
    /// Replaces the credential (after enrollment). The ONE member that may be called from any thread,
    /// also while another thread is inside a call: that call keeps the credential it started with.
    void setCredential(std::string credential);

    /// POST /v1/kiosks/enroll — exchanges a one-time enrollment code for this kiosk's credential.
    /// `proposedCredential`, when not empty, is the credential the kiosk made itself and saved before
    /// the call: central takes it, and answers the same code with the same proposal again if the first
    /// answer was lost. Use the credential of the answer in any case.
    [[nodiscard]] Result<Enrollment> enroll(const std::string& enrollmentCode,
                                            const std::string& proposedCredential = {});

    /// POST /v1/claims with one claim. A refusal is an outcome (status Refused), not an Error.
    [[nodiscard]] Result<ClaimOutcome> claim(const ClaimRequest& request);

    /// POST /v1/claims with a batch. Outcomes come back in request order; an answer that does not
    /// account for every request is a BadResponse.
    [[nodiscard]] Result<ClaimBatchAnswer> claimBatch(const std::vector<ClaimRequest>& requests);

    /// GET /v1/members/{phone}
    [[nodiscard]] Result<MemberInfo> member(const std::string& phone);

    /// POST /v1/otp — central sends a one-time code to the phone. The code is bound to this kiosk and,
    /// when `rewardId` is not empty, to that reward: it redeems nothing else (docs/api.md).
    [[nodiscard]] Result<OtpSent> requestOtp(const std::string& phone, const std::string& rewardId = "");

    /// POST /v1/redemptions — spends points, returns a signed voucher.
    [[nodiscard]] Result<Voucher> redeem(const RedemptionRequest& request);

    /// GET /v1/kiosks/{id}/config with If-None-Match: etag (empty = unconditional).
    [[nodiscard]] Result<ConfigAnswer> pullConfig(const std::string& etag);

    /// POST /v1/kiosks/{id}/heartbeat
    [[nodiscard]] Result<HeartbeatAnswer> heartbeat(const Heartbeat& beat);

    /// POST /v1/members/{phone}/consent/withdraw — the member identified here stops promotional
    /// messages (consent_calls.cpp). Transactional messages are not affected. Central's answer must say
    /// the marketing consent is now off, else BadResponse; an unknown member is Refused `not_found`.
    [[nodiscard]] Result<Answer> withdrawMarketingConsent(const std::string& phone);

    /// POST /v1/kiosks/{id}/staff-actions — 1-100 staff actions; resending a key stores nothing twice.
    [[nodiscard]] Result<Answer> reportStaffActions(const std::vector<StaffActionReport>& actions);

    // Promo games (games_calls.cpp; include network/games.hpp). Central decides every outcome.
    /// GET /v1/games — the games playable at this kiosk's store now.
    [[nodiscard]] Result<GameList> games();
    /// GET /v1/members/{phone}/games — the member's tickets and draws (undisplayed ones first).
    [[nodiscard]] Result<MemberGames> memberGames(const std::string& phone);
    /// POST /v1/games/{id}/draws — spends a ticket and draws. Resending `idempotencyKey` returns the
    /// same draw (replayed); refusals (game_no_ticket, game_daily_limit, game_not_available) are
    /// Refused errors with central's code.
    [[nodiscard]] Result<DrawAnswer> draw(const std::string& gameId, const std::string& phone,
                                          const std::string& idempotencyKey);
    /// POST /v1/games/{id}/tickets — buys one play with the member's points, proven by the one-time code
    /// `otp` (requested without a reward). Resending `idempotencyKey` answers the same purchase
    /// (replayed), never a second debit; refusals (game_insufficient_points, game_ticket_not_for_sale,
    /// game_daily_limit, game_not_available, otp_invalid, otp_locked) are Refused with central's code.
    [[nodiscard]] Result<TicketPurchase> buyTicket(const std::string& gameId, const std::string& phone,
                                                   const std::string& otp, const std::string& idempotencyKey);
    /// POST /v1/games/draws/{key}/displayed — the kiosk showed this draw to the member.
    [[nodiscard]] Result<Answer> markDisplayed(const std::string& idempotencyKey, const std::string& phone);

  private:
    /// One JSON exchange for the calls implemented in other files of this library: central's 2xx
    /// JSON object, or an Error (as sendJson in central_client.cpp).
    [[nodiscard]] Result<nlohmann::json> jsonCall(const char* method, const std::string& path,
                                                  const nlohmann::json* body, Answer& answer);

    struct Impl;
    explicit CentralClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace net
