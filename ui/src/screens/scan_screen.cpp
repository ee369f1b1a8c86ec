#include "screen.hpp"

namespace ui {

void ScanScreen::body(Canvas& canvas, ImVec2 area) {
    const float buttonHeight = canvas.px(scale::kButton);
    const float gap = canvas.px(scale::kGapL);
    const ImVec2 top = ImGui::GetCursorPos();
    if (canvas.landscape()) {
        // The camera on the left; the words (an error too) and the way back on the right, never on the
        // picture. Long words scroll in their column rather than run under the button.
        const float previewWidth = area.x * 0.55F;
        const float column = area.x - previewWidth - gap;
        const float buttons = canvas.buttonsHeight(column, buttonHeight);
        canvas.cameraPreview(ImVec2(previewWidth, area.y));
        ImGui::SetCursorPos(ImVec2(top.x + previewWidth + gap, top.y));
        canvas.beginScroll("texts", ImVec2(column, area.y - buttons - gap));
        canvas.lines(column - canvas.px(48));
        canvas.endScroll();
        ImGui::SetCursorPos(ImVec2(top.x + previewWidth + gap, top.y + area.y - buttons));
        canvas.buttons(column, buttonHeight);
        return;
    }
    const float buttons = canvas.buttonsHeight(area.x, buttonHeight);
    canvas.lines(area.x);
    const float used = ImGui::GetCursorPosY() - top.y;
    canvas.cameraPreview(ImVec2(area.x, area.y - used - buttons - gap));
    ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - buttons));
    canvas.buttons(area.x, buttonHeight);
}

}  // namespace ui
