#pragma once
// The journey's own vocabulary: what it knows of members, claims, vouchers, refusals, the sync state and
// central's errors, and the content (never the wording) of the slips it asks the printer for.
//
// These types belong to the core. The app's adapter (kiosk/src/app/adapter.hpp) maps the network
// client's, the local store's and the sync worker's types to and from them, so the core compiles
// against loyalty/, the ui view types and its own headers only (tests/architecture/check_layers.sh).

#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/localized_text.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk {

/// One entry of a member's history, newest first.
struct HistoryEntry {
    loyalty::UnixSeconds at = 0;
    std::string kind;  ///< central's ledger kind: "earn", "redeem", "adjustment", "expiry", "game_prize"
    std::int64_t points = 0;  ///< signed; central's reference (receipt id, staff note) is not for the shopper
};

/// A member as central knows them.
struct Member {
    std::string phone;
    std::int64_t balance = 0;         ///< points
    std::string tier;                 ///< tier id, "silver"
    loyalty::LocalizedText tierName;  ///< central's name of the tier; empty: ours ("tier.<id>.name")
    std::string nextTier;             ///< empty at the top tier
    std::int64_t progressPermille = 0;
    std::int64_t pointsToNextTier = 0;
    std::vector<HistoryEntry> history;
    bool marketingConsent = false;  ///< central says the member accepts promotional messages now
};

/// The shopper's receipt, accepted by the kiosk and to be claimed on central through the outbox.
struct NewClaim {
    std::string receiptId;  ///< "STORE/NUMBER"
    std::string token;      ///< the receipt QR text exactly as scanned
    std::string phone;      ///< national form, "0901234567"
    bool consentJoin = false;
    bool consentMarketing = false;
    std::string consentTextVersion;
    loyalty::UnixSeconds acceptedAt = 0;  ///< central's time as the kiosk knows it
    std::int64_t provisionalPoints = 0;   ///< what the screen showed as pending
};

/// Why a claim did not enter the outbox.
enum class QueueFailure {
    Duplicate,  ///< this receipt is already in the outbox (scanned twice at this kiosk)
    Store,      ///< the local store could not write it
};

/// One line of central's explanation of the points a claim earned.
struct PointsLine {
    std::string kind;              ///< "base", "promotion", ...: our generic text when label is empty
    loyalty::LocalizedText label;  ///< central's wording of the rule
    std::int64_t points = 0;
};

/// Central's answer to one claim.
struct ClaimOutcome {
    enum class Status {
        Accepted,  ///< credited
        Refused,   ///< definitively refused (code, reason)
        Pending,   ///< not settled yet
    };
    Status status = Status::Pending;
    std::int64_t pointsEarned = 0;
    std::int64_t balance = 0;  ///< after this claim
    std::vector<PointsLine> breakdown;
    std::string code;  ///< refusal code, "already_claimed"; the kiosk words it (refusalText)
};

/// Central could not do what was asked (unreachable, timed out, refused).
struct CentralError {
    std::string code;         ///< central's machine code ("otp_invalid"), empty without an answer
    bool definitive = false;  ///< central said no: asking again gives the same answer
    std::string message;
};

/// Central sent a one-time code to the member's phone.
struct OtpSent {
    std::string masked;  ///< the phone it went to
};

/// A voucher central issued: what its slip prints.
struct Voucher {
    std::string code;       ///< human-readable, printed under the QR
    std::string qrPayload;  ///< central's signed voucher token, exactly what the QR encodes
    loyalty::LocalizedText title;
    std::int64_t valueDong = 0;  ///< 0: no value line
    loyalty::UnixSeconds issuedAt = 0;
    loyalty::UnixSeconds expiresAt = 0;  ///< first second it is no longer valid
    loyalty::LocalizedText terms;
};

/// What a redemption gave: the voucher and the member's balance after it.
struct Redemption {
    Voucher voucher;
    std::int64_t balance = 0;
};

/// Spend points: the request the journey makes (the app adds the idempotency key).
struct RedeemRequest {
    std::string phone;
    std::string rewardId;
    std::string otp;  ///< the 6 digits the shopper typed
};

/// A voucher issued at this kiosk, kept for staff reprints.
struct KeptVoucher {
    Voucher voucher;
    bool printed = false;  ///< a whole slip came out at least once
};

/// A claim central refused, kept for staff until they acknowledge it.
struct Refusal {
    std::int64_t id = 0;
    std::string receiptId;
    std::string phone;
    std::int64_t provisionalPoints = 0;
    std::string code;  ///< central's refusal code; the screen words it (refusalText)
    loyalty::UnixSeconds refusedAt = 0;
};

/// Where the kiosk stands with its credential.
enum class Enrollment { NotNeeded, Pending, Enrolled, Refused };

/// What the camera's detector says the shopper should do so the code it sees reads (hal::ScanHint).
enum class ScanTip { None, HoldCloser, HoldStill, TiltAwayFromLight, FlattenReceipt };

/// The content of a voucher slip; the app words it in `language` (kiosk/src/app/tickets.hpp).
struct VoucherSlip {
    Voucher voucher;
    std::string language;     ///< "vi" | "en"
    std::string memberPhone;  ///< masked; empty on a staff reprint (the kiosk keeps nothing of the member)
    loyalty::UnixSeconds printedAt = 0;  ///< the time printed when central gave no issue time
};

/// The content of the receipt of a consent a new member gave in this session.
struct ConsentSlip {
    std::string language;  ///< "vi" | "en"
    bool marketing = false;
    std::string memberPhone;  ///< masked
    std::string textVersion;  ///< of the consent text shown
    loyalty::UnixSeconds givenAt = 0;
};

/// The staff member who opened the maintenance screen: a member central issued a PIN to, or the
/// kiosk's own installation PIN (`[staff] pin`, id kKioskPinStaffId).
struct StaffMember {
    std::string id;
    std::string name;
};
inline constexpr const char* kKioskPinStaffId = "kiosk-pin";

/// The update agent as staff see it (docs/fleet.md): what it does with the release central offered.
struct UpdateInfo {
    std::string state;  ///< "" (nothing to say yet), downloading, installed, trial, healthy, failed, refused
    std::string version;  ///< the release's version (the running one when there is no offer)
    std::string error;    ///< the refusal or failure, "code: detail"
    loyalty::UnixSeconds postponedUntil = 0;  ///< staff postponed the switch until then (0: not)
};

/// Whether shoppers may start a journey here. Set by staff on the maintenance screen or by head office
/// (a heartbeat command); kept by the kiosk across restarts.
struct ServiceNotice {
    bool outOfService = false;
    loyalty::LocalizedText message;  ///< empty: the kiosk's own words ("attract.out_of_service")
    std::string by;                  ///< "central" or the staff id
};

}  // namespace kiosk
