#include "screen.hpp"

namespace ui {
namespace {

/// The way out of the screen: drawn under the list, never scrolled away.
bool pinned(const Control& control) {
    return control.id == "back" || control.id == "done";
}

bool listed(const Control& control) {
    return control.kind == Control::Kind::Button && control.id != "lang" && !pinned(control);
}

}  // namespace

void ListScreen::body(Canvas& canvas, ImVec2 area) {
    const float buttonHeight = canvas.px(120);
    const float gap = canvas.px(30);
    const float spacing = canvas.px(12);
    const auto heightOf = [&](const Control& c) {
        return c.detail.empty() ? buttonHeight : buttonHeight * 1.35F;
    };
    float pinnedHeight = 0;
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Button && pinned(control)) {
            pinnedHeight += buttonHeight + spacing;
        }
    }
    const ImVec2 top = ImGui::GetCursorPos();
    const bool landscape = canvas.landscape();
    const float column = landscape ? (area.x - gap) / 2 : area.x;
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
    for (const auto& control : canvas.view().controls) {
        if (listed(control)) {
            canvas.button(control, ImVec2(inner, heightOf(control)));
            ImGui::Dummy(ImVec2(0, spacing));
        }
    }
    canvas.endScroll();
    for (const auto& control : canvas.view().controls) {
        if (control.kind == Control::Kind::Button && pinned(control)) {
            ImGui::SetCursorPosX(landscape ? top.x + column + gap : top.x);
            canvas.button(control, ImVec2(column, buttonHeight));
            ImGui::Dummy(ImVec2(0, spacing));
        }
    }
}

}  // namespace ui
