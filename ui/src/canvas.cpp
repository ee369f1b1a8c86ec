#include "canvas.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numbers>

#include "icons.hpp"

namespace ui {
namespace {

/// A press this long on a control with a hold intent reports that intent when the finger lets go (the
/// screen renders on demand: a finger held still sends no event to draw a frame on before that).
constexpr float kHoldSeconds = 0.8F;

/// The side of a reward's picture on its tile (layout pixels).
constexpr float kTilePicture = 112;

/// The square an icon takes beside a label in `font` (the gap after it is scale::kGapS).
float iconSide(const ImFont* font) {
    return font->FontSize * 0.9F;
}

ImU32 toneColour(const Palette& palette, Tone tone) {
    switch (tone) {
        case Tone::Good:
            return palette.good;
        case Tone::Warning:
            return palette.warning;
        case Tone::Error:
            return palette.error;
        case Tone::Normal:
            break;
    }
    return palette.text;
}

ImU32 imColour(std::uint32_t rgb) {
    return IM_COL32(rgb >> 16 & 0xFFU, rgb >> 8 & 0xFFU, rgb & 0xFFU, 0xFF);
}

}  // namespace

Palette::Palette(const Theme& theme)
    : background(imColour(theme.background)),
      header(imColour(theme.header)),
      statusBar(imColour(theme.statusBar)),
      text(imColour(theme.text)),
      muted(imColour(theme.muted)),
      onDark(imColour(theme.onDark)),
      primary(imColour(theme.primary)),
      primaryActive(imColour(theme.primaryActive)),
      button(imColour(theme.button)),
      buttonActive(imColour(theme.buttonActive)),
      buttonDisabled(imColour(theme.buttonDisabled)),
      border(imColour(theme.border)),
      good(imColour(theme.good)),
      warning(imColour(theme.warning)),
      error(imColour(theme.error)),
      guide(imColour(theme.guide)) {}

Canvas::Canvas(const View& view, const Fonts& fonts, const Palette& palette, ImVec2 size, ImTextureID camera,
               ImVec2 cameraSize, const std::map<std::string, Picture, std::less<>>& pictures)
    : m_view(view),
      m_fonts(fonts),
      m_palette(palette),
      m_size(size),
      m_scale(std::min(size.x, size.y) / 1080.0F),
      m_camera(camera),
      m_cameraSize(cameraSize),
      m_pictures(pictures) {
    m_layout.width = size.x;
    m_layout.height = size.y;
}

bool Canvas::large(const ImFont* font) const {
    return font == m_fonts.heading || font == m_fonts.big || font == m_fonts.entry;
}

Rect Canvas::region() const {
    const ImVec2 from = ImGui::GetWindowPos();
    const ImVec2 size = ImGui::GetWindowSize();
    return Rect{from.x, from.y, from.x + size.x, from.y + size.y}.intersection({0, 0, m_size.x, m_size.y});
}

ImVec2 Canvas::drawText(ImFont* font, ImVec2 at, const std::string& text, float wrap, Ink ink,
                        DrawnText::Kind kind, const Rect& room) {
    const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, text.c_str());
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, at, ink.colour, text.c_str(), nullptr, wrap);
    m_layout.texts.push_back({kind, text, Rect{at.x, at.y, at.x + size.x, at.y + size.y}, room, region(),
                              rgb(ink.colour), rgb(ink.background), large(font)});
    return size;
}

const Picture* Canvas::tilePicture(const Control& control) const {
    return control.picture.empty() ? nullptr : picture(control.picture);
}

float Canvas::leadWidth(const Control& control) const {
    if (tilePicture(control) != nullptr) {
        return px(kTilePicture) + px(scale::kGapM);
    }
    return iconFor(control.id) == Icon::None ? 0.0F : iconSide(m_fonts.heading) + px(scale::kGapS);
}

float Canvas::labelRoom(const Control& control, float inner) const {
    return inner - leadWidth(control);
}

float Canvas::buttonHeight(const Control& control, float width, float height) const {
    const float inner = width - 2 * px(scale::kGapL);
    const ImFont* label = m_fonts.heading;
    float needed =
        label->CalcTextSizeA(label->FontSize, FLT_MAX, labelRoom(control, inner), control.label.c_str()).y;
    const bool tile = tilePicture(control) != nullptr;
    if (!control.detail.empty()) {
        needed += m_fonts.body
                      ->CalcTextSizeA(m_fonts.body->FontSize, FLT_MAX,
                                      tile ? labelRoom(control, inner) : inner, control.detail.c_str())
                      .y +
                  px(6);
    }
    if (tile) {
        needed = std::max(needed, px(kTilePicture));
    }
    return std::max(height, needed + 2 * px(scale::kGapM));
}

