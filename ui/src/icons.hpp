#pragma once
// Simple icons drawn with lines and shapes (no icon font), beside the words of the buttons whose meaning
// they help: back, call staff, large text. UI thread only; they keep no state.

#include <imgui.h>

#include <string_view>

#include "ui/layout.hpp"

namespace ui {

enum class Icon { None, Back, CallStaff, LargeText };

/// The icon a control shows beside its label, by its id ("back", "call_staff", "access"); None for others.
[[nodiscard]] Icon iconFor(std::string_view controlId);

/// Draws `icon` filling the square `box` in `colour` (the label's ink, so it contrasts as the text does),
/// with strokes `stroke` pixels wide.
void drawIcon(ImDrawList* draw, Icon icon, const Rect& box, ImU32 colour, float stroke);

}  // namespace ui
