// The promo game screen: the texts central's game carries (Decree 81: registration number, prize
// structure, odds), the board (a lucky wheel or a scratch card) and the buttons. The board's positions
// come from the core; the screen only turns the finger into "flick:<deg/s>" and "scratch:<cell>".
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <numbers>
#include <vector>

#include "screen.hpp"

namespace ui {
namespace {

constexpr float kDefaultFlick = 720.0F;  ///< a tap on the wheel spins it like the Spin button
constexpr float kTapDistance = 24.0F;    ///< base pixels: a shorter drag is a tap
constexpr std::array<ImU32, 6> kSectorColours{
    IM_COL32(0x0B, 0x7A, 0x4B, 0xFF), IM_COL32(0xF2, 0xB1, 0x34, 0xFF), IM_COL32(0xC6, 0x28, 0x28, 0xFF),
    IM_COL32(0x1F, 0x5F, 0xA8, 0xFF), IM_COL32(0x8E, 0x44, 0xAD, 0xFF), IM_COL32(0xE6, 0x7E, 0x22, 0xFF)};
constexpr ImU32 kFoil = IM_COL32(0xB8, 0xBC, 0xC2, 0xFF);

float radians(float degrees) {
    return degrees * std::numbers::pi_v<float> / 180.0F;
}

/// A point at `degrees` clockwise from the top of a circle.
ImVec2 onCircle(ImVec2 centre, float radius, float degrees) {
    return {centre.x + radius * std::sin(radians(degrees)), centre.y - radius * std::cos(radians(degrees))};
}

/// Each sector's width in degrees: the core's (by the odds), or equal when it gave none.
std::vector<float> sectorWidths(const GameBoard& board) {
    if (board.sectorDegrees.size() == board.sectors.size() && !board.sectors.empty()) {
        return board.sectorDegrees;
    }
    const auto count = std::max<std::size_t>(1, board.sectors.size());
    return std::vector<float>(count, 360.0F / static_cast<float>(count));
}

/// A thin sector's label on one line along its radius (it wrapped one word per line across the sector),
/// between the hub and the rim, smaller when it would not fit, turned so it never reads upside down.
void drawAlongRadius(ImDrawList* draw, ImFont* font, ImVec2 centre, float radius, float degrees,
                     const std::string& label, ImU32 colour) {
    const float room = radius * 0.72F;  // from just outside the hub to just inside the rim
    const float natural = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0F, label.c_str()).x;
    const float fontSize =
        natural > room ? std::max(font->FontSize * 0.6F, font->FontSize * room / natural) : font->FontSize;
    const ImVec2 size = font->CalcTextSizeA(fontSize, FLT_MAX, 0.0F, label.c_str());
    const ImVec2 at = onCircle(centre, radius * 0.58F, degrees);
    const int first = draw->VtxBuffer.Size;
    draw->AddText(font, fontSize, ImVec2(at.x - size.x / 2, at.y - size.y / 2), colour, label.c_str());
    // The radius points at (degrees - 90) on screen; text on the left half is turned half a turn more.
    float turn = std::fmod(degrees - 90.0F + 720.0F, 360.0F);
    if (turn > 90.0F && turn < 270.0F) {
        turn -= 180.0F;
    }
    const float c = std::cos(radians(turn));
    const float s = std::sin(radians(turn));
    for (int v = first; v < draw->VtxBuffer.Size; ++v) {
        ImVec2& pos = draw->VtxBuffer[v].pos;
        const ImVec2 d(pos.x - at.x, pos.y - at.y);
        pos = ImVec2(at.x + d.x * c - d.y * s, at.y + d.x * s + d.y * c);
    }
}

void drawWheel(Canvas& canvas, const GameBoard& board, ImVec2 origin, float side) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 centre(origin.x + side / 2, origin.y + side / 2);
    const float radius = side / 2 - canvas.px(24);
    const auto widths = sectorWidths(board);
    float from = board.angle;
    for (std::size_t i = 0; i < widths.size(); ++i) {
        const int segments = std::max(4, static_cast<int>(widths[i] / 4.0F));
        draw->PathLineTo(centre);
        draw->PathArcTo(centre, radius, radians(from - 90.0F), radians(from + widths[i] - 90.0F), segments);
        draw->PathFillConvex(kSectorColours[i % kSectorColours.size()]);
        from += widths[i];
    }
    draw->AddCircle(centre, radius, canvas.palette().text, 64, canvas.px(6));
    ImFont* font = canvas.fonts().small;
    from = board.angle;
    for (std::size_t i = 0; i < board.sectors.size() && i < widths.size(); ++i) {
        const std::string& label = board.sectors[i];
        const float middle = from + widths[i] / 2;
        from += widths[i];
        const float chord = 2.0F * radius * 0.64F * std::sin(radians(std::min(widths[i], 180.0F) / 2));
        const float oneLine = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0F, label.c_str()).x;
        if (oneLine > chord && chord < radius * 0.5F) {
            drawAlongRadius(draw, font, centre, radius, middle, label, canvas.palette().onDark);
            continue;
        }
        // The label wraps to the sector's chord where it is written, so it stays inside its sector.
        const float wrap = std::clamp(chord, canvas.px(60), radius * 0.7F);
        const ImVec2 at = onCircle(centre, radius * 0.64F, middle);
        const ImVec2 size = font->CalcTextSizeA(font->FontSize, wrap, wrap, label.c_str());
        draw->AddText(font, font->FontSize, ImVec2(at.x - size.x / 2, at.y - size.y / 2),
                      canvas.palette().onDark, label.c_str(), nullptr, wrap);
    }
    draw->AddCircleFilled(centre, canvas.px(36), canvas.palette().text);
    // The pointer, at the top, pointing into the wheel.
    const float p = canvas.px(40);
    draw->AddTriangleFilled(ImVec2(centre.x - p, origin.y), ImVec2(centre.x + p, origin.y),
                            ImVec2(centre.x, origin.y + p * 1.8F), canvas.palette().text);
}

