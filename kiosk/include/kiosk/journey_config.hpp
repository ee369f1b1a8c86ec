#pragma once
// What the journey is configured with, and the time it is given.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/campaign.hpp"
#include "loyalty/localized_text.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/receipt_token.hpp"
#include "loyalty/tier.hpp"

namespace kiosk {

/// A time point given to the journey: monotonic milliseconds (idle timeout) and wall seconds
/// (receipt age), both from the HAL clock.
struct Now {
    std::chrono::milliseconds mono{0};
    loyalty::UnixSeconds wall = 0;
};

/// One entry of the rewards catalog.
struct Reward {
    std::string id;
    loyalty::LocalizedText title;
    std::int64_t points = 0;  ///< price in points
    /// Central's availability dates (local, both inclusive); nullopt: unbounded.
    std::optional<loyalty::LocalDate> availableFrom;
    std::optional<loyalty::LocalDate> availableUntil;
};

struct JourneyConfig {
    std::string kioskId;
    std::chrono::milliseconds idleTimeout{45'000};
    std::chrono::milliseconds countdownFrom{10'000};  ///< the countdown shows in the last this-many ms
    std::string consentTextVersion = "consent-2026-11";
    loyalty::StoreKeyring keyring;
    loyalty::VerifyPolicy verifyPolicy;
    const loyalty::PhonePolicy* phonePolicy = &loyalty::PhonePolicy::builtIn();
    std::vector<Reward> rewards;
    /// Points the receipt will earn, shown as provisional while central has not confirmed them.
    /// Empty function or empty answer: the screen says "pending" without a figure.
    std::function<std::optional<std::int64_t>(const loyalty::Receipt&)> estimatePoints;
    /// Central's campaign (each tier's earn bonus) and tier rules (each tier's benefits), as its config
    /// document said; until then the tier card shows the tier and its progress only.
    std::optional<loyalty::Campaign> campaign;
    std::optional<loyalty::TierRules> tierRules;
    /// The kiosk's own installation PIN (`[staff] pin`), opening the maintenance screen as staff
    /// kKioskPinStaffId; empty: only the PINs central issued (no staff mode while it has issued none).
    std::string staffPin;
    /// Where the receipt camera is, seen from the shopper: "below" | "above" | "left" | "right" of the
    /// screen. The Attract screen points there.
    std::string cameraAt = "below";
    std::string version;  ///< this build's, shown to staff
};

inline constexpr int kStaffTaps = 5;
inline constexpr std::chrono::milliseconds kStaffTapWindow{4'000};
inline constexpr int kStaffPinTries = 3;
/// After kStaffPinTries wrong PINs the gesture does nothing for this long (no guessing 3 PINs a minute).
inline constexpr std::chrono::milliseconds kStaffLockout{5 * 60'000};

/// A wait for the outside world longer than this is said in words ("still trying…") under the spinner.
inline constexpr std::chrono::milliseconds kStillTryingAfter{3'000};
/// One turn of the spinner; it is redrawn every kSpinnerFrame while it turns (20 frames a second).
inline constexpr std::chrono::milliseconds kSpinnerTurn{1'200};
inline constexpr std::chrono::milliseconds kSpinnerFrame{50};

inline constexpr std::size_t kPhoneDigits = 10;
inline constexpr std::size_t kOtpDigits = 6;
inline constexpr std::size_t kStaffPinMaxDigits = 8;
inline constexpr std::size_t kStaffPinMinDigits = 4;
/// How often the paper-change walk-through asks the printer again (its status live on screen).
inline constexpr std::chrono::milliseconds kPaperPoll{1'000};

}  // namespace kiosk
