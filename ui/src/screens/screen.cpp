#include "screen.hpp"

#include <cfloat>

namespace ui {

void Screen::draw(Canvas& canvas) {
    const View& view = canvas.view();
    const ImVec2 size = canvas.size();
    const float margin = canvas.px(48);
    const float header = canvas.px(150);
    const float footer = canvas.px(90);
    ImDrawList* draw = ImGui::GetWindowDrawList();

    draw->AddRectFilled(ImVec2(0, 0), ImVec2(size.x, header), theme::kHeader);
    const ImVec2 langSize(canvas.px(280), header - canvas.px(40));
    // A long title steps down to the body font rather than run under the language button.
    const float titleRoom = size.x - 3 * margin - langSize.x;
    ImFont* titleFont = canvas.fonts().heading;
    if (titleFont->CalcTextSizeA(titleFont->FontSize, FLT_MAX, 0.0F, view.title.c_str()).x > titleRoom) {
        titleFont = canvas.fonts().body;
    }
    draw->AddText(titleFont, titleFont->FontSize, ImVec2(margin, (header - titleFont->FontSize) / 2),
                  theme::kOnDark, view.title.c_str(), nullptr, titleRoom);
    if (const Control* lang = view.control("lang")) {
        ImGui::SetCursorPos(ImVec2(size.x - margin - langSize.x, canvas.px(20)));
        canvas.button(*lang, langSize);
    }

    float bodyBottom = size.y - footer;
    if (view.countdown) {
        const float banner = canvas.px(110);
        bodyBottom -= banner;
        draw->AddRectFilled(ImVec2(0, bodyBottom), ImVec2(size.x, bodyBottom + banner), theme::kWarning);
        ImGui::PushFont(canvas.fonts().body);
        draw->AddText(canvas.fonts().body, canvas.fonts().body->FontSize,
                      ImVec2(margin, bodyBottom + (banner - ImGui::GetFontSize()) / 2), theme::kOnDark,
                      view.countdown->c_str(), nullptr, size.x - 2 * margin);
        ImGui::PopFont();
    }
    draw->AddLine(ImVec2(0, size.y - footer), ImVec2(size.x, size.y - footer), theme::kBorder, canvas.px(2));
    draw->AddText(canvas.fonts().small, canvas.fonts().small->FontSize,
                  ImVec2(margin, size.y - footer + (footer - canvas.fonts().small->FontSize) / 2),
                  theme::kMuted, view.status.c_str());
    // Staff only: an unmarked corner of the status line (a shopper has no reason to tap it five times).
    for (const auto& control : view.controls) {
        if (control.kind == Control::Kind::Hidden) {
            ImGui::SetCursorPos(ImVec2(size.x - footer * 2, size.y - footer));
            canvas.hidden(control, ImVec2(footer * 2, footer));
        }
    }

    // The body is a child region so every new line starts at its left margin, not the window's edge.
    const ImVec2 area(size.x - 2 * margin, bodyBottom - header - canvas.px(72));
    ImGui::SetCursorPos(ImVec2(margin, header + canvas.px(36)));
    ImGui::BeginChild(
        "body", area, false,
        ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
    body(canvas, area);
    ImGui::EndChild();
}

}  // namespace ui
