#pragma once
// The design system's colours as values (0xRRGGBB), so the look can come from the chain's config and
// a shopper can switch to high contrast. Pure C++: no SDL, no ImGui.
//
// Contract: a Theme the kiosk draws with has passed contrastProblems() (every text/background pair it
// makes meets WCAG AA, every control edge 3:1); tests/ui/layout_test.cpp checks the drawn screens too.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

struct Theme {
    std::uint32_t background = 0xF7F5F0;
    std::uint32_t header = 0x0B7A4B;
    std::uint32_t statusBar = 0xECEAE4;
    std::uint32_t text = 0x1E1E1E;
    std::uint32_t muted = 0x5F6368;
    std::uint32_t onDark = 0xFFFFFF;  ///< text on the header, a primary button, the idle banner
    std::uint32_t primary = 0x0B7A4B;
    std::uint32_t primaryActive = 0x085C38;
    std::uint32_t button = 0xFFFFFF;
    std::uint32_t buttonActive = 0xDDE8E2;
    std::uint32_t buttonDisabled = 0xECEAE4;
    std::uint32_t border = 0x86898C;
    std::uint32_t good = 0x1B7F3A;
    std::uint32_t warning = 0xA65A00;
    std::uint32_t error = 0xC62828;
    std::uint32_t guide = 0x2EE58A;  ///< the camera guide frame, drawn on the camera picture

    /// The large-text and high-contrast look: black on white, black edges, the darkest tones.
    [[nodiscard]] static Theme highContrast();
    bool operator==(const Theme&) const = default;
};

/// What a chain's config may set (docs/architecture.md, "Theme"): its brand colours and logo.
struct Brand {
    std::optional<std::uint32_t> primary;  ///< buttons and the header unless `header` is set
    std::optional<std::uint32_t> header;
    std::string logo;  ///< PNG drawn in the header; empty: none
};

/// One pair of a theme's colours that does not contrast enough, said for whoever wrote the config.
struct ContrastProblem {
    std::string what;  ///< "text on the header"
    std::uint32_t foreground = 0;
    std::uint32_t background = 0;
    float ratio = 0;
    float needed = 0;
    [[nodiscard]] std::string message() const;
};

/// Every text/background pair and control edge the screens draw with `theme` that falls short of WCAG
/// AA (4.5:1 for text, 3:1 for edges); empty: the theme may be used.
[[nodiscard]] std::vector<ContrastProblem> contrastProblems(const Theme& theme);

/// The standard theme with the brand's colours. Error: a colour pair that fails contrastProblems(), said.
[[nodiscard]] std::expected<Theme, std::string> brandedTheme(const Brand& brand);

/// "#0B7A4B" (or "0B7A4B") as 0x0B7A4B. Error: a message quoting the text.
[[nodiscard]] std::expected<std::uint32_t, std::string> parseColour(std::string_view text);

}  // namespace ui
