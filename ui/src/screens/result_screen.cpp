#include "screen.hpp"

#include <algorithm>

namespace ui {
namespace {

ImU32 tierColour(const std::string& tierId) {
    if (tierId == "gold") {
        return IM_COL32(0xC9, 0x97, 0x14, 0xFF);
    }
    if (tierId == "diamond") {
        return IM_COL32(0x2B, 0x8C, 0xBE, 0xFF);
    }
    return IM_COL32(0x86, 0x90, 0x96, 0xFF);
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
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), tierColour(card.tierId), canvas.px(28));
    float y = at.y + pad;
    draw->AddText(fonts.big, fonts.big->FontSize, ImVec2(at.x + pad, y), theme::kOnDark, card.name.c_str());
    y += fonts.big->FontSize + canvas.px(16);
    const float bar = canvas.px(36);
    draw->AddRectFilled(ImVec2(at.x + pad, y), ImVec2(at.x + pad + inner, y + bar),
                        IM_COL32(0xFF, 0xFF, 0xFF, 0x60), bar / 2);
    draw->AddRectFilled(
        ImVec2(at.x + pad, y),
        ImVec2(at.x + pad + std::max(bar, inner * std::clamp(card.progress, 0.0F, 1.0F)), y + bar),
        theme::kOnDark, bar / 2);
    y += bar + canvas.px(16);
    draw->AddText(fonts.body, fonts.body->FontSize, ImVec2(at.x + pad, y), theme::kOnDark,
                  card.progressText.c_str(), nullptr, inner);
    y += fonts.body->CalcTextSizeA(fonts.body->FontSize, inner, inner, card.progressText.c_str()).y +
         canvas.px(16);
    for (const auto& benefit : card.benefits) {
        const std::string text = "• " + benefit;
        draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(at.x + pad, y), theme::kOnDark, text.c_str(),
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
    const float buttonsHeight = static_cast<float>(buttonCount) * (buttonHeight + canvas.px(12));
    if (canvas.landscape()) {
        // Texts and actions on the left (actions at the bottom, where the hand is), the card on the right.
        const float column = (area.x - gap) / 2;
        canvas.lines(column);
        // Four actions (a new member may print their consent) under a long breakdown do not fit the
        // short landscape column at full height: the buttons give up some height rather than cover text.
        const float room = top.y + area.y - ImGui::GetCursorPosY() - canvas.px(12);
        float height = buttonHeight;
        if (buttonsHeight > room && buttonCount > 0) {
            height = std::max(canvas.px(72), room / static_cast<float>(buttonCount) - canvas.px(12));
        }
        ImGui::SetCursorPos(
            ImVec2(top.x, top.y + area.y - static_cast<float>(buttonCount) * (height + canvas.px(12))));
        canvas.buttons(column, height);
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
