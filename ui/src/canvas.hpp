#pragma once
// The per-frame drawing context the host hands to a screen: the view, fonts, theme, the rectangles
// of the controls drawn this frame (for automation taps) and the intents the touches produced.
// Lives for one frame on the UI thread; holds no state between frames.

#include <imgui.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ui/layout.hpp"
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

/// The design system's colours. Every text/background pair they make on a screen is checked against
/// WCAG AA by tests/ui/layout_test.cpp (4.5:1; 3:1 for the bold heading sizes and up), and every
/// control's edge against the page (3:1).
namespace theme {
inline constexpr ImU32 kBackground = IM_COL32(0xF7, 0xF5, 0xF0, 0xFF);
inline constexpr ImU32 kHeader = IM_COL32(0x0B, 0x7A, 0x4B, 0xFF);
inline constexpr ImU32 kStatusBar = IM_COL32(0xEC, 0xEA, 0xE4, 0xFF);
inline constexpr ImU32 kText = IM_COL32(0x1E, 0x1E, 0x1E, 0xFF);
inline constexpr ImU32 kMuted = IM_COL32(0x5F, 0x63, 0x68, 0xFF);
inline constexpr ImU32 kOnDark = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kPrimary = IM_COL32(0x0B, 0x7A, 0x4B, 0xFF);
inline constexpr ImU32 kPrimaryActive = IM_COL32(0x08, 0x5C, 0x38, 0xFF);
inline constexpr ImU32 kButton = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kButtonActive = IM_COL32(0xDD, 0xE8, 0xE2, 0xFF);
inline constexpr ImU32 kButtonDisabled = IM_COL32(0xEC, 0xEA, 0xE4, 0xFF);
inline constexpr ImU32 kBorder = IM_COL32(0x86, 0x89, 0x8C, 0xFF);
inline constexpr ImU32 kGood = IM_COL32(0x1B, 0x7F, 0x3A, 0xFF);
inline constexpr ImU32 kWarning = IM_COL32(0xA6, 0x5A, 0x00, 0xFF);
inline constexpr ImU32 kError = IM_COL32(0xC6, 0x28, 0x28, 0xFF);
inline constexpr ImU32 kGuide = IM_COL32(0x2E, 0xE5, 0x8A, 0xFF);
}  // namespace theme

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

/// A colour as 0xRRGGBB (what the layout record and the contrast test speak).
[[nodiscard]] constexpr std::uint32_t rgb(ImU32 colour) {
    return (colour & 0xFFU) << 16 | (colour >> 8 & 0xFFU) << 8 | (colour >> 16 & 0xFFU);
}

/// Text colour and what it is written on.
struct Ink {
    ImU32 colour = theme::kText;
    ImU32 background = theme::kBackground;
};

class Canvas {
  public:
    Canvas(const View& view, const Fonts& fonts, ImVec2 size, ImTextureID camera, ImVec2 cameraSize);

    [[nodiscard]] const View& view() const { return m_view; }
    [[nodiscard]] const Fonts& fonts() const { return m_fonts; }
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
    /// The part of the window the current region (screen, body, scrolling list) shows.
    [[nodiscard]] Rect region() const;

    [[nodiscard]] std::vector<Intent> takeIntents() { return std::move(m_intents); }
    [[nodiscard]] Layout takeLayout() { return std::move(m_layout); }
    [[nodiscard]] std::map<std::string, ControlRect> takeRects() { return std::move(m_rects); }

  private:
    void record(const Control& control, std::uint32_t outline);
    [[nodiscard]] bool large(const ImFont* font) const;

    const View& m_view;
    Fonts m_fonts;
    ImVec2 m_size;
    float m_scale;
    ImTextureID m_camera;
    ImVec2 m_cameraSize;
    std::vector<Intent> m_intents;
    std::map<std::string, ControlRect> m_rects;
    Layout m_layout;
    int m_scrollDepth = 0;
};

}  // namespace ui
