#pragma once
// The one place that talks to SDL and the Dear ImGui backends: window, renderer, fonts, input,
// the per-frame contract, the camera texture and screenshots.
//
// Contract
// - UI thread only, except wake(), which any thread may call to end a waitForInput() early (workers
//   call it after posting to the kiosk's inbox).
// - Renders on demand: the caller waits with waitForInput() and draws frames only when something
//   changed; a touch needs 2-3 frames (Dear ImGui reports a click on the frame after the release).
// - Owns no business state: it draws the View it is given and returns the shopper's Intents.
// - Automation: tap() injects a touch on a control through io.MousePos/MouseDown, so it works under
//   the dummy/offscreen SDL video drivers where no window has focus; it takes four frames
//   (injecting() stays true until the click went through), of which only the last is painted.

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ui/font_families.hpp"
#include "ui/layout.hpp"
#include "ui/theme.hpp"
#include "ui/view.hpp"

namespace ui {

/// Pixels, 8-bit RGB (camera frames) or RGBA (screenshots), rows packed without padding.
struct Image {
    int width = 0;
    int height = 0;
    int channels = 3;
    std::vector<std::uint8_t> pixels;
};

struct HostOptions {
    std::string title = "Loyalty kiosk";
    int width = 1080;  ///< pixels; 1080x1920 portrait, 1920x1080 landscape
    int height = 1920;
    bool fullscreen = false;
    /// false: SDL's software renderer into the window's own framebuffer, no OpenGL in the process (no
    /// GPU: Mesa's llvmpipe costs ~60 MiB of memory). true: SDL's accelerated renderer (GL), for a
    /// kiosk with a real GPU; falls back to software when no accelerated renderer can be created.
    bool gpu = false;
    /// Where font families are found (fontFile): NotoSans-Regular/Bold.ttf and the chain's families.
    std::filesystem::path fontDir = "/usr/share/fonts/truetype/noto";
    /// The characters the texts use (codePointsOf the vi and en strings): setFonts() refuses a family
    /// lacking one of them. Empty: not checked.
    std::u32string neededGlyphs;
    /// The chain's look (brandedTheme); a View with `accessible` set is drawn in Theme::highContrast().
    Theme theme;
};

class Host {
  public:
    /// Opens the window and loads the fonts. Error: a message (no display, missing font, ...).
    [[nodiscard]] static std::expected<std::unique_ptr<Host>, std::string> create(const HostOptions& options);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    struct Woken {
        bool event = false;  ///< anything arrived (input, window, wake()): draw to be safe
        bool touch = false;  ///< the shopper touched the screen (anywhere, control or not)
    };
    /// Blocks up to `timeout` for an SDL event and feeds it to Dear ImGui.
    Woken waitForInput(std::chrono::milliseconds timeout);
    /// Thread-safe: makes a waiting waitForInput() return.
    void wake();
    [[nodiscard]] bool quitRequested() const { return m_quit; }

    /// Draws one frame of `view` and presents it; returns what the shopper touched.
    std::vector<Intent> frame(const View& view);
    /// Draws `view` once more and returns its pixels (RGBA) instead of presenting them.
    [[nodiscard]] std::expected<Image, std::string> capture(const View& view);

    /// Replaces the camera picture drawn on screens with a preview (uploads a texture).
    void setCameraImage(const Image& rgb);
    /// The chain's look from now on (a theme that passed contrastProblems(): brandedTheme).
    void setTheme(const Theme& theme);
    /// Texts are drawn in `families` from the next frame on (the font atlas is built again, once, by that
    /// frame; before the first frame it is the only build). Error, and the fonts stay as they were: a
    /// name that is not a family name, a family whose file the kiosk does not have, a file that is not a
    /// font, or a font lacking a character of HostOptions::neededGlyphs (checkFont says which).
    [[nodiscard]] std::expected<void, std::string> setFonts(const FontFamilies& families);
    /// The families texts are drawn in (Noto Sans until setFonts() took others).
    [[nodiscard]] const FontFamilies& fonts() const;
    /// Uploads an RGBA picture the screens draw by `name`: "logo" (Attract), "reward:<id>" (its tile on the
    /// rewards list, Control::picture). Null removes it. False (and nothing drawn) for an image that is not
    /// RGBA or that SDL cannot take.
    bool setPicture(const std::string& name, const Image* rgba);

    /// Automation: touch the control `id` as a finger would. False if the current screen (as last
    /// drawn) has no such enabled control, or draws it outside the window (no finger reaches it).
    [[nodiscard]] bool tap(const std::string& id);
    /// True while an injected touch has not completed: keep drawing frames.
    [[nodiscard]] bool injecting() const;
    /// Where the last frame drawn put every control and text, with their colours (layout tests).
    [[nodiscard]] const Layout& layout() const;

  private:
    struct Impl;
    explicit Host(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
    bool m_quit = false;
};

}  // namespace ui
