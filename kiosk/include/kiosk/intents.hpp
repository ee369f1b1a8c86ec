#pragma once
// The typed codec of the shopper's intents: a control id ("start", "key:3", "reward:R1", "ack:7") is
// decoded once into a value the steps switch on, and the steps name their controls by encoding one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace kiosk {

/// A touch on a control that carries no argument.
enum class Action {
    Start,
    Back,
    Ok,
    Done,
    Language,
    Staff,  ///< the hidden corner of Attract (the staff gesture)
    Rewards,
    History,
    PrintConsent,
    ConsentJoin,
    ConsentMarketing,
    AlreadyMember,
    CheckPrinterAgain,  ///< Rewards after a printer problem: staff refilled the paper  ///< Consent with
                        ///< central unreachable: "I am already a member", no consent recorded
    Delete,             ///< the keypad's delete key
    Play,               ///< Result: open the promo game (or the prize a kiosk never showed)
    RevealAll,          ///< the scratch card's accessible "reveal all"
    Access,             ///< switch large text and high contrast on or off (for this session)
    Clear,              ///< the keypad's delete key held: the whole entry goes
    CallStaff,          ///< the shopper wants help: an alert for staff (heartbeat → console)
    TestPrint,          ///< Maintenance: print the test page
    ToggleService,      ///< Maintenance: out of service / back in service
    PaperChange,        ///< Maintenance: the paper-change walk-through
    PaperDone,          ///< the walk-through: paper changed, printer ready
    Restart,            ///< Maintenance: restart the app
    BuyPlay,            ///< Result: buy a play of a promo game with points (through the one-time code)
    StopPromotions,     ///< History: stop promotional messages (opens the confirmation)
    ConfirmStop,        ///< the confirmation: yes, withdraw the marketing consent
    InstallUpdate,      ///< Maintenance: switch to the installed release now
    PostponeUpdate,     ///< Maintenance: not at the next quiet moment
};
/// A keypad digit, '0'..'9'.
struct Digit {
    char digit = '0';
    bool operator==(const Digit&) const = default;
};
struct ChooseReward {
    std::string rewardId;
    bool operator==(const ChooseReward&) const = default;
};
/// Staff: reprint the voucher with this code.
struct Reprint {
    std::string code;
    bool operator==(const Reprint&) const = default;
};
/// Staff: a refused claim has been seen.
struct Acknowledge {
    std::int64_t refusalId = 0;
    bool operator==(const Acknowledge&) const = default;
};

/// The wheel flicked (or its Spin button: a fixed speed), degrees per second the finger left it at.
struct Flick {
    int degreesPerSecond = 0;
    bool operator==(const Flick&) const = default;
};
/// The scratch card: the finger crossed this cell of its grid (row-major).
struct Scratch {
    int cell = 0;
    bool operator==(const Scratch&) const = default;
};

using Intent = std::variant<Action, Digit, ChooseReward, Reprint, Acknowledge, Flick, Scratch>;

/// nullopt: not an id the kiosk's screens offer.
[[nodiscard]] std::optional<Intent> decodeIntent(std::string_view id);
[[nodiscard]] std::string encodeIntent(const Intent& intent);

}  // namespace kiosk
