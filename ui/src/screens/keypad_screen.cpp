#include "screen.hpp"

#include <algorithm>

namespace ui {
namespace {

void entryField(Canvas& canvas, const std::string& text, float width) {
    const float height = canvas.px(150);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), canvas.palette().button, canvas.px(16));
    draw->AddRect(at, ImVec2(at.x + width, at.y + height), canvas.palette().primary, canvas.px(16), 0,
                  canvas.px(4));
    ImFont* font = canvas.fonts().entry;
    const ImVec2 size = font->CalcTextSizeA(font->FontSize, width, 0.0F, text.c_str());
    canvas.drawText(font, ImVec2(at.x + (width - size.x) / 2, at.y + (height - size.y) / 2), text, 0.0F,
                    Ink{canvas.palette().text, canvas.palette().button}, DrawnText::Kind::Entry,
                    Rect{at.x, at.y, at.x + width, at.y + height});
    ImGui::Dummy(ImVec2(width, height + canvas.px(scale::kGapM)));
}

}  // namespace

void KeypadScreen::body(Canvas& canvas, ImVec2 area) {
    const View& view = canvas.view();
    const float buttonHeight = canvas.px(scale::kButton);
    const float gap = canvas.px(scale::kGapL);
    const ImVec2 top = ImGui::GetCursorPos();
    if (canvas.landscape()) {
        const float column = (area.x - gap) / 2;
        canvas.lines(column);
        entryField(canvas, view.entry.value_or(""), column);
        ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - canvas.buttonsHeight(column, buttonHeight)));
        canvas.buttons(column, buttonHeight);
        ImGui::SetCursorPos(ImVec2(top.x + column + gap, top.y));
        canvas.keypad(ImVec2(column, area.y));
        return;
    }
    canvas.lines(area.x);
    entryField(canvas, view.entry.value_or(""), area.x);
    const float keypadTop = ImGui::GetCursorPosY();
    const float buttons = canvas.buttonsHeight(area.x, buttonHeight);
    const float keypadHeight = std::min(area.y - (keypadTop - top.y) - buttons - gap, canvas.px(900));
    canvas.keypad(ImVec2(area.x, keypadHeight));
    ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - buttons));
    canvas.buttons(area.x, buttonHeight);
}

}  // namespace ui
