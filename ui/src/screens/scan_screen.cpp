#include "screen.hpp"

namespace ui {

void ScanScreen::body(Canvas& canvas, ImVec2 area) {
    const float buttonHeight = canvas.px(140);
    const float gap = canvas.px(30);
    if (canvas.landscape()) {
        const ImVec2 top = ImGui::GetCursorPos();
        const float previewWidth = area.x * 0.55F;
        canvas.cameraPreview(ImVec2(previewWidth, area.y));
        ImGui::SetCursorPos(ImVec2(top.x + previewWidth + gap, top.y));
        const float column = area.x - previewWidth - gap;
        canvas.lines(column);
        ImGui::SetCursorPos(ImVec2(top.x + previewWidth + gap, top.y + area.y - buttonHeight));
        canvas.buttons(column, buttonHeight);
        return;
    }
    const ImVec2 top = ImGui::GetCursorPos();
    canvas.lines(area.x);
    const float used = ImGui::GetCursorPosY() - top.y;
    canvas.cameraPreview(ImVec2(area.x, area.y - used - buttonHeight - gap));
    ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - buttonHeight));
    canvas.buttons(area.x, buttonHeight);
}

}  // namespace ui
