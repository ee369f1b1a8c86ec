#include "ui/layout.hpp"

#include <algorithm>
#include <cmath>

namespace ui {

Rect Rect::intersection(const Rect& r) const {
    return {std::max(x0, r.x0), std::max(y0, r.y0), std::min(x1, r.x1), std::min(y1, r.y1)};
}

float relativeLuminance(std::uint32_t rgb) {
    const auto channel = [](std::uint32_t c) {
        const float v = static_cast<float>(c & 0xFFU) / 255.0F;
        return v <= 0.03928F ? v / 12.92F : std::pow((v + 0.055F) / 1.055F, 2.4F);
    };
    return 0.2126F * channel(rgb >> 16) + 0.7152F * channel(rgb >> 8) + 0.0722F * channel(rgb);
}

float contrastRatio(std::uint32_t a, std::uint32_t b) {
    const float la = relativeLuminance(a);
    const float lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05F) / (std::min(la, lb) + 0.05F);
}

}  // namespace ui
