#pragma once
// The per-frame drawing context the host hands to a screen: the view, fonts, theme, the rectangles
// of the controls drawn this frame (for automation taps) and the intents the touches produced.
// Lives for one frame on the UI thread; holds no state between frames.

#include <imgui.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ui/layout.hpp"
#include "ui/theme.hpp"
#include "ui/view.hpp"

namespace ui {

struct Fonts {
    ImFont* small = nullptr;
    ImFont* body = nullptr;
    ImFont* heading = nullptr;
    ImFont* big = nullptr;
    ImFont* entry = nullptr;  ///< digits, space, '*' and '_' only: the typed phone number or code
};

struct ControlRect {
    ImVec2 min;
    ImVec2 max;
    bool enabled = true;
    bool visible = true;  ///< its centre lies inside the region it is drawn in (a finger can reach it)
};

/// A picture uploaded by Host::setPicture: the chain's logo, a reward's image.
struct Picture {
    ImTextureID texture = nullptr;
    ImVec2 size;  ///< pixels
};

/// The theme's colours as Dear ImGui draws them (ui/theme.hpp), for one frame. Every text/background
/// pair they make on a screen is checked against WCAG AA by tests/ui/layout_test.cpp (4.5:1; 3:1 for
/// the bold heading sizes and up), and every control's edge against the page (3:1).
struct Palette {
    explicit Palette(const Theme& theme);
    ImU32 background;
    ImU32 header;
    ImU32 statusBar;
    ImU32 text;
    ImU32 muted;
    ImU32 onDark;
    ImU32 primary;
    ImU32 primaryActive;
    ImU32 button;
    ImU32 buttonActive;
    ImU32 buttonDisabled;
    ImU32 border;
    ImU32 good;
    ImU32 warning;
    ImU32 error;
    ImU32 guide;
};

/// The type scale (pixels at 1080 on the short side) and spacing steps every screen uses.
namespace scale {
inline constexpr float kSmall = 32;
inline constexpr float kBody = 42;
inline constexpr float kHeading = 54;
inline constexpr float kBig = 80;
inline constexpr float kEntry = 104;
inline constexpr float kGapS = 12;  ///< between stacked buttons, under a text line
inline constexpr float kGapM = 24;
inline constexpr float kGapL = 36;  ///< between columns and groups
inline constexpr float kMargin = 48;
inline constexpr float kButton = 128;  ///< a one-line button's height
}  // namespace scale

/// The controls the frame draws on every screen (Screen::draw), not the screen's body: the language
/// switch in the header, "call staff" in the status band.
[[nodiscard]] inline bool inFrame(const Control& control) {
    return control.id == "lang" || control.id == "call_staff";
}

/// A colour as 0xRRGGBB (what the layout record and the contrast test speak).
[[nodiscard]] constexpr std::uint32_t rgb(ImU32 colour) {
    return (colour & 0xFFU) << 16 | (colour >> 8 & 0xFFU) << 8 | (colour >> 16 & 0xFFU);
}

/// Text colour and what it is written on.
struct Ink {
    ImU32 colour;
    ImU32 background;
};

class Canvas {
  public:
    Canvas(const View& view, const Fonts& fonts, const Palette& palette, ImVec2 size, ImTextureID camera,
           ImVec2 cameraSize, const std::map<std::string, Picture, std::less<>>& pictures);

    [[nodiscard]] const View& view() const { return m_view; }
    [[nodiscard]] const Fonts& fonts() const { return m_fonts; }
    [[nodiscard]] const Palette& palette() const { return m_palette; }
    [[nodiscard]] ImVec2 size() const { return m_size; }
    [[nodiscard]] bool landscape() const { return m_size.x > m_size.y; }
    /// Layout unit: 1 at 1080 pixels on the short side.
    [[nodiscard]] float px(float basePixels) const { return basePixels * m_scale; }

