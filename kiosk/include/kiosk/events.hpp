#pragma once
// What the journey asks the outside world to do (Command) and what comes back (Event).
//
// The journey (journey.hpp) is pure: it never blocks and never does I/O. It emits Commands; the app's
// workers carry them out off the UI thread and post the results as Events to the inbox the UI thread
// drains once per frame. Every value here is immutable once posted; events of a wiped session carry
// an old `session` number and are ignored. Only the core's own vocabulary (model.hpp) appears here: the
// app's adapter maps the network, store and printer types to it.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/game_model.hpp"
#include "kiosk/model.hpp"

namespace kiosk {

// ---- commands (journey -> workers) -------------------------------------------------------------------

/// GET the member from central. Answer: MemberLookedUp.
struct LookupMember {
    std::uint64_t session = 0;
    std::string phone;  ///< national form, "0901234567"
};
/// Durably queue the claim in the local outbox and wake the sync worker. Answer: ClaimQueued, later
/// ClaimSettled (from the sync worker, when central answers).
struct QueueClaim {
    std::uint64_t session = 0;
    NewClaim claim;
};
/// Ask central to send a one-time code. Answer: OtpRequested.
struct RequestOtp {
    std::uint64_t session = 0;
    std::string phone;
    std::string rewardId;  ///< the reward the code will redeem; central binds the code to it
};
/// Ask the printer for its status before any point is spent. Answer: PrinterChecked.
struct CheckPrinter {
    std::uint64_t session = 0;
};
/// Spend points on central. Answer: Redeemed. The worker gives the request its idempotency key (one
/// per confirmed code entry: a Redeem command is never re-emitted, retries reuse the key).
struct Redeem {
    std::uint64_t session = 0;
    RedeemRequest request;
};
/// Print a voucher central issued, in the shopper's language (or a staff reprint); the app words the
/// slip. A whole print marks the voucher printed in the local store. Answer: Printed.
struct PrintVoucher {
    std::uint64_t session = 0;
    VoucherSlip slip;
};
/// Print the receipt of the consent a new member gave in this session (after CheckPrinter said ready).
/// Nothing is stored and central is not involved. Answer: Printed.
struct PrintConsent {
    std::uint64_t session = 0;
    ConsentSlip slip;
};

/// Staff maintenance: read what the maintenance screen shows. Answer: StaffReportLoaded.
struct LoadStaffReport {
    std::uint64_t session = 0;
};
/// Staff have seen a claim central refused. Answer: StaffReportLoaded (the report read again).
struct AcknowledgeRefusal {
    std::uint64_t session = 0;
    std::int64_t refusalId = 0;
};

/// Staff PIN typed: checked off the UI thread against central's staff (Argon2id) and the kiosk's own
/// PIN. Answer: StaffPinChecked.
struct CheckStaffPin {
    std::uint64_t session = 0;
    std::string pin;
};
/// A staff action, recorded durably and sent to central's audit (no answer; a failed write is logged).
struct RecordStaffAction {
    std::string staffId;
    std::string action;  ///< "maintenance_opened", "test_print", "out_of_service_on", … (a-z _)
    std::string detail;
};
/// Print the test page (after CheckPrinter said ready). Answer: Printed.
struct PrintTestPage {
    std::uint64_t session = 0;
    std::string staffName;
};
/// Staff take the kiosk out of service or back: saved, then ServiceChanged to everyone.
struct SetService {
    ServiceNotice notice;
};
/// Staff restart the app (the service manager starts it again).
struct RestartApp {};
/// Staff: switch to the installed release now (after the staff action queued before it is stored).
struct InstallUpdateNow {};
/// Staff: hold the installed release back from quiet moments for sync::kUpdatePostpone. The app then
/// answers the LoadStaffReport that follows with the postponement.
struct PostponeUpdate {};

/// Promo games: the store's games and the member's tickets and undisplayed draws. Answer: GamesLoaded.
struct LoadGames {
    std::uint64_t session = 0;
    std::string phone;
};
/// Spend a ticket and draw on central. The worker gives it one idempotency key (retries reuse it).
/// Answer: GameDrawn.
struct DrawGame {
    std::uint64_t session = 0;
    std::string gameId;
    std::string phone;
};
/// Buy one play of a game with the member's points, proven by the one-time code typed. The worker gives
/// it one idempotency key (a retry reuses it: never a second debit). Answer: GameTicketBought.
struct BuyGameTicket {
    std::uint64_t session = 0;
    std::string gameId;
    std::string phone;
    std::string otp;
};
/// The member identified in this session stops promotional messages. Answer: ConsentWithdrawn.
struct WithdrawConsent {
    std::uint64_t session = 0;
    std::string phone;
};
/// The shopper saw this draw's outcome: tell central (no answer; a lost call shows it again next time).
struct MarkDrawShown {
    std::uint64_t session = 0;
    std::string key;
    std::string phone;
};

/// The shopper asked for staff: the app raises the alert with central (the kiosk's heartbeat carries it
/// at once, and for a while after). Answer: StaffCalled.
struct CallStaff {
    std::uint64_t session = 0;
};

/// Central credited the points: the success moment's chime, when the kiosk has one (kiosk.toml [sound]
/// chime_volume; docs/kiosk-ux.md). No answer.
struct PlayChime {};

using Command =
    std::variant<LookupMember, QueueClaim, RequestOtp, CheckPrinter, Redeem, PrintVoucher, PrintConsent,
                 LoadStaffReport, AcknowledgeRefusal, LoadGames, DrawGame, MarkDrawShown, BuyGameTicket,
                 WithdrawConsent, CallStaff, CheckStaffPin, RecordStaffAction, PrintTestPage, SetService,
                 RestartApp, InstallUpdateNow, PostponeUpdate, PlayChime>;

// ---- events (workers -> journey) ---------------------------------------------------------------------

/// A code the scanner read from the camera picture (any QR, not necessarily ours).
struct CodeScanned {
    std::string text;
};
/// The scanner's advice changed: it sees finder patterns it cannot decode, and why (None: nothing to say).
struct ScanTipChanged {
    ScanTip tip = ScanTip::None;
};
/// `member` empty: central does not know the number (a new member). Error: central unreachable etc.
struct MemberLookedUp {
    std::uint64_t session = 0;
    std::expected<std::optional<Member>, CentralError> result;
};
struct ClaimQueued {
    std::uint64_t session = 0;
    std::expected<std::string, QueueFailure> idempotencyKey;
    std::int64_t pendingPoints = 0;  ///< all points of this phone not yet confirmed, this claim included
};
struct ClaimSettled {
    std::string idempotencyKey;
    ClaimOutcome outcome;
};
struct SyncChanged {
    bool online = false;
    std::int64_t outboxDepth = 0;
    Enrollment enrollment = Enrollment::NotNeeded;  ///< staff see a kiosk not (yet) enrolled
    std::int64_t clockOffsetSeconds = 0;            ///< central time minus kiosk time
    // The two empty initialisers below keep g++'s -Wmissing-field-initializers quiet where a test
    // writes SyncChanged{true, 0}; clang-tidy calls them redundant.
    /// The last answered call; nullopt: none yet.
    std::optional<std::int64_t> roundTripMs{};  // NOLINT(readability-redundant-member-init)
    /// Empty when the last exchange succeeded.
    std::string lastError{};  // NOLINT(readability-redundant-member-init)
};
struct OtpRequested {
    std::uint64_t session = 0;
    std::expected<OtpSent, CentralError> result;
};
/// `problem` empty: ready. Otherwise a machine code: "paper_out", "cover_open", "offline", ...
struct PrinterChecked {
    std::uint64_t session = 0;
    std::string problem;
};
struct Redeemed {
    std::uint64_t session = 0;
    std::expected<Redemption, CentralError> result;
};
struct Printed {
    std::uint64_t session = 0;
    std::string problem;  ///< empty: the whole voucher (or consent receipt) came out
};

/// What the maintenance screen shows besides the printer (asked separately with CheckPrinter).
struct StaffReport {
    std::vector<Refusal> refusals;      ///< not yet acknowledged, newest first
    std::vector<KeptVoucher> vouchers;  ///< issued at this kiosk, newest first
    std::int64_t outboxDepth = 0;
    std::int64_t staffActionsUnsent = 0;  ///< staff actions central does not have yet
    std::string cameraProblem;            ///< empty: the camera delivers frames
    std::optional<UpdateInfo> update;     ///< empty: no update agent ([update] not configured)
};
struct StaffReportLoaded {
    std::uint64_t session = 0;
    std::expected<StaffReport, std::string> report;  ///< error: why the store could not be read
};

/// `staff` empty: no one has this PIN.
struct StaffPinChecked {
    std::uint64_t session = 0;
    std::optional<StaffMember> staff;
};
/// The kiosk's service state (at start, from staff, from head office).
struct ServiceChanged {
    ServiceNotice notice;
};

struct GamesLoaded {
    std::uint64_t session = 0;
    std::expected<GameOffer, CentralError> result;
};
struct GameDrawn {
    std::uint64_t session = 0;
    std::expected<GameDrawInfo, CentralError> result;
};

struct GameTicketBought {
    std::uint64_t session = 0;
    std::expected<TicketPurchase, CentralError> result;
};
/// Central took the withdrawal (the member's marketing consent is off), or why not.
struct ConsentWithdrawn {
    std::uint64_t session = 0;
    std::expected<void, CentralError> result;
};

/// Central answered a heartbeat carrying the alert (`delivered`), or it could not be sent now.
struct StaffCalled {
    std::uint64_t session = 0;
    bool delivered = false;
};

using Event =
    std::variant<CodeScanned, ScanTipChanged, MemberLookedUp, ClaimQueued, ClaimSettled, SyncChanged,
                 OtpRequested, PrinterChecked, Redeemed, Printed, StaffReportLoaded, GamesLoaded, GameDrawn,
                 GameTicketBought, ConsentWithdrawn, StaffCalled, StaffPinChecked, ServiceChanged>;

}  // namespace kiosk
