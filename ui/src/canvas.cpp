#include "canvas.hpp"

#include <algorithm>

namespace ui {
namespace {

ImU32 toneColour(Tone tone) {
    switch (tone) {
        case Tone::Good:
            return theme::kGood;
        case Tone::Warning:
            return theme::kWarning;
        case Tone::Error:
            return theme::kError;
        case Tone::Normal:
            break;
    }
    return theme::kText;
}

}  // namespace

Canvas::Canvas(const View& view, const Fonts& fonts, ImVec2 size, ImTextureID camera, ImVec2 cameraSize)
    : m_view(view),
      m_fonts(fonts),
      m_size(size),
      m_scale(std::min(size.x, size.y) / 1080.0F),
      m_camera(camera),
      m_cameraSize(cameraSize) {}

void Canvas::button(const Control& control, ImVec2 size) {
    const bool primary = control.primary && control.enabled;
    ImGui::PushStyleColor(ImGuiCol_Button, primary ? theme::kPrimary : theme::kButton);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, primary ? theme::kPrimary : theme::kButton);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, primary ? theme::kPrimaryActive : theme::kButtonActive);
    ImGui::PushStyleColor(ImGuiCol_Text, primary ? theme::kOnDark : theme::kText);
    ImGui::PushFont(control.kind == Control::Kind::Key && control.label.size() == 1 ? m_fonts.big
                                                                                    : m_fonts.heading);
    ImGui::BeginDisabled(!control.enabled);
    std::string label = control.label;
    if (!control.detail.empty()) {
        label += "\n" + control.detail;
    }
    label += "##" + control.id;
    if (ImGui::Button(label.c_str(), size)) {
        m_intents.push_back({control.id});
    }
    ImGui::EndDisabled();
    ImGui::PopFont();
    ImGui::PopStyleColor(4);
    record(control);
}

void Canvas::record(const Control& control) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    // The region the item is drawn in (the screen, or a scrolling list scrolled elsewhere).
    const ImVec2 from = ImGui::GetWindowPos();
    const ImVec2 to(from.x + ImGui::GetWindowSize().x, from.y + ImGui::GetWindowSize().y);
    const ImVec2 centre((min.x + max.x) / 2, (min.y + max.y) / 2);
    const bool visible = centre.x >= std::max(from.x, 0.0F) && centre.y >= std::max(from.y, 0.0F) &&
                         centre.x < std::min(to.x, m_size.x) && centre.y < std::min(to.y, m_size.y);
    m_rects[control.id] = {min, max, control.enabled, visible};
}

void Canvas::surface(const Control& control, ImVec2 size) {
    ImGui::InvisibleButton(("##" + control.id).c_str(), size);
    record(control);
}

void Canvas::hidden(const Control& control, ImVec2 size) {
    if (ImGui::InvisibleButton(("##" + control.id).c_str(), size) && control.enabled) {
        m_intents.push_back({control.id});
    }
    record(control);
}

void Canvas::checkbox(const Control& control, float width) {
    const float box = px(72);
    const float gap = px(28);
    ImGui::PushFont(m_fonts.body);
    const ImVec2 textSize = ImGui::CalcTextSize(control.label.c_str(), nullptr, false, width - box - gap);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float height = std::max(box, textSize.y) + px(24);
    if (ImGui::InvisibleButton(("##" + control.id).c_str(), ImVec2(width, height))) {
        m_intents.push_back({control.id});
    }
    record(control);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 boxMin(origin.x, origin.y + (height - box) / 2);
    const ImVec2 boxMax(boxMin.x + box, boxMin.y + box);
    draw->AddRectFilled(boxMin, boxMax, control.checked ? theme::kPrimary : theme::kButton, px(10));
    draw->AddRect(boxMin, boxMax, control.checked ? theme::kPrimary : theme::kMuted, px(10), 0, px(4));
    if (control.checked) {
        const ImVec2 a(boxMin.x + box * 0.22F, boxMin.y + box * 0.52F);
        const ImVec2 b(boxMin.x + box * 0.42F, boxMin.y + box * 0.72F);
        const ImVec2 c(boxMin.x + box * 0.78F, boxMin.y + box * 0.30F);
        draw->AddLine(a, b, theme::kOnDark, px(8));
        draw->AddLine(b, c, theme::kOnDark, px(8));
    }
    draw->AddText(m_fonts.body, m_fonts.body->FontSize,
                  ImVec2(boxMax.x + gap, origin.y + (height - textSize.y) / 2), theme::kText,
                  control.label.c_str(), nullptr, width - box - gap);
    ImGui::PopFont();
}

void Canvas::buttons(float width, float height) {
    for (const auto& control : m_view.controls) {
        if (control.kind != Control::Kind::Button || control.id == "lang") {
            continue;
        }
        button(control, ImVec2(width, control.detail.empty() ? height : height * 1.35F));
        ImGui::Dummy(ImVec2(0, px(12)));
    }
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
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, toneColour(line.tone));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(line.text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, px(10)));
}

void Canvas::lines(float width) {
    for (const auto& line : m_view.lines) {
        text(line, width);
    }
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
        const auto col = static_cast<float>(i % 3);
        const std::size_t rowIndex = i / 3;  // whole rows of three keys
        const auto row = static_cast<float>(rowIndex);
        ImGui::SetCursorPos(ImVec2(origin.x + col * (key.x + gap), origin.y + row * (key.y + gap)));
        button(*keys[i], key);
    }
    ImGui::SetCursorPos(ImVec2(origin.x, origin.y + size.y + gap));
}

void Canvas::beginScroll(const char* id, ImVec2 size) {
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, px(36));
    ImGui::PushStyleColor(ImGuiCol_ScrollbarBg, theme::kButtonActive);
    ImGui::PushStyleColor(ImGuiCol_ScrollbarGrab, theme::kMuted);
    ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoBackground);
    // Touch screens scroll by dragging the content itself.
    if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
    }
}

void Canvas::endScroll() {
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar();
}

void Canvas::cameraPreview(ImVec2 size) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
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
    draw->AddLine(a, ImVec2(a.x + arm, a.y), theme::kGuide, thick);
    draw->AddLine(a, ImVec2(a.x, a.y + arm), theme::kGuide, thick);
    draw->AddLine(ImVec2(b.x, a.y), ImVec2(b.x - arm, a.y), theme::kGuide, thick);
    draw->AddLine(ImVec2(b.x, a.y), ImVec2(b.x, a.y + arm), theme::kGuide, thick);
    draw->AddLine(ImVec2(a.x, b.y), ImVec2(a.x + arm, b.y), theme::kGuide, thick);
    draw->AddLine(ImVec2(a.x, b.y), ImVec2(a.x, b.y - arm), theme::kGuide, thick);
    draw->AddLine(b, ImVec2(b.x - arm, b.y), theme::kGuide, thick);
    draw->AddLine(b, ImVec2(b.x, b.y - arm), theme::kGuide, thick);
    ImGui::Dummy(size);
}

}  // namespace ui