void Canvas::button(const Control& control, ImVec2 size, Align align) {
    const bool primary = control.primary && control.enabled;
    const ImU32 fill = primary           ? m_palette.primary
                       : control.enabled ? m_palette.button
                                         : m_palette.buttonDisabled;
    const ImU32 pressedFill = primary ? m_palette.primaryActive : m_palette.buttonActive;
    ImGui::PushStyleColor(ImGuiCol_Button, fill);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, fill);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, pressedFill);
    ImGui::PushStyleColor(ImGuiCol_Border, primary ? m_palette.primary : m_palette.border);
    ImGui::BeginDisabled(!control.enabled);
    if (ImGui::Button(("##" + control.id).c_str(), size)) {
        // Let go after a long press: the control's hold intent (the whole entry cleared), else a touch.
        const bool held = !control.hold.empty() && ImGui::GetIO().MouseDownDurationPrev[0] >= kHoldSeconds;
        m_intents.push_back({held ? control.hold : control.id});
    }
    const bool pressed = ImGui::IsItemActive();
    ImGui::EndDisabled();
    ImGui::PopStyleColor(4);
    record(control, rgb(primary ? m_palette.primary : m_palette.border));
    const ImVec2 min = ImGui::GetItemRectMin();
    if (pressed) {
        // Pressed: the pressed shade (ImGui's active colour) and a thicker edge, so a finger that covers
        // most of the button still sees it answer.
        ImGui::GetWindowDrawList()->AddRect(min, ImVec2(min.x + size.x, min.y + size.y),
                                            primary ? m_palette.text : m_palette.border,
                                            ImGui::GetStyle().FrameRounding, 0, px(6));
    }
    m_layout.controls.back().pressed = pressed;
    m_layout.controls.back().fill = rgb(pressed ? pressedFill : fill);
    const Ink ink{primary           ? m_palette.onDark
                  : control.enabled ? m_palette.text
                                    : m_palette.muted,
                  pressed ? pressedFill : fill};
    words(control, Rect{min.x, min.y, min.x + size.x, min.y + size.y}, ink, align);
}

void Canvas::words(const Control& control, const Rect& room, Ink ink, Align align) {
    // The words, drawn here rather than by ImGui so a long label wraps inside the button and a reward's
    // cost sits under its name in a smaller type; an icon, if the control has one, before the label.
    const Ink detailInk{control.primary && control.enabled ? m_palette.onDark : m_palette.muted,
                        ink.background};
    ImFont* labelFont =
        control.kind == Control::Kind::Key && control.label.size() == 1 ? m_fonts.big : m_fonts.heading;
    const ImVec2 size(room.x1 - room.x0, room.y1 - room.y0);
    const float pad = align == Align::Left ? px(scale::kGapL) : px(scale::kGapS);
    const float inner = size.x - 2 * pad;
    const Icon icon = iconFor(control.id);
    const Picture* tile = tilePicture(control);
    const float lead = leadWidth(control);
    const ImVec2 labelSize = labelFont->CalcTextSizeA(labelFont->FontSize, FLT_MAX, labelRoom(control, inner),
                                                      control.label.c_str());
    ImVec2 detailSize(0, 0);
    if (!control.detail.empty()) {
        detailSize = m_fonts.body->CalcTextSizeA(m_fonts.body->FontSize, FLT_MAX,
                                                 tile != nullptr ? labelRoom(control, inner) : inner,
                                                 control.detail.c_str());
        detailSize.y += px(6);
    }
    const float top = room.y0 + (size.y - labelSize.y - detailSize.y) / 2;
    const auto left = [&](float width) {
        return align == Align::Left ? room.x0 + pad : room.x0 + (size.x - width) / 2;
    };
    const float labelLeft = left(labelSize.x + lead);
    if (tile != nullptr) {
        // The reward's picture in a square at the start of the tile, the words beside it.
        const float side = std::min(px(kTilePicture), size.y - 2 * px(scale::kGapS));
        const float y = room.y0 + (size.y - side) / 2;
        drawPicture(*tile, Rect{labelLeft, y, labelLeft + side, y + side});
    } else if (icon != Icon::None) {
        const float side = iconSide(labelFont);
        const Rect box{labelLeft, top + (labelSize.y - side) / 2, labelLeft + side,
                       top + (labelSize.y + side) / 2};
        drawIcon(ImGui::GetWindowDrawList(), icon, box, ink.colour, px(7));
        m_layout.controls.back().icon = box;
    }
    drawText(labelFont, ImVec2(labelLeft + lead, top), control.label, labelRoom(control, inner), ink,
             DrawnText::Kind::Label, room);
    if (!control.detail.empty()) {
        const float detailLeft = tile != nullptr ? labelLeft + lead : left(detailSize.x);
        drawText(m_fonts.body, ImVec2(detailLeft, top + labelSize.y + px(6)), control.detail,
                 tile != nullptr ? labelRoom(control, inner) : inner, detailInk, DrawnText::Kind::Label,
                 room);
    }
}