    enum class Align { Centre, Left };
    /// A large touch button for `control` at the cursor; a touch on it becomes an Intent. Its label in
    /// the heading font, its detail (if any) under it in the body font, wrapped to the button.
    void button(const Control& control, ImVec2 size, Align align = Align::Centre);
    /// The height a button needs for `control` at `width` (taller when its words wrap), at least `height`.
    [[nodiscard]] float buttonHeight(const Control& control, float width, float height) const;
    /// A touch area of `size` at the cursor that the screen draws itself: `control` is "name:*", the
    /// intents are what the screen read from the finger ("name:argument"), given to report().
    void surface(const Control& control, ImVec2 size);
    void report(std::string id) { m_intents.push_back({std::move(id)}); }
    /// A touch area of `size` at the cursor with nothing drawn (Control::Kind::Hidden).
    void hidden(const Control& control, ImVec2 size);
    /// A large tick box with its label wrapped to `width`.
    void checkbox(const Control& control, float width);
    [[nodiscard]] float checkboxHeight(const Control& control, float width) const;
    /// Every control of the view that is a Button (not keys, not "lang"), full width, stacked.
    void buttons(float width, float height);
    /// The height buttons(width, height) takes, gaps included.
    [[nodiscard]] float buttonsHeight(float width, float height) const;
    /// A line of text wrapped to `width`, in its style's font and tone.
    void text(const TextLine& line, float width);
    void lines(float width);
    /// The numeric keypad (controls of kind Key) in a 3x4 grid filling `size`.
    void keypad(ImVec2 size);
    /// A wait's spinner: twelve spokes round `centre`, the one at `turn` (0..1 of a turn, View::spinner)
    /// darkest and those behind it fading.
    void spinner(ImVec2 centre, float radius, float turn);
    /// The camera picture scaled into `size`, with the guide frame the receipt QR goes into.
    void cameraPreview(ImVec2 size);
    /// A region of `size` at the cursor whose content scrolls (finger drag or its wide scroll bar) when
    /// it is taller than the region; close with endScroll().
    void beginScroll(const char* id, ImVec2 size);
    void endScroll();

    /// Draws `text` with its top-left corner at `at` (screen pixels), wrapped to `wrap` (0: one line),
    /// and records it for the layout tests; `room` is what it must stay inside. Returns its size.
    ImVec2 drawText(ImFont* font, ImVec2 at, const std::string& text, float wrap, Ink ink,
                    DrawnText::Kind kind, const Rect& room);
    /// Draws a piece of decoration (a confetto) at `rect`, unless it would touch a text or a control drawn
    /// so far this frame as the shopper sees them: draw it after them. Recorded for the layout tests.
    void decoration(const Rect& rect, ImU32 colour, float rounding);
    /// The picture uploaded as `name`, or null.
    [[nodiscard]] const Picture* picture(std::string_view name) const;
    /// Draws `picture` scaled to fit inside `box` (never up), centred; returns where it went. Recorded
    /// in the layout as a picture.
    Rect drawPicture(const Picture& picture, const Rect& box);
    /// The part of the window the current region (screen, body, scrolling list) shows.
    [[nodiscard]] Rect region() const;

    [[nodiscard]] std::vector<Intent> takeIntents() { return std::move(m_intents); }
    [[nodiscard]] Layout takeLayout() { return std::move(m_layout); }
    [[nodiscard]] std::map<std::string, ControlRect> takeRects() { return std::move(m_rects); }

  private:
    void record(const Control& control, std::uint32_t outline);
    /// A button's label (after its icon, if any) and detail inside `room`, written in `ink`.
    void words(const Control& control, const Rect& room, Ink ink, Align align);
    /// The width a button's label may wrap to inside `inner`: less the room of its icon or picture.
    [[nodiscard]] float labelRoom(const Control& control, float inner) const;
    /// What comes before a button's label: its picture (with the gap after it), its icon, or nothing.
    [[nodiscard]] float leadWidth(const Control& control) const;
    /// The control's picture (Control::picture) if it was uploaded; null: a plain tile.
    [[nodiscard]] const Picture* tilePicture(const Control& control) const;
    [[nodiscard]] bool large(const ImFont* font) const;

    const View& m_view;
    Fonts m_fonts;
    const Palette& m_palette;
    ImVec2 m_size;
    float m_scale;
    ImTextureID m_camera;
    ImVec2 m_cameraSize;
    const std::map<std::string, Picture, std::less<>>& m_pictures;
    std::vector<Intent> m_intents;
    std::map<std::string, ControlRect> m_rects;
    Layout m_layout;
    int m_scrollDepth = 0;
};

}  // namespace ui
