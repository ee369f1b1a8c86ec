#include "screen.hpp"

namespace ui {

void Screen::draw(Canvas& canvas) {
    const View& view = canvas.view();
    const ImVec2 size = canvas.size();
    const float margin = canvas.px(48);
    const float header = canvas.px(150);
    const float footer = canvas.px(90);
    ImDrawList* draw = ImGui::GetWindowDrawList();

    draw->AddRectFilled(ImVec2(0, 0), ImVec2(size.x, header), theme::kHeader);
    ImGui::PushFont(canvas.fonts().heading);
    const float titleY = (header - ImGui::GetFontSize()) / 2;
    draw->AddText(ImVec2(margin, titleY), theme::kOnDark, view.title.c_str());
    ImGui::PopFont();
    if (const Control* lang = view.control("lang")) {
        const ImVec2 langSize(canvas.px(300), header - canvas.px(40));
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
                  ImVec2(margin, size.y - footer + (footer - canvas.fonts().small->FontSize) / 2), theme::kMuted,
                  view.status.c_str());

    ImGui::SetCursorPos(ImVec2(margin, header + canvas.px(36)));
    body(canvas, ImVec2(size.x - 2 * margin, bodyBottom - header - canvas.px(72)));
}

}  // namespace ui
