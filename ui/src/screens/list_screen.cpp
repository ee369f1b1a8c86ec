#include "screen.hpp"

namespace ui {
namespace {

/// The way out of the screen: drawn under the list, never scrolled away.
bool pinned(const Control& control) {
    return control.id == "back" || control.id == "done";
}

bool listed(const Control& control) {
    return control.kind == Control::Kind::Button && !inFrame(control) && !pinned(control);
}

}  // namespace

void ListScreen::body(Canvas& canvas, ImVec2 area) {
    const float buttonHeight = canvas.px(scale::kButton);
    const float gap = canvas.px(scale::kGapL);
    const float spacing = canvas.px(scale::kGapS);
    const ImVec2 top = ImGui::GetCursorPos();
    const bool landscape = canvas.landscape();
    const float column = landscape ? (area.x - gap) / 2 : area.x;
    float pinnedHeight = 0;
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Button && pinned(control)) {
            pinnedHeight += canvas.buttonHeight(control, column, buttonHeight) + spacing +
                            2 * ImGui::GetStyle().ItemSpacing.y;
        }
    }
    // The scroll bar takes its width from the texts and buttons, so nothing is clipped.
    const float inner = column - canvas.px(48);
    if (landscape) {
        canvas.beginScroll("texts", ImVec2(column, area.y));
        canvas.lines(inner);
        canvas.endScroll();
        ImGui::SetCursorPos(ImVec2(top.x + column + gap, top.y));
    }
    canvas.beginScroll("list", ImVec2(column, area.y - pinnedHeight));
    if (!landscape) {
        canvas.lines(inner);
        ImGui::Dummy(ImVec2(0, gap));
    }
    // A list reads down its left edge: names and costs start at the same place on every row.
    for (const auto& control : canvas.view().controls) {
        if (listed(control)) {
            canvas.button(control, ImVec2(inner, canvas.buttonHeight(control, inner, buttonHeight)),
                          Canvas::Align::Left);
            ImGui::Dummy(ImVec2(0, spacing));
        }
    }
    canvas.endScroll();
    ImGui::SetCursorPos(ImVec2(landscape ? top.x + column + gap : top.x, top.y + area.y - pinnedHeight));
    ImGui::BeginGroup();
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Button && pinned(control)) {
            canvas.button(control, ImVec2(column, canvas.buttonHeight(control, column, buttonHeight)));
            ImGui::Dummy(ImVec2(0, spacing));
        }
    }
    ImGui::EndGroup();
}

}  // namespace ui
