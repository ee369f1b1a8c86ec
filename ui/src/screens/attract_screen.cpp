#include <algorithm>

#include "screen.hpp"

namespace ui {
namespace {

/// The height of the band the chain's logo may take at the top of Attract (layout pixels).
constexpr float kLogoBand = 180;

/// A receipt with its QR and an arrow toward the camera (`where`: "below" | "above" | "left" | "right"),
/// centred in the square of `side` at `centre`: the paper and the arrow in `paper`, the QR in `ink`.
void holdHere(ImVec2 centre, float side, const std::string& where, ImU32 ink, ImU32 paper) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float w = side * 0.42F;
    const float h = side * 0.56F;
    // Receipt left or above of the arrow's line, arrow toward the edge the camera is at.
    const bool across = where == "left" || where == "right";
    const float sign = where == "above" || where == "left" ? -1.0F : 1.0F;
    const ImVec2 receipt(across ? centre.x - sign * side * 0.18F : centre.x,
                         across ? centre.y : centre.y - sign * side * 0.18F);
    const ImVec2 a(receipt.x - w / 2, receipt.y - h / 2);
    const ImVec2 b(receipt.x + w / 2, receipt.y + h / 2);
    draw->AddRectFilled(a, b, paper, side * 0.03F);
    // The QR: a 5x5 pattern with three finder corners, as on the receipts the kiosk reads.
    const float cell = w * 0.7F / 5.0F;
    const ImVec2 qr(receipt.x - cell * 2.5F, a.y + h * 0.12F);
    constexpr unsigned kPattern = 0b11011'11010'00100'10110'11011U;
    for (int i = 0; i < 25; ++i) {
        if ((kPattern >> (24 - i) & 1U) != 0) {
            const int row = i / 5;
            const ImVec2 c(qr.x + static_cast<float>(i % 5) * cell, qr.y + static_cast<float>(row) * cell);
            draw->AddRectFilled(c, ImVec2(c.x + cell, c.y + cell), ink);
        }
    }
    for (int line = 0; line < 3; ++line) {  // the receipt's printed lines
        const float y = qr.y + cell * 5.6F + static_cast<float>(line) * cell * 0.7F;
        draw->AddLine(ImVec2(a.x + w * 0.15F, y), ImVec2(b.x - w * 0.15F, y), ink, cell * 0.25F);
    }
    // The arrow, from beside the receipt toward the camera's edge.
    const ImVec2 dir(across ? sign : 0.0F, across ? 0.0F : sign);
    const ImVec2 from(receipt.x + dir.x * (w / 2 + side * 0.06F), receipt.y + dir.y * (h / 2 + side * 0.04F));
    const float length = side * 0.2F;
    const ImVec2 to(from.x + dir.x * length, from.y + dir.y * length);
    const float thick = side * 0.05F;
    draw->AddLine(from, to, paper, thick);
    const ImVec2 normal(-dir.y, dir.x);
    const float head = side * 0.09F;
    draw->AddTriangleFilled(ImVec2(to.x + dir.x * head, to.y + dir.y * head),
                            ImVec2(to.x + normal.x * head, to.y + normal.y * head),
                            ImVec2(to.x - normal.x * head, to.y - normal.y * head), paper);
}

}  // namespace

void AttractScreen::body(Canvas& canvas, ImVec2 area) {
    const View& view = canvas.view();
    const ImVec2 top = ImGui::GetCursorPos();
    // The chain's logo first, when central sent one: at most a band of the body, never scaled up.
    if (const Picture* logo = canvas.picture("logo")) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        // A tenth of the body at most: a landscape screen in large text keeps room for its start control.
        const float band = std::min(canvas.px(kLogoBand), area.y / 10);
        const Rect drawn = canvas.drawPicture(*logo, Rect{at.x, at.y, at.x + area.x, at.y + band});
        ImGui::Dummy(ImVec2(area.x, drawn.y1 - at.y + canvas.px(scale::kGapM)));
    }
    canvas.lines(area.x);
    // The large-text switch sits under the start control, where a shopper who needs it looks first.
    const Control* access = view.control("access");
    const float accessHeight = access != nullptr ? canvas.px(scale::kButton) : 0.0F;
    const float gap = access != nullptr ? canvas.px(scale::kGapM) : 0.0F;
    // "Touching anywhere starts": the start control takes all the room the texts leave.
    const float used = ImGui::GetCursorPosY() - top.y;
    if (const Control* start = view.control("start")) {
        canvas.button(*start, ImVec2(area.x, area.y - used - accessHeight - gap));
        // Where to hold the receipt, drawn on the start control above its words.
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        const float label = canvas.fonts().heading->FontSize * 1.5F;
        const float side = std::min(max.x - min.x, (max.y - min.y) / 2 - label);
        if (!view.cameraAt.empty() && side >= canvas.px(120)) {
            holdHere(ImVec2((min.x + max.x) / 2, min.y + side / 2 + canvas.px(scale::kGapS)), side,
                     view.cameraAt, canvas.palette().primary, canvas.palette().onDark);
        }
    }
    if (access != nullptr) {
        ImGui::SetCursorPos(ImVec2(top.x, top.y + area.y - accessHeight));
        canvas.button(*access, ImVec2(area.x, accessHeight));
    }
}

}  // namespace ui
