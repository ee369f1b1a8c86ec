#include "screen.hpp"

#include <algorithm>
#include <cmath>

namespace ui {
namespace {

/// WCAG relative luminance of an sRGB colour 0xRRGGBB.
float luminance(std::uint32_t rgb) {
    const auto channel = [](std::uint32_t c) {
        const float v = static_cast<float>(c & 0xFFU) / 255.0F;
        return v <= 0.03928F ? v / 12.92F : std::pow((v + 0.055F) / 1.055F, 2.4F);
    };
    return 0.2126F * channel(rgb >> 16) + 0.7152F * channel(rgb >> 8) + 0.0722F * channel(rgb);
}

/// The card in central's colour (a neutral one when it gave none), written on in black or white,
/// whichever contrasts more with it.
struct CardColours {
    ImU32 card;
    ImU32 text;
    ImU32 track;
};

CardColours cardColours(const TierCard& card) {
    const std::uint32_t rgb = card.colour.value_or(0x3C4A52);
    const float l = luminance(rgb);
    const bool darkText = (l + 0.05F) / (luminance(0x1E1E1E) + 0.05F) > 1.05F / (l + 0.05F);
    return {IM_COL32(rgb >> 16 & 0xFFU, rgb >> 8 & 0xFFU, rgb & 0xFFU, 0xFF),
            darkText ? theme::kText : theme::kOnDark,
            darkText ? IM_COL32(0x1E, 0x1E, 0x1E, 0x40) : IM_COL32(0xFF, 0xFF, 0xFF, 0x60)};
}

void tierCard(Canvas& canvas, const TierCard& card, float width) {
    const Fonts& fonts = canvas.fonts();
    const float pad = canvas.px(32);
    const float inner = width - 2 * pad;
    float height =
        pad + fonts.big->FontSize + canvas.px(16) + canvas.px(36) + canvas.px(16) +
        fonts.body->CalcTextSizeA(fonts.body->FontSize, inner, inner, card.progressText.c_str()).y +
        canvas.px(16) + pad;
    for (const auto& benefit : card.benefits) {
        height +=
            fonts.small->CalcTextSizeA(fonts.small->FontSize, inner, inner, ("• " + benefit).c_str()).y +
            canvas.px(6);
    }
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const CardColours colours = cardColours(card);
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), colours.card, canvas.px(28));
    float y = at.y + pad;
    draw->AddText(fonts.big, fonts.big->FontSize, ImVec2(at.x + pad, y), colours.text, card.name.c_str());
    y += fonts.big->FontSize + canvas.px(16);
    const float bar = canvas.px(36);
    draw->AddRectFilled(ImVec2(at.x + pad, y), ImVec2(at.x + pad + inner, y + bar), colours.track, bar / 2);
    draw->AddRectFilled(
        ImVec2(at.x + pad, y),
        ImVec2(at.x + pad + std::max(bar, inner * std::clamp(card.progress, 0.0F, 1.0F)), y + bar),
        colours.text, bar / 2);
    y += bar + canvas.px(16);
    draw->AddText(fonts.body, fonts.body->FontSize, ImVec2(at.x + pad, y), colours.text,
                  card.progressText.c_str(), nullptr, inner);
    y += fonts.body->CalcTextSizeA(fonts.body->FontSize, inner, inner, card.progressText.c_str()).y +
         canvas.px(16);
    for (const auto& benefit : card.benefits) {
        const std::string text = "• " + benefit;
        draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(at.x + pad, y), colours.text, text.c_str(),
                      nullptr, inner);
        y += fonts.small->CalcTextSizeA(fonts.small->FontSize, inner, inner, text.c_str()).y + canvas.px(6);
    }
    ImGui::Dummy(ImVec2(width, height + canvas.px(24)));
}

}  // namespace

void ResultScreen::body(Canvas& canvas, ImVec2 area) {
    const View& view = canvas.view();
    const float buttonHeight = canvas.px(120);
    const float gap = canvas.px(30);
    const ImVec2 top = ImGui::GetCursorPos();
    std::size_t buttonCount = 0;
    for (const auto& control : view.controls) {
        buttonCount += control.kind == Control::Kind::Button && control.id != "lang" ? 1U : 0U;
    }
    // What Canvas::buttons puts between two buttons: its 12 px gap plus ImGui's item spacing twice.
    const float spacing = canvas.px(12) + 2 * ImGui::GetStyle().ItemSpacing.y;
    const float buttonsHeight = static_cast<float>(buttonCount) * (buttonHeight + spacing);
    if (canvas.landscape()) {
        // Texts on the left, the tier card on the right; the actions at the bottom (where the hand is)
        // of the left column, or of the right one when there is no card (pending points).
        const float column = (area.x - gap) / 2;
        canvas.lines(column);
        const float buttonsX = view.tier ? top.x : top.x + column + gap;
        // Four actions (a new member may print their consent) under a long breakdown do not fit the
        // short landscape column at full height: the buttons give up some height rather than cover text.
        const float room = view.tier ? top.y + area.y - ImGui::GetCursorPosY() - spacing : area.y;
        float height = buttonHeight;
        if (buttonsHeight > room && buttonCount > 0) {
            height = std::max(canvas.px(72), room / static_cast<float>(buttonCount) - spacing);
        }
        ImGui::SetCursorPos(
            ImVec2(buttonsX, top.y + area.y - static_cast<float>(buttonCount) * (height + spacing)));
        ImGui::BeginGroup();  // later buttons start their line at buttonsX too
        canvas.buttons(column, height);
        ImGui::EndGroup();
        if (view.tier) {
            ImGui::SetCursorPos(ImVec2(top.x + column + gap, top.y));
            tierCard(canvas, *view.tier, column);
        }
        return;
    }
    canvas.lines(area.x);
    if (view.tier) {
        ImGui::Dummy(ImVec2(0, canvas.px(12)));
        tierCard(canvas, *view.tier, area.x);
    }
    ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - buttonsHeight));
    canvas.buttons(area.x, buttonHeight);
}

}  // namespace ui
