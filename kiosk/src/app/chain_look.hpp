#pragma once
// The chain's look as central sends it in the config document ("theme": brand colours, a logo, fonts),
// checked before the kiosk draws with it: colours that do not contrast enough, a logo that is not a PNG,
// does not decode or is too large are refused with a message, and the kiosk keeps its last good look.
// Pure function; any thread (the sync worker validates, the UI thread applies).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "ui/font_families.hpp"
#include "ui/host.hpp"
#include "ui/theme.hpp"

namespace kiosk {

/// Caps on the logo central sends (central refuses larger ones too: docs/api.md, PUT /v1/admin/theme).
inline constexpr std::size_t kMaxLogoBytes = 64 * 1024;
inline constexpr int kMaxLogoWidth = 1024;
inline constexpr int kMaxLogoHeight = 512;

struct ChainLook {
    /// The standard theme with the chain's colours, contrast checked; none: central set no colours (the
    /// kiosk's own [theme] stays).
    std::optional<ui::Theme> theme;
    std::optional<ui::Image> logo;      ///< RGBA, drawn on Attract; none: no logo
    std::vector<std::uint8_t> logoPng;  ///< the file as sent, for the printer (empty: none)
    /// The chain's font families, names checked (an unnamed one stays Noto Sans); none: central named no
    /// font. Whether this kiosk has them, with every glyph, is the host's check (ui::Host::setFonts).
    std::optional<ui::FontFamilies> fonts;
};

/// Caps on a reward's picture (central's kRewardImageLimits).
inline constexpr std::size_t kMaxRewardPictureBytes = 32 * 1024;
inline constexpr int kMaxRewardPictureSide = 512;

/// A decoded picture and the file it came from.
struct DecodedPicture {
    ui::Image rgba;
    std::vector<std::uint8_t> png;
};

/// `base64` (a JSON string) as a PNG of at most `maxBytes` and `maxWidth` x `maxHeight` pixels, decoded
/// to RGBA. Error: what is wrong ("not base64 text", "not a PNG file…", "does not decode", its size).
[[nodiscard]] std::expected<DecodedPicture, std::string> decodePicture(const nlohmann::json& base64,
                                                                       std::size_t maxBytes, int maxWidth,
                                                                       int maxHeight);

/// `theme` is the config document's "theme" object ({"primary"?, "header"?, "logo_png"?, "body_font"?,
/// "heading_font"?}). Error: what is wrong, for the log ("primary: \"#12\" is not a colour…",
/// "logo_png: …", "body_font: \"../x\" is not a font family name…").
[[nodiscard]] std::expected<ChainLook, std::string> parseChainLook(const nlohmann::json& theme);

}  // namespace kiosk
