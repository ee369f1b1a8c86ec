#include "icons.hpp"

#include <numbers>

namespace ui {
namespace {

/// An arrow pointing left: the way back.
void back(ImDrawList* draw, const Rect& b, ImU32 colour, float stroke) {
    const float w = b.x1 - b.x0;
    const float h = b.y1 - b.y0;
    const ImVec2 tip(b.x0 + w * 0.12F, b.y0 + h * 0.5F);
    draw->AddLine(tip, ImVec2(b.x0 + w * 0.9F, tip.y), colour, stroke);
    draw->AddLine(tip, ImVec2(b.x0 + w * 0.46F, b.y0 + h * 0.16F), colour, stroke);
    draw->AddLine(tip, ImVec2(b.x0 + w * 0.46F, b.y0 + h * 0.84F), colour, stroke);
}

/// A bell: its dome, flared skirt, clapper and the knob it hangs from.
void bell(ImDrawList* draw, const Rect& b, ImU32 colour, float stroke) {
    const float w = b.x1 - b.x0;
    const float h = b.y1 - b.y0;
    const ImVec2 dome(b.x0 + w * 0.5F, b.y0 + h * 0.42F);
    const float radius = w * 0.28F;
    draw->PathArcTo(dome, radius, std::numbers::pi_v<float>, 2 * std::numbers::pi_v<float>, 16);
    draw->PathLineTo(ImVec2(dome.x + radius, b.y0 + h * 0.68F));
    draw->PathLineTo(ImVec2(b.x0 + w * 0.9F, b.y0 + h * 0.8F));
    draw->PathLineTo(ImVec2(b.x0 + w * 0.1F, b.y0 + h * 0.8F));
    draw->PathLineTo(ImVec2(dome.x - radius, b.y0 + h * 0.68F));
    draw->PathFillConvex(colour);
    draw->AddCircleFilled(ImVec2(dome.x, b.y0 + h * 0.88F), w * 0.09F, colour, 12);
    draw->AddCircle(ImVec2(dome.x, b.y0 + h * 0.1F), w * 0.06F, colour, 12, stroke * 0.6F);
}

/// The letter A drawn in strokes, `height` tall, its baseline at `base`.
void letterA(ImDrawList* draw, ImVec2 base, float height, ImU32 colour, float stroke) {
    const float half = height * 0.4F;
    const ImVec2 top(base.x + half, base.y - height);
    draw->AddLine(ImVec2(base.x, base.y), top, colour, stroke);
    draw->AddLine(top, ImVec2(base.x + 2 * half, base.y), colour, stroke);
    draw->AddLine(ImVec2(base.x + half * 0.45F, base.y - height * 0.38F),
                  ImVec2(base.x + half * 1.55F, base.y - height * 0.38F), colour, stroke);
}

/// A small A and a large one: text made bigger.
void largeText(ImDrawList* draw, const Rect& b, ImU32 colour, float stroke) {
    const float w = b.x1 - b.x0;
    const float h = b.y1 - b.y0;
    const float base = b.y0 + h * 0.88F;
    letterA(draw, ImVec2(b.x0 + w * 0.02F, base), h * 0.45F, colour, stroke * 0.8F);
    letterA(draw, ImVec2(b.x0 + w * 0.4F, base), h * 0.8F, colour, stroke);
}

}  // namespace

Icon iconFor(std::string_view controlId) {
    if (controlId == "back") {
        return Icon::Back;
    }
    if (controlId == "call_staff") {
        return Icon::CallStaff;
    }
    if (controlId == "access") {
        return Icon::LargeText;
    }
    return Icon::None;
}

void drawIcon(ImDrawList* draw, Icon icon, const Rect& box, ImU32 colour, float stroke) {
    switch (icon) {
        case Icon::Back:
            back(draw, box, colour, stroke);
            break;
        case Icon::CallStaff:
            bell(draw, box, colour, stroke);
            break;
        case Icon::LargeText:
            largeText(draw, box, colour, stroke);
            break;
        case Icon::None:
            break;
    }
}

}  // namespace ui