void Canvas::record(const Control& control, std::uint32_t outline) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    // The region the item is drawn in (the screen, or a scrolling list scrolled elsewhere).
    const Rect clip = region();
    const ImVec2 centre((min.x + max.x) / 2, (min.y + max.y) / 2);
    const bool visible =
        centre.x >= clip.x0 && centre.y >= clip.y0 && centre.x < clip.x1 && centre.y < clip.y1;
    m_rects[control.id] = {min, max, control.enabled, visible};
    m_layout.controls.push_back({control.id, Rect{min.x, min.y, max.x, max.y}, clip,
                                 control.kind == Control::Kind::Hidden, m_scrollDepth > 0, outline,
                                 rgb(m_palette.background), false, 0, std::nullopt});
}

void Canvas::surface(const Control& control, ImVec2 size) {
    ImGui::InvisibleButton(("##" + control.id).c_str(), size);
    record(control, rgb(m_palette.border));  // the screen draws the board inside it
}

void Canvas::hidden(const Control& control, ImVec2 size) {
    if (ImGui::InvisibleButton(("##" + control.id).c_str(), size) && control.enabled) {
        m_intents.push_back({control.id});
    }
    record(control, rgb(m_palette.background));
}

float Canvas::checkboxHeight(const Control& control, float width) const {
    const float box = px(72);
    const ImFont* font = m_fonts.body;
    const float text =
        font->CalcTextSizeA(font->FontSize, FLT_MAX, width - box - px(28), control.label.c_str()).y;
    return std::max(box, text) + px(scale::kGapM);
}

void Canvas::checkbox(const Control& control, float width) {
    const float box = px(72);
    const float gap = px(28);
    ImFont* font = m_fonts.body;
    const ImVec2 textSize =
        font->CalcTextSizeA(font->FontSize, FLT_MAX, width - box - gap, control.label.c_str());
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float height = checkboxHeight(control, width);
    if (ImGui::InvisibleButton(("##" + control.id).c_str(), ImVec2(width, height))) {
        m_intents.push_back({control.id});
    }
    const bool pressed = ImGui::IsItemActive();
    record(control, rgb(control.checked ? m_palette.primary : m_palette.muted));
    m_layout.controls.back().pressed = pressed;
    m_layout.controls.back().fill = rgb(pressed ? m_palette.buttonActive : m_palette.background);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (pressed) {
        draw->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), m_palette.buttonActive,
                            px(10));
    }
    const ImVec2 boxMin(origin.x, origin.y + (height - box) / 2);
    const ImVec2 boxMax(boxMin.x + box, boxMin.y + box);
    draw->AddRectFilled(boxMin, boxMax, control.checked ? m_palette.primary : m_palette.button, px(10));
    draw->AddRect(boxMin, boxMax, control.checked ? m_palette.primary : m_palette.muted, px(10), 0, px(4));
    if (control.checked) {
        const ImVec2 a(boxMin.x + box * 0.22F, boxMin.y + box * 0.52F);
        const ImVec2 b(boxMin.x + box * 0.42F, boxMin.y + box * 0.72F);
        const ImVec2 c(boxMin.x + box * 0.78F, boxMin.y + box * 0.30F);
        draw->AddLine(a, b, m_palette.onDark, px(8));
        draw->AddLine(b, c, m_palette.onDark, px(8));
    }
    drawText(font, ImVec2(boxMax.x + gap, origin.y + (height - textSize.y) / 2), control.label,
             width - box - gap, Ink{m_palette.text, pressed ? m_palette.buttonActive : m_palette.background},
             DrawnText::Kind::Label, Rect{origin.x, origin.y, origin.x + width, origin.y + height});
}

