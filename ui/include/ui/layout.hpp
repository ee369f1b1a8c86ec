#pragma once
// Where the last frame put things, for the layout and contrast tests (Host::layout()): every control,
// every piece of text with the colours it was drawn in, the camera picture. Window pixels, origin at
// the top-left corner. Pure C++: no SDL, no ImGui.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ui {

struct Rect {
    float x0 = 0;
    float y0 = 0;
    float x1 = 0;
    float y1 = 0;
    [[nodiscard]] bool contains(const Rect& r, float slack = 0.5F) const {
        return r.x0 >= x0 - slack && r.y0 >= y0 - slack && r.x1 <= x1 + slack && r.y1 <= y1 + slack;
    }
    [[nodiscard]] bool overlaps(const Rect& r) const {
        return x0 < r.x1 && r.x0 < x1 && y0 < r.y1 && r.y0 < y1;
    }
    [[nodiscard]] Rect intersection(const Rect& r) const;
    [[nodiscard]] bool empty() const { return x1 <= x0 || y1 <= y0; }
};

struct DrawnText {
    /// Line: a text line of the view; Label: a control's words; Frame: title, countdown, status;
    /// Card: on the tier card; Entry: the typed number or code.
    enum class Kind { Line, Label, Frame, Card, Entry };
    Kind kind = Kind::Line;
    std::string text;
    Rect rect;  ///< where its glyphs go
    Rect room;  ///< what it must stay inside (its button, the header, the card, the body)
    Rect clip;  ///< what the shopper can see of it now (a scrolling list shows part of its content)
    std::uint32_t colour = 0;      ///< 0xRRGGBB as seen (any transparency already blended)
    std::uint32_t background = 0;  ///< 0xRRGGBB of what lies under it
    bool large = false;            ///< WCAG "large text": >= 18 pt, or >= 14 pt bold
};

struct DrawnControl {
    std::string id;
    Rect rect;
    Rect clip;                     ///< the region it is drawn in (a scrolling list, or the window)
    bool hidden = false;           ///< Control::Kind::Hidden: a touch area with nothing drawn
    bool scrolls = false;          ///< inside a scrolling list: may lie below its visible part
    std::uint32_t outline = 0;     ///< 0xRRGGBB of its edge (border, or its fill when it has none)
    std::uint32_t background = 0;  ///< 0xRRGGBB of the page around it
    bool pressed = false;          ///< a finger is on it this frame
    std::uint32_t fill = 0;        ///< 0xRRGGBB it is filled with now (its pressed shade while pressed)
    std::optional<Rect> icon;      ///< the drawn icon beside its words (back, call staff, large text)
};

struct Layout {
    float width = 0;
    float height = 0;
    std::vector<DrawnControl> controls;
    std::vector<DrawnText> texts;
    std::optional<Rect> camera;
    /// Pieces of decoration (the success moment's confetti): they must leave every text and control clear.
    std::vector<Rect> decorations;
    /// Pictures drawn (the chain's logo, reward images), where they went.
    std::vector<Rect> pictures;
    /// The fonts of the atlas the body texts and the headings were drawn in, as Dear ImGui names them
    /// ("NotoSerif-Regular.ttf, 42px").
    std::string bodyFont;
    std::string headingFont;
    /// False for the frames of an injected touch's hover, press and release (Host::tap): laid out and
    /// fed to Dear ImGui, not painted.
    bool painted = true;
};

/// WCAG 2 contrast ratio of two opaque sRGB colours 0xRRGGBB (1 to 21).
[[nodiscard]] float contrastRatio(std::uint32_t a, std::uint32_t b);
/// WCAG relative luminance of an opaque sRGB colour 0xRRGGBB.
[[nodiscard]] float relativeLuminance(std::uint32_t rgb);

}  // namespace ui
