#pragma once
// The per-frame drawing context the host hands to a screen: the view, fonts, theme, the rectangles
// of the controls drawn this frame (for automation taps) and the intents the touches produced.
// Lives for one frame on the UI thread; holds no state between frames.

#include <imgui.h>

#include <map>
#include <string>
#include <vector>

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

namespace theme {
inline constexpr ImU32 kBackground = IM_COL32(0xF7, 0xF5, 0xF0, 0xFF);
inline constexpr ImU32 kHeader = IM_COL32(0x0B, 0x7A, 0x4B, 0xFF);
inline constexpr ImU32 kText = IM_COL32(0x1E, 0x1E, 0x1E, 0xFF);
inline constexpr ImU32 kMuted = IM_COL32(0x5F, 0x63, 0x68, 0xFF);
inline constexpr ImU32 kOnDark = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kPrimary = IM_COL32(0x0B, 0x7A, 0x4B, 0xFF);
inline constexpr ImU32 kPrimaryActive = IM_COL32(0x08, 0x5C, 0x38, 0xFF);
inline constexpr ImU32 kButton = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kButtonActive = IM_COL32(0xDD, 0xE8, 0xE2, 0xFF);
inline constexpr ImU32 kBorder = IM_COL32(0xC8, 0xC8, 0xC0, 0xFF);
inline constexpr ImU32 kGood = IM_COL32(0x1B, 0x7F, 0x3A, 0xFF);
inline constexpr ImU32 kWarning = IM_COL32(0xA6, 0x5A, 0x00, 0xFF);
inline constexpr ImU32 kError = IM_COL32(0xC6, 0x28, 0x28, 0xFF);
inline constexpr ImU32 kGuide = IM_COL32(0x2E, 0xE5, 0x8A, 0xFF);
}  // namespace theme

class Canvas {
  public:
    Canvas(const View& view, const Fonts& fonts, ImVec2 size, ImTextureID camera, ImVec2 cameraSize);

    [[nodiscard]] const View& view() const { return m_view; }
    [[nodiscard]] const Fonts& fonts() const { return m_fonts; }
    [[nodiscard]] ImVec2 size() const { return m_size; }
    [[nodiscard]] bool landscape() const { return m_size.x > m_size.y; }
    /// Layout unit: 1 at 1080 pixels on the short side.
    [[nodiscard]] float px(float basePixels) const { return basePixels * m_scale; }

    /// A large touch button for `control` at the cursor; a touch on it becomes an Intent.
    void button(const Control& control, ImVec2 size);
    /// A touch area of `size` at the cursor that the screen draws itself: `control` is "name:*", the
    /// intents are what the screen read from the finger ("name:argument"), given to report().
    void surface(const Control& control, ImVec2 size);
    void report(std::string id) { m_intents.push_back({std::move(id)}); }
    /// A touch area of `size` at the cursor with nothing drawn (Control::Kind::Hidden).
    void hidden(const Control& control, ImVec2 size);
    /// A large tick box with its label wrapped to `width`.
    void checkbox(const Control& control, float width);
    /// Every control of the view that is a Button (not keys, not "lang"), full width, stacked.
    void buttons(float width, float height);
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

    [[nodiscard]] std::vector<Intent> takeIntents() { return std::move(m_intents); }
    [[nodiscard]] std::map<std::string, ControlRect> takeRects() { return std::move(m_rects); }

  private:
    void record(const Control& control);

    const View& m_view;
    Fonts m_fonts;
    ImVec2 m_size;
    float m_scale;
    ImTextureID m_camera;
    ImVec2 m_cameraSize;
    std::vector<Intent> m_intents;
    std::map<std::string, ControlRect> m_rects;
};

}  // namespace ui