/// A finger let go of the wheel: its speed along the rim, in degrees per second (a tap: the default).
void reportFlick(Canvas& canvas, float radius) {
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 drag(io.MousePos.x - io.MouseClickedPos[0].x, io.MousePos.y - io.MouseClickedPos[0].y);
    const float distance = std::sqrt(drag.x * drag.x + drag.y * drag.y);
    const float seconds = std::max(io.MouseDownDurationPrev[0], 0.05F);
    float speed = kDefaultFlick;
    if (distance >= canvas.px(kTapDistance)) {
        speed = distance / radius * 180.0F / std::numbers::pi_v<float> / seconds;
    }
    canvas.report("flick:" + std::to_string(static_cast<int>(std::clamp(speed, 0.0F, 5000.0F))));
}

std::size_t cellIndex(const GameBoard& board, int row, int column) {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(board.columns) +
           static_cast<std::size_t>(column);
}

void drawCard(Canvas& canvas, const GameBoard& board, ImVec2 origin, ImVec2 size) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end(origin.x + size.x, origin.y + size.y);
    draw->AddRectFilled(origin, end, canvas.palette().button, canvas.px(16));
    ImFont* font = canvas.fonts().heading;
    const ImVec2 text = font->CalcTextSizeA(font->FontSize, size.x, size.x * 0.9F, board.hidden.c_str());
    draw->AddText(font, font->FontSize,
                  ImVec2(origin.x + (size.x - text.x) / 2, origin.y + (size.y - text.y) / 2),
                  canvas.palette().good, board.hidden.c_str(), nullptr, size.x * 0.9F);
    const float cw = size.x / static_cast<float>(std::max(1, board.columns));
    const float ch = size.y / static_cast<float>(std::max(1, board.rows));
    for (int r = 0; r < board.rows; ++r) {
        for (int c = 0; c < board.columns; ++c) {
            const std::size_t cell = cellIndex(board, r, c);
            if (cell < board.scratched.size() && !board.scratched[cell]) {
                const ImVec2 a(origin.x + static_cast<float>(c) * cw, origin.y + static_cast<float>(r) * ch);
                draw->AddRectFilled(a, ImVec2(a.x + cw + 1, a.y + ch + 1), kFoil);
            }
        }
    }
    draw->AddRect(origin, end, canvas.palette().border, canvas.px(16), 0, canvas.px(4));
}

