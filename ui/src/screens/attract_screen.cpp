#include "screen.hpp"

namespace ui {

void AttractScreen::body(Canvas& canvas, ImVec2 area) {
    const ImVec2 top = ImGui::GetCursorPos();
    canvas.lines(area.x);
    // "Touching anywhere starts": the start control takes all the room the texts leave.
    const float used = ImGui::GetCursorPosY() - top.y;
    if (const Control* start = canvas.view().control("start")) {
        canvas.button(*start, ImVec2(area.x, area.y - used));
    }
}

}  // namespace ui
