// The Working screen: the kiosk waits for the outside world (central, the printer, the store). A
// spinner says it is alive; the core turns it with its clock and adds "still trying…" when the wait
// grows long, so the screen only draws what the view says.
#include "screen.hpp"

namespace ui {

void WorkingScreen::body(Canvas& canvas, ImVec2 area) {
    const View& view = canvas.view();
    const float buttonHeight = canvas.px(scale::kButton);
    const ImVec2 top = ImGui::GetCursorPos();
    const float side = canvas.px(220);
    if (view.spinner) {
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        canvas.spinner(ImVec2(origin.x + area.x / 2, origin.y + side / 2), side / 2, *view.spinner);
        ImGui::Dummy(ImVec2(area.x, side + canvas.px(scale::kGapL)));
    }
    const float buttons = canvas.buttonsHeight(area.x, buttonHeight);
    canvas.beginScroll("texts", ImVec2(area.x, area.y - (ImGui::GetCursorPosY() - top.y) - buttons));
    canvas.lines(area.x - canvas.px(48));
    canvas.endScroll();
    ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - buttons));
    canvas.buttons(area.x, buttonHeight);
}

}  // namespace ui
