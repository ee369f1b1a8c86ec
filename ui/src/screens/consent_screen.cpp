#include "screen.hpp"

namespace ui {

void ConsentScreen::body(Canvas& canvas, ImVec2 area) {
    const float gap = canvas.px(scale::kGapM);
    const float buttonHeight = canvas.px(scale::kButton);
    const ImVec2 top = ImGui::GetCursorPos();
    const bool landscape = canvas.landscape();
    // Landscape: the terms and the tick boxes on the left, the actions on the right. Portrait: the terms,
    // the tick boxes, the actions. The actions sit at the bottom, where the thumb is, and the tick boxes
    // right above them (or at the bottom of their column); the terms scroll when they do not fit.
    const float column = landscape ? (area.x - canvas.px(scale::kGapL)) / 2 : area.x;
    const float buttons = canvas.buttonsHeight(column, buttonHeight);
    float boxes = 0;
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Checkbox) {
            boxes += canvas.checkboxHeight(control, column) + gap + ImGui::GetStyle().ItemSpacing.y * 2;
        }
    }
    const float boxesTop = top.y + area.y - boxes - (landscape ? 0.0F : buttons);
    canvas.beginScroll("terms", ImVec2(column, boxesTop - top.y - gap));
    canvas.lines(column - canvas.px(48));
    canvas.endScroll();
    ImGui::SetCursorPos(ImVec2(top.x, boxesTop));
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Checkbox) {
            ImGui::SetCursorPosX(top.x);
            canvas.checkbox(control, column);
            ImGui::Dummy(ImVec2(0, gap));
        }
    }
    ImGui::SetCursorPos(ImVec2(landscape ? top.x + area.x - column : top.x, top.y + area.y - buttons));
    canvas.buttons(column, buttonHeight);
}

}  // namespace ui