void Canvas::buttons(float width, float height) {
    ImGui::BeginGroup();  // every button starts at the first one's left edge, whatever the column
    for (const auto& control : m_view.controls) {
        if (control.kind != Control::Kind::Button || inFrame(control)) {
            continue;
        }
        button(control, ImVec2(width, buttonHeight(control, width, height)));
        ImGui::Dummy(ImVec2(0, px(scale::kGapS)));
    }
    ImGui::EndGroup();
}

float Canvas::buttonsHeight(float width, float height) const {
    // What buttons() puts between two buttons: its gap plus ImGui's item spacing twice.
    const float spacing = px(scale::kGapS) + 2 * ImGui::GetStyle().ItemSpacing.y;
    float total = 0;
    for (const auto& control : m_view.controls) {
        if (control.kind == Control::Kind::Button && !inFrame(control)) {
            total += buttonHeight(control, width, height) + spacing;
        }
    }
    return total;
}

void Canvas::text(const TextLine& line, float width) {
    ImFont* font = m_fonts.body;
    switch (line.style) {
        case TextLine::Style::Heading:
            font = m_fonts.heading;
            break;
        case TextLine::Style::Big:
            font = m_fonts.big;
            break;
        case TextLine::Style::Small:
            font = m_fonts.small;
            break;
        case TextLine::Style::Body:
            break;
    }
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const Rect shown = region();
    // In a scrolling list the text may run below what is shown; across, it must stay in its column.
    const Rect room = m_scrollDepth > 0 ? Rect{at.x, -FLT_MAX, at.x + width, FLT_MAX}
                                        : Rect{at.x, shown.y0, at.x + width, shown.y1};
    const ImVec2 size =
        drawText(font, at, line.text, width, Ink{toneColour(m_palette, line.tone), m_palette.background},
                 DrawnText::Kind::Line, room);
    ImGui::Dummy(ImVec2(width, size.y));
    ImGui::Dummy(ImVec2(0, px(scale::kGapS)));
}

void Canvas::lines(float width) {
    ImGui::BeginGroup();  // every line starts at the first one's left edge (a right-hand column too)
    for (const auto& line : m_view.lines) {
        text(line, width);
    }
    ImGui::EndGroup();
}

void Canvas::keypad(ImVec2 size) {
    std::vector<const Control*> keys;
    for (const auto& control : m_view.controls) {
        if (control.kind == Control::Kind::Key) {
            keys.push_back(&control);
        }
    }
    const float gap = px(18);
    const ImVec2 key((size.x - 2 * gap) / 3, (size.y - 3 * gap) / 4);
    const ImVec2 origin = ImGui::GetCursorPos();
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::size_t rowIndex = i / 3;  // whole rows: three keys a row
        const auto col = static_cast<float>(i % 3);
        const auto row = static_cast<float>(rowIndex);
        ImGui::SetCursorPos(ImVec2(origin.x + col * (key.x + gap), origin.y + row * (key.y + gap)));
        button(*keys[i], key);
    }
    ImGui::SetCursorPos(ImVec2(origin.x, origin.y + size.y + gap));
}

void Canvas::beginScroll(const char* id, ImVec2 size) {
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, px(36));
    ImGui::PushStyleColor(ImGuiCol_ScrollbarBg, m_palette.buttonActive);
    ImGui::PushStyleColor(ImGuiCol_ScrollbarGrab, m_palette.muted);
    ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoBackground);
    ++m_scrollDepth;
    // Touch screens scroll by dragging the content itself.
    if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
    }
}

void Canvas::endScroll() {
    --m_scrollDepth;
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar();
}

