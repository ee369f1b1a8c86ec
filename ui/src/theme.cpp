#include "ui/theme.hpp"

#include <fmt/format.h>

#include <cctype>

#include "ui/layout.hpp"

namespace ui {
namespace {

/// A colour `percent` of the way to black (the pressed shade of a brand colour).
std::uint32_t darker(std::uint32_t rgb, unsigned percent) {
    std::uint32_t out = 0;
    for (const unsigned shift : {16U, 8U, 0U}) {
        const std::uint32_t channel = (rgb >> shift & 0xFFU) * (100U - percent) / 100U;
        out |= channel << shift;
    }
    return out;
}

}  // namespace

Theme Theme::highContrast() {
    Theme t;
    t.background = 0xFFFFFF;
    t.header = 0x000000;
    t.statusBar = 0xFFFFFF;
    t.text = 0x000000;
    t.muted = 0x000000;
    t.onDark = 0xFFFFFF;
    t.primary = 0x004D2C;
    t.primaryActive = 0x000000;
    t.button = 0xFFFFFF;
    t.buttonActive = 0xFFF3B0;
    t.buttonDisabled = 0xE0E0E0;
    t.border = 0x000000;
    t.good = 0x00551F;
    t.warning = 0x5C3100;
    t.error = 0x9B0000;
    return t;
}

std::string ContrastProblem::message() const {
    return fmt::format("{}: #{:06X} on #{:06X} contrasts {:.2f}:1, needs {:.1f}:1", what, foreground,
                       background, ratio, needed);
}

std::vector<ContrastProblem> contrastProblems(const Theme& t) {
    struct Pair {
        const char* what;
        std::uint32_t foreground;
        std::uint32_t background;
        float needed;
    };
    const Pair pairs[] = {
        {"text on the page", t.text, t.background, 4.5F},
        {"muted text on the page", t.muted, t.background, 4.5F},
        {"good news on the page", t.good, t.background, 4.5F},
        {"a warning on the page", t.warning, t.background, 4.5F},
        {"an error on the page", t.error, t.background, 4.5F},
        {"text on the header", t.onDark, t.header, 4.5F},
        {"text on a primary button", t.onDark, t.primary, 4.5F},
        {"text on a pressed primary button", t.onDark, t.primaryActive, 4.5F},
        {"text on the idle banner", t.onDark, t.warning, 4.5F},
        {"text on a button", t.text, t.button, 4.5F},
        {"text on a pressed button", t.text, t.buttonActive, 4.5F},
        {"a detail on a button", t.muted, t.button, 4.5F},
        {"text on a disabled button", t.muted, t.buttonDisabled, 4.5F},
        {"the status line", t.muted, t.statusBar, 4.5F},
        {"a button's edge", t.border, t.background, 3.0F},
        {"a primary button's edge", t.primary, t.background, 3.0F},
    };
    std::vector<ContrastProblem> out;
    for (const auto& p : pairs) {
        const float ratio = contrastRatio(p.foreground, p.background);
        if (ratio < p.needed) {
            out.push_back({p.what, p.foreground, p.background, ratio, p.needed});
        }
    }
    return out;
}

std::expected<Theme, std::string> brandedTheme(const Brand& brand) {
    Theme theme;
    if (brand.primary) {
        theme.primary = *brand.primary;
        theme.primaryActive = darker(*brand.primary, 25);
        theme.header = *brand.primary;
    }
    if (brand.header) {
        theme.header = *brand.header;
    }
    const auto problems = contrastProblems(theme);
    if (!problems.empty()) {
        return std::unexpected("the brand colours are not legible enough: " + problems.front().message());
    }
    return theme;
}

std::expected<std::uint32_t, std::string> parseColour(std::string_view text) {
    std::string_view hex = text;
    if (hex.starts_with('#')) {
        hex.remove_prefix(1);
    }
    std::uint32_t value = 0;
    bool valid = hex.size() == 6;
    for (const char c : hex) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            valid = false;
            break;
        }
        value = value << 4 |
                static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(c)) != 0
                                               ? c - '0'
                                               : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    }
    if (!valid) {
        return std::unexpected("\"" + std::string(text) + "\" is not a colour: write it as #RRGGBB");
    }
    return value;
}

}  // namespace ui
