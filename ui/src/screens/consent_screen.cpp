#include "screen.hpp"

namespace ui {

void ConsentScreen::body(Canvas& canvas, ImVec2 area) {
    const float buttonHeight = canvas.px(130);
    const float gap = canvas.px(24);
    const ImVec2 top = ImGui::GetCursorPos();
    const float textWidth = canvas.landscape() ? (area.x - gap) * 0.55F : area.x;
    canvas.lines(textWidth);
    if (canvas.landscape()) {
        ImGui::SetCursorPos(ImVec2(top.x + textWidth + gap, top.y));
    }
    const float column = canvas.landscape() ? area.x - textWidth - gap : area.x;
    const float columnX = ImGui::GetCursorPosX();
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Checkbox) {
            ImGui::SetCursorPosX(columnX);
            canvas.checkbox(control, column);
            ImGui::Dummy(ImVec2(0, gap));
        }
    }
    // Accept, "already a member" and back sit at the bottom, where the thumb is, whatever the text length.
    float buttons = 0;
    for (const auto& control : canvas.view().controls) {
        buttons += control.kind == Control::Kind::Button && control.id != "lang" ? 1.0F : 0.0F;
    }
    ImGui::SetCursorPos(ImVec2(columnX, top.y + area.y - buttons * buttonHeight - canvas.px(12)));
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Button && control.id != "lang") {
            ImGui::SetCursorPosX(columnX);
            canvas.button(control, ImVec2(column, buttonHeight - canvas.px(12)));
            ImGui::Dummy(ImVec2(0, canvas.px(12)));
        }
    }
}

}  // namespace ui
