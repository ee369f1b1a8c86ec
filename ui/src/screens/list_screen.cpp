#include "screen.hpp"

namespace ui {

void ListScreen::body(Canvas& canvas, ImVec2 area) {
    const float buttonHeight = canvas.px(120);
    const float gap = canvas.px(30);
    const ImVec2 top = ImGui::GetCursorPos();
    if (canvas.landscape()) {
        const float column = (area.x - gap) / 2;
        canvas.lines(column);
        ImGui::SetCursorPos(ImVec2(top.x + column + gap, top.y));
        for (const auto& control : canvas.view().controls) {
            if (control.kind == Control::Kind::Button && control.id != "lang") {
                ImGui::SetCursorPosX(top.x + column + gap);
                canvas.button(control,
                              ImVec2(column, control.detail.empty() ? buttonHeight : buttonHeight * 1.35F));
                ImGui::Dummy(ImVec2(0, canvas.px(12)));
            }
        }
        return;
    }
    canvas.lines(area.x);
    ImGui::Dummy(ImVec2(0, gap));
    canvas.buttons(area.x, buttonHeight);
}

}  // namespace ui
