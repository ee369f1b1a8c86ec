#include "screen.hpp"

#include <algorithm>
#include <array>
#include <cfloat>

namespace ui {
namespace {

/// The card in central's colour (a neutral one when it gave none), written on in black or white,
/// whichever contrasts more with it (at least 4.58:1 whatever the colour).
struct CardColours {
    ImU32 card;
    ImU32 text;
    ImU32 track;
};

CardColours cardColours(const TierCard& card) {
    const std::uint32_t colour = card.colour.value_or(0x3C4A52);
    const bool darkText = contrastRatio(colour, 0x000000) > contrastRatio(colour, 0xFFFFFF);
    return {IM_COL32(colour >> 16 & 0xFFU, colour >> 8 & 0xFFU, colour & 0xFFU, 0xFF),
            darkText ? IM_COL32(0, 0, 0, 0xFF) : IM_COL32(0xFF, 0xFF, 0xFF, 0xFF),
            darkText ? IM_COL32(0, 0, 0, 0x40) : IM_COL32(0xFF, 0xFF, 0xFF, 0x60)};
}

float cardHeight(const Canvas& canvas, const TierCard& card, float inner) {
    const Fonts& fonts = canvas.fonts();
    const float pad = canvas.px(32);
    float height =
        pad + fonts.big->FontSize + canvas.px(16) + canvas.px(36) + canvas.px(16) +
        fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, inner, card.progressText.c_str()).y +
        canvas.px(16) + pad;
    for (const auto& benefit : card.benefits) {
        height +=
            fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, inner, ("• " + benefit).c_str()).y +
            canvas.px(6);
    }
    return height;
}

void tierCard(Canvas& canvas, const TierCard& card, float width) {
    const Fonts& fonts = canvas.fonts();
    const float pad = canvas.px(32);
    const float inner = width - 2 * pad;
    const float height = cardHeight(canvas, card, inner);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const Rect room{at.x, at.y, at.x + width, at.y + height};
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const CardColours colours = cardColours(card);
    const Ink ink{colours.text, colours.card};
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), colours.card, canvas.px(28));
    float y = at.y + pad;
    canvas.drawText(fonts.big, ImVec2(at.x + pad, y), card.name, inner, ink, DrawnText::Kind::Card, room);
    y += fonts.big->FontSize + canvas.px(16);
    const float bar = canvas.px(36);
    draw->AddRectFilled(ImVec2(at.x + pad, y), ImVec2(at.x + pad + inner, y + bar), colours.track, bar / 2);
    draw->AddRectFilled(
        ImVec2(at.x + pad, y),
        ImVec2(at.x + pad + std::max(bar, inner * std::clamp(card.progress, 0.0F, 1.0F)), y + bar),
        colours.text, bar / 2);
    y += bar + canvas.px(16);
    y += canvas
             .drawText(fonts.body, ImVec2(at.x + pad, y), card.progressText, inner, ink,
                       DrawnText::Kind::Card, room)
             .y +
         canvas.px(16);
    for (const auto& benefit : card.benefits) {
        y += canvas
                 .drawText(fonts.body, ImVec2(at.x + pad, y), "• " + benefit, inner, ink,
                           DrawnText::Kind::Card, room)
                 .y +
             canvas.px(6);
    }
    ImGui::Dummy(ImVec2(width, height + canvas.px(scale::kGapM)));
}

/// The points, the breakdown and the tier card: a region of its own that scrolls when they do not fit
/// above the actions, so nothing is covered or cut.
void information(Canvas& canvas, ImVec2 size) {
    canvas.beginScroll("information", size);
    const float inner = size.x - canvas.px(48);
    canvas.lines(inner);
    if (const auto& tier = canvas.view().tier) {
        ImGui::Dummy(ImVec2(0, canvas.px(scale::kGapS)));
        tierCard(canvas, *tier, inner);
    }
    canvas.endScroll();
}

/// The success moment: confetti falling through `area` (from `origin`) while `progress` runs 0..1, fading
/// out at the end. Drawn after the texts and the buttons, and only where it leaves them clear: a piece
/// never covers the points or a label.
void celebrate(Canvas& canvas, ImVec2 origin, ImVec2 area, float progress) {
    const Palette& palette = canvas.palette();
    const std::array<ImU32, 4> colours{palette.primary, palette.good, palette.warning,
                                       IM_COL32(0xF2, 0xB1, 0x34, 0xFF)};
    const auto fade = static_cast<unsigned>(255.0F * std::clamp((1.0F - progress) / 0.3F, 0.0F, 1.0F));
    for (unsigned i = 0; i < 48; ++i) {
        // A fixed scatter of starting points; each piece falls at its own speed.
        const float x = static_cast<float>((i * 7919U) % 997U) / 997.0F;
        const float start = -static_cast<float>((i * 104'729U) % 991U) / 991.0F * 0.5F;
        const float speed = 0.8F + static_cast<float>(i % 5) * 0.15F;
        const float y = start + progress * speed * 1.2F;
        if (y < 0.0F || y > 1.0F) {
            continue;
        }
        const ImVec2 a(origin.x + x * area.x, origin.y + y * area.y);
        const ImU32 colour = (colours[i % colours.size()] & 0x00FFFFFFU) | fade << 24;
        canvas.decoration(Rect{a.x, a.y, a.x + canvas.px(16), a.y + canvas.px(28)}, colour, canvas.px(4));
    }
}

}  // namespace

void ResultScreen::body(Canvas& canvas, ImVec2 area) {
    const float fullHeight = canvas.px(scale::kButton);
    const float gap = canvas.px(scale::kGapL);
    const ImVec2 top = ImGui::GetCursorPos();
    const bool landscape = canvas.landscape();
    // Landscape: the information on the left, the actions at the bottom of the right column, the same
    // place whether or not the tier card has arrived. Portrait: the actions at the bottom.
    const float column = landscape ? (area.x - gap) / 2 : area.x;
    const float buttonsX = landscape ? top.x + column + gap : top.x;
    // Five actions (rewards, a play to buy, history, the consent slip, done) overflow the landscape
    // column by a little: slightly shorter buttons (never under 85 %) rather than one under the title.
    float buttonHeight = fullHeight;
    while (landscape && canvas.buttonsHeight(column, buttonHeight) > area.y &&
           buttonHeight > 0.85F * fullHeight) {
        buttonHeight -= canvas.px(2);
    }
    const float buttonsHeight = canvas.buttonsHeight(column, buttonHeight);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    information(canvas, ImVec2(column, landscape ? area.y : area.y - buttonsHeight - gap));
    ImGui::SetCursorPos(ImVec2(buttonsX, top.y + area.y - buttonsHeight));
    canvas.buttons(column, buttonHeight);
    if (canvas.view().celebration) {
        celebrate(canvas, origin, ImVec2(column, area.y), *canvas.view().celebration);
    }
}

}  // namespace ui
