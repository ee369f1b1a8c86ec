#include "screen.hpp"

#include <cfloat>

namespace ui {

void Screen::draw(Canvas& canvas) {
    const View& view = canvas.view();
    const ImVec2 size = canvas.size();
    const float margin = canvas.px(scale::kMargin);
    const float header = canvas.px(150);
    const float footer = canvas.px(84);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const Rect window{0, 0, size.x, size.y};

    draw->AddRectFilled(ImVec2(0, 0), ImVec2(size.x, header), theme::kHeader);
    const ImVec2 langSize(canvas.px(280), header - canvas.px(40));
    // A long title steps down to the body font rather than run under the language button.
    const float titleRoom = size.x - 3 * margin - langSize.x;
    ImFont* titleFont = canvas.fonts().heading;
    if (titleFont->CalcTextSizeA(titleFont->FontSize, FLT_MAX, 0.0F, view.title.c_str()).x > titleRoom) {
        titleFont = canvas.fonts().body;
    }
    const float titleHeight =
        titleFont->CalcTextSizeA(titleFont->FontSize, FLT_MAX, titleRoom, view.title.c_str()).y;
    canvas.drawText(titleFont, ImVec2(margin, (header - titleHeight) / 2), view.title, titleRoom,
                    Ink{theme::kOnDark, theme::kHeader}, DrawnText::Kind::Frame,
                    Rect{margin, 0, margin + titleRoom, header});
    if (const Control* lang = view.control("lang")) {
        ImGui::SetCursorPos(ImVec2(size.x - margin - langSize.x, canvas.px(20)));
        canvas.button(*lang, langSize);
    }

    // The status bar: a band of its own (no hairline), its text in the muted tone.
    draw->AddRectFilled(ImVec2(0, size.y - footer), size, theme::kStatusBar);
    ImFont* small = canvas.fonts().small;
    canvas.drawText(small, ImVec2(margin, size.y - footer + (footer - small->FontSize) / 2), view.status,
                    0.0F, Ink{theme::kMuted, theme::kStatusBar}, DrawnText::Kind::Frame,
                    Rect{margin, size.y - footer, size.x - margin, size.y});
    // Staff only: an unmarked corner of the status line (a shopper has no reason to tap it five times).
    for (const auto& control : view.controls) {
        if (control.kind == Control::Kind::Hidden) {
            ImGui::SetCursorPos(ImVec2(size.x - footer * 2, size.y - footer));
            canvas.hidden(control, ImVec2(footer * 2, footer));
        }
    }

    float bodyBottom = size.y - footer;
    if (view.countdown) {
        // The idle banner takes its room from the body: the buttons move up, none goes under it.
        const float banner = canvas.px(110);
        bodyBottom -= banner;
        draw->AddRectFilled(ImVec2(0, bodyBottom), ImVec2(size.x, bodyBottom + banner), theme::kWarning);
        ImFont* body = canvas.fonts().body;
        canvas.drawText(body, ImVec2(margin, bodyBottom + (banner - body->FontSize) / 2), *view.countdown,
                        size.x - 2 * margin, Ink{theme::kOnDark, theme::kWarning}, DrawnText::Kind::Frame,
                        Rect{0, bodyBottom, size.x, bodyBottom + banner}.intersection(window));
    }

    // The body is a child region so every new line starts at its left margin, not the window's edge.
    const float top = header + canvas.px(scale::kGapL);
    const ImVec2 area(size.x - 2 * margin, bodyBottom - top - canvas.px(scale::kGapL));
    ImGui::SetCursorPos(ImVec2(margin, top));
    ImGui::BeginChild(
        "body", area, false,
        ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
    body(canvas, area);
    ImGui::EndChild();
}

}  // namespace ui