void Canvas::spinner(ImVec2 centre, float radius, float turn) {
    constexpr int kSpokes = 12;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const int lead = static_cast<int>(turn * kSpokes) % kSpokes;
    for (int i = 0; i < kSpokes; ++i) {
        const float angle = 2.0F * std::numbers::pi_v<float> * static_cast<float>(i) / kSpokes;
        const ImVec2 dir(std::sin(angle), -std::cos(angle));
        const int behind = (lead - i + kSpokes) % kSpokes;
        const auto alpha = static_cast<unsigned>(255 - behind * 200 / kSpokes);
        const ImU32 colour = (m_palette.primary & 0x00FFFFFFU) | alpha << 24;
        draw->AddLine(ImVec2(centre.x + dir.x * radius * 0.45F, centre.y + dir.y * radius * 0.45F),
                      ImVec2(centre.x + dir.x * radius, centre.y + dir.y * radius), colour, radius * 0.16F);
    }
}

void Canvas::cameraPreview(ImVec2 size) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    m_layout.camera = Rect{origin.x, origin.y, origin.x + size.x, origin.y + size.y};
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y),
                        IM_COL32(0x20, 0x20, 0x20, 0xFF), px(16));
    if (m_camera != nullptr && m_cameraSize.x > 0 && m_cameraSize.y > 0) {
        // Fit the whole picture (letterbox), so what the camera sees is what the shopper sees.
        const float k = std::min(size.x / m_cameraSize.x, size.y / m_cameraSize.y);
        const ImVec2 shown(m_cameraSize.x * k, m_cameraSize.y * k);
        const ImVec2 at(origin.x + (size.x - shown.x) / 2, origin.y + (size.y - shown.y) / 2);
        draw->AddImage(m_camera, at, ImVec2(at.x + shown.x, at.y + shown.y));
    }
    // The guide frame: corner brackets around the centre square where the QR reads best.
    const float side = std::min(size.x, size.y) * 0.6F;
    const ImVec2 c(origin.x + size.x / 2, origin.y + size.y / 2);
    const ImVec2 a(c.x - side / 2, c.y - side / 2);
    const ImVec2 b(c.x + side / 2, c.y + side / 2);
    const float arm = side * 0.2F;
    const float thick = px(10);
    draw->AddLine(a, ImVec2(a.x + arm, a.y), m_palette.guide, thick);
    draw->AddLine(a, ImVec2(a.x, a.y + arm), m_palette.guide, thick);
    draw->AddLine(ImVec2(b.x, a.y), ImVec2(b.x - arm, a.y), m_palette.guide, thick);
    draw->AddLine(ImVec2(b.x, a.y), ImVec2(b.x, a.y + arm), m_palette.guide, thick);
    draw->AddLine(ImVec2(a.x, b.y), ImVec2(a.x + arm, b.y), m_palette.guide, thick);
    draw->AddLine(ImVec2(a.x, b.y), ImVec2(a.x, b.y - arm), m_palette.guide, thick);
    draw->AddLine(b, ImVec2(b.x - arm, b.y), m_palette.guide, thick);
    draw->AddLine(b, ImVec2(b.x, b.y - arm), m_palette.guide, thick);
    ImGui::Dummy(size);
}

void Canvas::decoration(const Rect& rect, ImU32 colour, float rounding) {
    const auto clear = [&rect](const Rect& drawn, const Rect& clip) {
        const Rect seen = drawn.intersection(clip);
        return seen.empty() || !seen.overlaps(rect);
    };
    for (const auto& text : m_layout.texts) {
        if (!clear(text.rect, text.clip)) {
            return;
        }
    }
    for (const auto& control : m_layout.controls) {
        if (!control.hidden && !clear(control.rect, control.clip)) {
            return;
        }
    }
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), colour,
                                              rounding);
    m_layout.decorations.push_back(rect);
}

const Picture* Canvas::picture(std::string_view name) const {
    const auto found = m_pictures.find(name);
    return found == m_pictures.end() ? nullptr : &found->second;
}

Rect Canvas::drawPicture(const Picture& picture, const Rect& box) {
    const float scale =
        std::min({px(1), (box.x1 - box.x0) / picture.size.x, (box.y1 - box.y0) / picture.size.y});
    const ImVec2 size(picture.size.x * scale, picture.size.y * scale);
    const ImVec2 at(box.x0 + (box.x1 - box.x0 - size.x) / 2, box.y0 + (box.y1 - box.y0 - size.y) / 2);
    ImGui::GetWindowDrawList()->AddImage(picture.texture, at, ImVec2(at.x + size.x, at.y + size.y));
    const Rect drawn{at.x, at.y, at.x + size.x, at.y + size.y};
    m_layout.pictures.push_back(drawn);
    return drawn;
}

}  // namespace ui
