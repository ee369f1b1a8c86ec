#pragma once
// What the kiosk core hands the UI to draw, and what the UI hands back (intents).
//
// Contract
// - A View is a plain immutable value: the core rebuilds it when an event changes its state (not every
//   frame) and the UI thread only reads it. Every text in it is final, already translated and with
//   phone numbers masked: the UI owns no business rule and no wording.
// - Controls are named by stable ids ("start", "key:3", "reward:R1", ...). The UI reports a touch on
//   one as an Intent carrying that id; the automation socket taps the same ids.
// - Pure C++: no SDL, no ImGui, no I/O, so the core (which may not include SDL) can build it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ui {

enum class ScreenId {
    Attract,
    Scan,
    Phone,
    Consent,
    Working,
    Result,
    Rewards,
    Otp,
    Voucher,
    History,
    StaffPin,     ///< staff PIN entry, reached by the hidden gesture on Attract
    Maintenance,  ///< staff maintenance: device health, refused claims, voucher reprints
    Game,         ///< a promo game: lucky wheel or scratch card
    OptOut,       ///< stop promotional messages: what stops, what stays, central's answer
};

/// Stable lower-case name ("attract", "scan", ...) used by the automation socket and screenshots.
[[nodiscard]] std::string_view screenName(ScreenId screen);

enum class Tone { Normal, Good, Warning, Error };

struct TextLine {
    enum class Style { Heading, Body, Big, Small };
    std::string text;
    Style style = Style::Body;
    Tone tone = Tone::Normal;
    bool operator==(const TextLine&) const = default;
};

struct Control {
    /// Hidden: a touch area with nothing drawn, in the bottom-right corner (the staff gesture).
    enum class Kind { Button, Key, Checkbox, Hidden };
    Control() = default;
    Control(std::string controlId, std::string text, Kind controlKind = Kind::Button, bool isEnabled = true,
            bool isPrimary = false)
        : id(std::move(controlId)),
          label(std::move(text)),
          kind(controlKind),
          enabled(isEnabled),
          primary(isPrimary) {}

    std::string id;
    std::string label;
    Kind kind = Kind::Button;
    bool enabled = true;
    bool primary = false;  ///< the screen's main action, drawn prominent
    bool checked = false;  ///< Checkbox only
    std::string detail;    ///< second line under the label (reward cost, ...)
    /// The intent a long press reports instead of `id` ("key:clear" on the keypad's delete key).
    std::string hold;
    /// A picture drawn at the start of the button (Host::setPicture's name, "reward:<id>"); a name never
    /// uploaded, or empty: a plain tile.
    std::string picture;
    bool operator==(const Control&) const = default;
};

/// The member's tier card on the Result screen.
struct TierCard {
    std::string tierId;                   ///< "silver" | "gold" | "diamond"
    std::optional<std::uint32_t> colour;  ///< 0xRRGGBB, central's; none: a neutral card
    std::string name;                     ///< "Bạc", ...
    float progress = 0.0F;                ///< 0..1 toward the next tier
    std::string progressText;
    std::vector<std::string> benefits;
    bool operator==(const TierCard&) const = default;
};

/// The promo game's board. The core computes every position (the wheel's angle at the time the view was
/// built, the scratched cells); the screen draws it and reports flicks and scratches as intents
/// ("flick:<degrees per second>", "scratch:<cell>") on the controls "flick:*" and "scratch:*".
struct GameBoard {
    bool wheel = true;                 ///< false: a scratch card
    std::vector<std::string> sectors;  ///< the wheel's sector labels, clockwise from the pointer at angle 0
    std::vector<float> sectorDegrees;  ///< each sector's width in degrees (summing to 360), as sectors
    float angle = 0.0F;                ///< the wheel's rotation, degrees clockwise
    int columns = 0;                   ///< the scratch card's grid
    int rows = 0;
    std::vector<bool> scratched;  ///< row-major, columns x rows
    std::string hidden;           ///< the text under the card (the prize once central answered)
    bool celebrate = false;       ///< a prize was won: confetti
    bool operator==(const GameBoard&) const = default;
};

struct View {
    ScreenId screen = ScreenId::Attract;
    std::string language;  ///< "vi" | "en"
    std::string title;
    std::vector<TextLine> lines;
    std::vector<Control> controls;     ///< every control the screen offers, keypad keys included
    std::optional<std::string> entry;  ///< the field being typed (formatted phone, masked code)
    std::optional<TierCard> tier;
    std::optional<GameBoard> game;
    bool cameraPreview = false;  ///< draw the live camera picture with the guide frame
    /// Attract: where the receipt is held, "below" | "above" | "left" | "right" of the screen (an arrow
    /// and a receipt point there); empty: no pointer.
    std::string cameraAt;
    std::optional<std::string> countdown;  ///< idle countdown text, shown only near the timeout
    std::string status;                    ///< small status line (offline, pending sync, printer)
    /// A wait for the outside world: the screen draws a spinner turned this fraction of a turn (0..1).
    /// The core moves it with its clock while it waits, so the UI keeps no timer of its own.
    std::optional<float> spinner;
    /// The success moment when points land: how far its short animation has run (0..1); none: over.
    std::optional<float> celebration;
    /// The shopper switched on large text and high contrast (control "access" toggles it).
    bool accessible = false;
    std::uint64_t revision = 0;  ///< changes whenever anything above changes

    /// The control `id`; an id "name:argument" also finds the control "name:*" (a flick, a scratch), and
    /// a control's long-press intent finds the control (Control::hold).
    [[nodiscard]] const Control* control(std::string_view id) const;
    bool operator==(const View&) const = default;
};

/// What the shopper did: touched the control `id`.
struct Intent {
    std::string id;
};

}  // namespace ui