/// The finger is on the card: the cell under it, once per cell not yet scratched.
void reportScratch(Canvas& canvas, const GameBoard& board, ImVec2 origin, ImVec2 size) {
    const ImVec2 at = ImGui::GetIO().MousePos;
    const int c = static_cast<int>((at.x - origin.x) / size.x * static_cast<float>(board.columns));
    const int r = static_cast<int>((at.y - origin.y) / size.y * static_cast<float>(board.rows));
    if (c < 0 || r < 0 || c >= board.columns || r >= board.rows) {
        return;
    }
    const std::size_t cell = cellIndex(board, r, c);
    if (cell < board.scratched.size() && !board.scratched[cell]) {
        canvas.report("scratch:" + std::to_string(cell));
    }
}

void drawConfetti(Canvas& canvas, ImVec2 origin, ImVec2 size) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // A fixed scatter (the same every frame: the screen keeps no state and draws on demand).
    for (unsigned i = 0; i < 60; ++i) {
        const float x = static_cast<float>((i * 7919U) % 997U) / 997.0F;
        const float y = static_cast<float>((i * 104'729U) % 991U) / 991.0F;
        const ImVec2 a(origin.x + x * size.x, origin.y + y * size.y);
        draw->AddRectFilled(a, ImVec2(a.x + canvas.px(14), a.y + canvas.px(24)),
                            kSectorColours[i % kSectorColours.size()]);
    }
}

/// The board in a square of `side` at the cursor, with its touch surface.
void drawBoard(Canvas& canvas, const GameBoard& board, float side) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const Control* surface = canvas.view().control(board.wheel ? "flick:*" : "scratch:*");
    // Confetti first: the wheel and the card are drawn over it, so it never hides the prize's text.
    if (board.celebrate) {
        drawConfetti(canvas, origin, ImVec2(side, side));
    }
    if (board.wheel) {
        drawWheel(canvas, board, origin, side);
    } else {
        drawCard(canvas, board, ImVec2(origin.x, origin.y + side * 0.2F), ImVec2(side, side * 0.6F));
    }
    if (surface == nullptr || !surface->enabled) {
        ImGui::Dummy(ImVec2(side, side));
        return;
    }
    canvas.surface(*surface, ImVec2(side, side));
    if (board.wheel && ImGui::IsItemDeactivated()) {
        reportFlick(canvas, side / 2);
    } else if (!board.wheel && ImGui::IsItemActive()) {
        reportScratch(canvas, board, ImVec2(origin.x, origin.y + side * 0.2F), ImVec2(side, side * 0.6F));
    }
}

bool isButton(const Control& control) {
    return control.kind == Control::Kind::Button && !inFrame(control);
}

}  // namespace

void GameScreen::body(Canvas& canvas, ImVec2 area) {
    const View& view = canvas.view();
    const float buttonHeight = canvas.px(110);
    const float spacing = canvas.px(12);
    const auto buttons =
        static_cast<float>(std::count_if(view.controls.begin(), view.controls.end(), isButton));
    const float buttonsHeight = buttons * (buttonHeight + spacing);
    const bool landscape = canvas.landscape();
    const ImVec2 top = ImGui::GetCursorPos();
    const float column = landscape ? area.x / 2 - canvas.px(15) : area.x;
    const float textHeight = landscape ? area.y : area.y * 0.3F;
    canvas.beginScroll("rules", ImVec2(column, textHeight));
    canvas.lines(column - canvas.px(48));
    canvas.endScroll();
    const float boardTop = landscape ? top.y : top.y + textHeight + spacing;
    const float boardX = landscape ? top.x + column + canvas.px(30) : top.x;
    const float room = area.y - (boardTop - top.y) - buttonsHeight - spacing;
    const float side = std::max(canvas.px(100), std::min(column, room));
    if (view.game) {
        ImGui::SetCursorPos(ImVec2(boardX + (column - side) / 2, boardTop));
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        drawBoard(canvas, *view.game, side);
        if (view.spinner) {  // central is drawing: the wait turns over the board
            canvas.spinner(ImVec2(origin.x + side / 2, origin.y + side / 2), side / 5, *view.spinner);
        }
    }
    ImGui::SetCursorPos(ImVec2(boardX, boardTop + side + spacing));
    for (const auto& control : view.controls) {
        if (isButton(control)) {
            ImGui::SetCursorPosX(boardX);
            canvas.button(control, ImVec2(column, buttonHeight));
            ImGui::Dummy(ImVec2(0, spacing));
        }
    }
}

}  // namespace ui
