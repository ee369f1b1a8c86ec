#include "screen.hpp"

#include <algorithm>
#include <cfloat>

namespace ui {
namespace {

/// The status band at the bottom: the status line (wrapped: the band grows to hold it), the "call staff"
/// button at its right, and on Attract the unmarked staff corner beyond it. Returns its height.
float statusBand(Canvas& canvas) {
    const View& view = canvas.view();
    const ImVec2 size = canvas.size();
    const float margin = canvas.px(scale::kMargin);
    const float pad = canvas.px(scale::kGapS);
    const Control* call = view.control("call_staff");
    const bool corner = std::any_of(view.controls.begin(), view.controls.end(),
                                    [](const Control& c) { return c.kind == Control::Kind::Hidden; });
    const float cornerWidth = canvas.px(168);
    const ImVec2 callSize(call != nullptr ? canvas.px(440) : 0.0F, call != nullptr ? canvas.px(104) : 0.0F);
    const float right =
        size.x - (corner ? cornerWidth : margin) - callSize.x - (call != nullptr ? margin : 0.0F);
    ImFont* small = canvas.fonts().small;
    const float textRoom = right - margin;
    const ImVec2 text = small->CalcTextSizeA(small->FontSize, FLT_MAX, textRoom, view.status.c_str());
    const float band = std::max({canvas.px(84), text.y + 2 * pad, callSize.y + 2 * pad});
    const float top = size.y - band;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, top), size, canvas.palette().statusBar);
    canvas.drawText(small, ImVec2(margin, top + (band - text.y) / 2), view.status, textRoom,
                    Ink{canvas.palette().muted, canvas.palette().statusBar}, DrawnText::Kind::Frame,
                    Rect{margin, top, right, size.y});
    if (call != nullptr) {
        ImGui::SetCursorPos(ImVec2(right + margin, top + (band - callSize.y) / 2));
        canvas.button(*call, callSize);
    }
    // Staff only: an unmarked corner of the status line (a shopper has no reason to tap it five times).
    for (const auto& control : view.controls) {
        if (control.kind == Control::Kind::Hidden) {
            ImGui::SetCursorPos(ImVec2(size.x - cornerWidth, top));
            canvas.hidden(control, ImVec2(cornerWidth, band));
        }
    }
    return band;
}

}  // namespace

void Screen::draw(Canvas& canvas) {
    const View& view = canvas.view();
    const ImVec2 size = canvas.size();
    const float margin = canvas.px(scale::kMargin);
    const float header = canvas.px(150);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const Rect window{0, 0, size.x, size.y};

    draw->AddRectFilled(ImVec2(0, 0), ImVec2(size.x, header), canvas.palette().header);
    const ImVec2 langSize(canvas.px(280), header - canvas.px(40));
    // A long title steps down to the body font rather than run under the language button.
    const float titleRoom = size.x - 3 * margin - langSize.x;
    ImFont* titleFont = canvas.fonts().heading;
    if (titleFont->CalcTextSizeA(titleFont->FontSize, FLT_MAX, 0.0F, view.title.c_str()).x > titleRoom) {
        titleFont = canvas.fonts().body;
    }
    // Large text makes the body font the heading's: a long title then steps down once more to fit.
    if (titleFont->CalcTextSizeA(titleFont->FontSize, FLT_MAX, titleRoom, view.title.c_str()).y > header) {
        titleFont = canvas.fonts().small;
    }
    const float titleHeight =
        titleFont->CalcTextSizeA(titleFont->FontSize, FLT_MAX, titleRoom, view.title.c_str()).y;
    canvas.drawText(titleFont, ImVec2(margin, (header - titleHeight) / 2), view.title, titleRoom,
                    Ink{canvas.palette().onDark, canvas.palette().header}, DrawnText::Kind::Frame,
                    Rect{margin, 0, margin + titleRoom, header});
    if (const Control* lang = view.control("lang")) {
        ImGui::SetCursorPos(ImVec2(size.x - margin - langSize.x, canvas.px(20)));
        canvas.button(*lang, langSize);
    }

    const float footer = statusBand(canvas);
    float bodyBottom = size.y - footer;
    if (view.countdown) {
        // The idle banner takes its room from the body: the buttons move up, none goes under it.
        ImFont* body = canvas.fonts().body;
        // Large text may wrap it: the banner grows to hold it.
        const float textHeight =
            body->CalcTextSizeA(body->FontSize, FLT_MAX, size.x - 2 * margin, view.countdown->c_str()).y;
        const float banner = std::max(canvas.px(110), textHeight + 2 * canvas.px(scale::kGapS));
        bodyBottom -= banner;
        draw->AddRectFilled(ImVec2(0, bodyBottom), ImVec2(size.x, bodyBottom + banner),
                            canvas.palette().warning);
        canvas.drawText(body, ImVec2(margin, bodyBottom + (banner - textHeight) / 2), *view.countdown,
                        size.x - 2 * margin, Ink{canvas.palette().onDark, canvas.palette().warning},
                        DrawnText::Kind::Frame,
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
