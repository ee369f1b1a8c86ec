// The SDL2 + Dear ImGui 1.86 host. What it supports:
//  - one window (fullscreen or not), SDL's software renderer (no GL in the process) or, configured for a
//    kiosk with a GPU, its accelerated one; render on demand;
//  - fonts: Noto Sans Regular/Bold from fonts-noto-core, or the chain's families (setFonts, checked
//    first: ui/font_families.hpp); Vietnamese + general punctuation + currency; the atlas is built by the
//    first frame, so families set before it cost one build;
//  - touch arrives as SDL mouse events (SDL's touch-to-mouse mapping); automation taps are injected
//    through io.MousePos/MouseDown because 1.86's SDL backend ignores the pointer of an unfocused
//    window, which every window is under the dummy/offscreen drivers;
//  - the camera picture as one streaming texture; screenshots with SDL_RenderReadPixels.
#include "ui/host.hpp"

#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <backends/imgui_impl_sdlrenderer.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "canvas.hpp"
#include "screens/screen.hpp"
#include "ui/font_families.hpp"

namespace ui {
namespace {

// Dear ImGui's Vietnamese ranges lack the general punctuation (– “ ” • …) and currency signs (₫).
constexpr std::array<ImWchar, 5> kExtraRanges{0x2000, 0x206F, 0x20A0, 0x20CF, 0};
// The largest size draws only typed digits (phone number, one-time code): a full Vietnamese set at
// that size would add some 40 MB of font texture for nothing.
constexpr std::array<ImWchar, 9> kEntryRanges{0x20, 0x20, 0x2A, 0x2A, 0x30, 0x39, 0x5F, 0x5F, 0};

}  // namespace

struct Host::Impl {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    ImGuiContext* imgui = nullptr;
    Uint32 wakeEvent = 0;
    ImVector<ImWchar> glyphRanges;  // must outlive the font atlas build
    std::filesystem::path fontDir;
    std::u32string neededGlyphs;  // HostOptions::neededGlyphs
    FontFamilies families;        // what the atlas holds (or will, by the next frame)
    Fonts fonts;
    Fonts largeFonts;  // large-text mode: every text a size up, the smallest gone
    Palette palette{Theme{}};
    Palette contrast{Theme::highContrast()};
    int width = 0;
    int height = 0;
    SDL_Texture* camera = nullptr;
    int cameraWidth = 0;
    int cameraHeight = 0;
    std::map<std::string, SDL_Texture*, std::less<>> pictureTextures;  // setPicture()
    std::map<std::string, Picture, std::less<>> pictures;              // the same, as Canvas reads them
    std::map<ScreenId, std::unique_ptr<Screen>> screens;
    std::map<std::string, ControlRect> rects;  // of the last frame drawn
    Layout layout;                             // of the last frame drawn
    std::string tapId;
    int tapPhase = -1;  // -1 idle; 0 hover, 1 press, 2 release (the click fires), 3 settle

    ~Impl() {
        if (imgui != nullptr) {
            ImGui_ImplSDLRenderer_Shutdown();
            ImGui_ImplSDL2_Shutdown();
            ImGui::DestroyContext(imgui);
        }
        if (camera != nullptr) {
            SDL_DestroyTexture(camera);
        }
        for (const auto& [name, texture] : pictureTextures) {
            SDL_DestroyTexture(texture);
        }
        if (renderer != nullptr) {
            SDL_DestroyRenderer(renderer);
        }
        if (window != nullptr) {
            SDL_DestroyWindow(window);
        }
        SDL_Quit();
    }

    Screen& screenFor(ScreenId id) {
        auto& slot = screens[id];
        if (!slot) {
            switch (id) {
                case ScreenId::Attract:
                    slot = std::make_unique<AttractScreen>();
                    break;
                case ScreenId::Scan:
                    slot = std::make_unique<ScanScreen>();
                    break;
                case ScreenId::Phone:
                case ScreenId::Otp:
                case ScreenId::StaffPin:
                    slot = std::make_unique<KeypadScreen>();
                    break;
                case ScreenId::Consent:
                    slot = std::make_unique<ConsentScreen>();
                    break;
                case ScreenId::Result:
                    slot = std::make_unique<ResultScreen>();
                    break;
                case ScreenId::Game:
                    slot = std::make_unique<GameScreen>();
                    break;
                case ScreenId::Working:
                    slot = std::make_unique<WorkingScreen>();
                    break;
                case ScreenId::Rewards:
                case ScreenId::Voucher:
                case ScreenId::History:
                case ScreenId::Maintenance:
                case ScreenId::OptOut:
                    slot = std::make_unique<ListScreen>();
                    break;
            }
        }
        return *slot;
    }

    /// Replaces the atlas's fonts with the five sizes of these files; the backend builds and uploads it
    /// on the next NewFrame. False: a font file did not load.
    bool loadFonts(const std::filesystem::path& regular, const std::filesystem::path& bold) {
        ImGuiIO& io = ImGui::GetIO();
        io.Fonts->Clear();
        glyphRanges.clear();
        ImFontGlyphRangesBuilder ranges;
        ranges.AddRanges(io.Fonts->GetGlyphRangesVietnamese());
        ranges.AddRanges(kExtraRanges.data());
        ranges.BuildRanges(&glyphRanges);
        const float scale = static_cast<float>(std::min(width, height)) / 1080.0F;
        // Dear ImGui rasterises every glyph 3 times as wide by default, for sub-pixel placement that text of
        // 32 px and more does not need: with 1 and glyphs snapped to whole pixels the atlas of these five
        // sizes is 1024x2048 instead of 2048x2048 (8 MiB less RGBA texture, 16 MiB less at its peak).
        ImFontConfig glyphConfig;
        glyphConfig.OversampleH = 1;
        glyphConfig.PixelSnapH = true;
        auto load = [&](const std::filesystem::path& file, float size, const ImWchar* glyphs) {
            return io.Fonts->AddFontFromFileTTF(file.c_str(), size * scale, &glyphConfig, glyphs);
        };
        fonts.small = load(regular, scale::kSmall, glyphRanges.Data);
        fonts.body = load(regular, scale::kBody, glyphRanges.Data);
        fonts.heading = load(bold, scale::kHeading, glyphRanges.Data);
        fonts.big = load(bold, scale::kBig, glyphRanges.Data);
        fonts.entry = load(bold, scale::kEntry, kEntryRanges.data());
        io.FontDefault = fonts.body;
        // Large text needs no font of its own (no atlas memory): each text takes the next size up.
        largeFonts = {fonts.body, fonts.heading, fonts.heading, fonts.big, fonts.entry};
        return fonts.small != nullptr && fonts.entry != nullptr;
    }

    std::vector<Intent> draw(const View& view, bool inject) {
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGuiIO& io = ImGui::GetIO();
        // An injected finger's hover, press and release only feed Dear ImGui's input: painting them
        // (a full window in software, 200-300 ms a frame on a loaded 2-core box) made five automation
        // taps outlast the staff gesture's window. The settle frame after them is painted.
        const bool paint = !inject || tapPhase < 0 || tapPhase == 3;
        if (inject && tapPhase >= 0) {
            const auto found = rects.find(tapId);
            if (found != rects.end()) {
                io.MousePos = ImVec2((found->second.min.x + found->second.max.x) / 2,
                                     (found->second.min.y + found->second.max.y) / 2);
            }
            io.MouseDown[0] = tapPhase == 1;
            if (++tapPhase > 3) {
                tapPhase = -1;
            }
        }
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(static_cast<float>(width), static_cast<float>(height)));
        const Palette& colours = view.accessible ? contrast : palette;
        ImGui::PushStyleColor(ImGuiCol_WindowBg, colours.background);
        ImGui::PushStyleColor(ImGuiCol_Border, colours.border);
        ImGui::PushStyleColor(ImGuiCol_Text, colours.text);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0F);
        ImGui::Begin("kiosk", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                         ImGuiWindowFlags_NoScrollWithMouse);
        Canvas canvas(view, view.accessible ? largeFonts : fonts, colours,
                      ImVec2(static_cast<float>(width), static_cast<float>(height)),
                      reinterpret_cast<ImTextureID>(camera),
                      ImVec2(static_cast<float>(cameraWidth), static_cast<float>(cameraHeight)), pictures);
        screenFor(view.screen).draw(canvas);
        ImGui::End();
        ImGui::PopStyleColor(3);
        ImGui::PopStyleVar(2);
        ImGui::Render();
        // The backend uploaded the font atlas on the first NewFrame; the CPU copy (tens of MB at
        // these font sizes) is never needed again.
        if (io.Fonts->IsBuilt() && io.Fonts->TexPixelsAlpha8 != nullptr) {
            io.Fonts->ClearTexData();
        }
        if (paint) {
            SDL_SetRenderDrawColor(renderer, colours.background & 0xFFU, colours.background >> 8 & 0xFFU,
                                   colours.background >> 16 & 0xFFU, 0xFF);
            SDL_RenderClear(renderer);
            ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        }
        rects = canvas.takeRects();
        layout = canvas.takeLayout();
        layout.painted = paint;
        layout.bodyFont = fonts.body->GetDebugName();
        layout.headingFont = fonts.heading->GetDebugName();
        return canvas.takeIntents();
    }
};

Host::Host(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Host::~Host() = default;

std::expected<std::unique_ptr<Host>, std::string> Host::create(const HostOptions& options) {
    const auto regular = fontFile(options.fontDir, FontFamilies{}.body, FontWeight::Regular).value();
    const auto bold = fontFile(options.fontDir, FontFamilies{}.heading, FontWeight::Bold).value();
    for (const auto& font : {regular, bold}) {
        if (!std::filesystem::exists(font)) {
            return std::unexpected("font " + font.string() + " is missing (install fonts-noto-core)");
        }
    }
    // Touches must reach an unfocused kiosk window on the first tap.
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    if (!options.gpu) {
        // Without this SDL backs the software renderer's window surface with a GL texture, and GL on a
        // machine without a GPU is Mesa's llvmpipe: ~60 MiB of libLLVM and swrast mapped for nothing.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        return std::unexpected(std::string("SDL_Init: ") + SDL_GetError());
    }
    auto impl = std::make_unique<Impl>();
    impl->width = options.width;
    impl->height = options.height;
    impl->fontDir = options.fontDir;
    impl->neededGlyphs = options.neededGlyphs;
    const Uint32 flags = static_cast<Uint32>(SDL_WINDOW_SHOWN) |
                         (options.fullscreen ? static_cast<Uint32>(SDL_WINDOW_FULLSCREEN_DESKTOP) : 0U);
    impl->window = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                    options.width, options.height, flags);
    if (impl->window == nullptr) {
        return std::unexpected(std::string("SDL_CreateWindow: ") + SDL_GetError());
    }
    if (options.fullscreen) {
        SDL_GetWindowSize(impl->window, &impl->width, &impl->height);
    }
    if (options.gpu) {
        impl->renderer = SDL_CreateRenderer(impl->window, -1, SDL_RENDERER_ACCELERATED);
    }
    if (impl->renderer == nullptr) {
        impl->renderer = SDL_CreateRenderer(impl->window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (impl->renderer == nullptr) {
        return std::unexpected(std::string("SDL_CreateRenderer: ") + SDL_GetError());
    }
    impl->wakeEvent = SDL_RegisterEvents(1);

    IMGUI_CHECKVERSION();
    impl->imgui = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk writes no imgui.ini
    io.LogFilename = nullptr;
    ImGuiStyle& style = ImGui::GetStyle();
    style.FrameRounding = 18.0F;
    style.FrameBorderSize = 2.0F;
    style.DisabledAlpha = 1.0F;  // a disabled button is drawn in colours of its own, as legible as the rest
    impl->palette = Palette(options.theme);

    if (!impl->loadFonts(regular, bold)) {
        return std::unexpected("cannot load the Noto Sans fonts from " + options.fontDir.string());
    }

    ImGui_ImplSDL2_InitForSDLRenderer(impl->window);
    ImGui_ImplSDLRenderer_Init(impl->renderer);
    return std::unique_ptr<Host>(new Host(std::move(impl)));
}

Host::Woken Host::waitForInput(std::chrono::milliseconds timeout) {
    SDL_Event event;
    const int wait = static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, 60'000));
    Woken woken;
    if (SDL_WaitEventTimeout(&event, wait) == 0) {
        return woken;
    }
    woken.event = true;
    do {
        if (event.type == SDL_QUIT) {
            m_quit = true;
        }
        if (event.type == SDL_MOUSEBUTTONDOWN || event.type == SDL_FINGERDOWN) {
            woken.touch = true;
        }
        if (event.type != m_impl->wakeEvent) {
            ImGui_ImplSDL2_ProcessEvent(&event);
        }
    } while (SDL_PollEvent(&event) != 0);
    return woken;
}

void Host::wake() {
    SDL_Event event{};
    event.type = m_impl->wakeEvent;
    SDL_PushEvent(&event);
}

std::vector<Intent> Host::frame(const View& view) {
    auto intents = m_impl->draw(view, true);
    if (m_impl->layout.painted) {
        SDL_RenderPresent(m_impl->renderer);
    }
    return intents;
}

std::expected<Image, std::string> Host::capture(const View& view) {
    static_cast<void>(m_impl->draw(view, false));
    Image image;
    image.width = m_impl->width;
    image.height = m_impl->height;
    image.channels = 4;
    image.pixels.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4U);
    // ABGR8888 is R,G,B,A in memory on little-endian machines: what a PNG writer wants as RGBA.
    if (SDL_RenderReadPixels(m_impl->renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, image.pixels.data(),
                             image.width * 4) != 0) {
        return std::unexpected(std::string("SDL_RenderReadPixels: ") + SDL_GetError());
    }
    SDL_RenderPresent(m_impl->renderer);
    return image;
}

void Host::setCameraImage(const Image& rgb) {
    if (rgb.channels != 3 || rgb.width <= 0 || rgb.height <= 0) {
        return;
    }
    if (m_impl->camera == nullptr || m_impl->cameraWidth != rgb.width || m_impl->cameraHeight != rgb.height) {
        if (m_impl->camera != nullptr) {
            SDL_DestroyTexture(m_impl->camera);
        }
        m_impl->camera = SDL_CreateTexture(m_impl->renderer, SDL_PIXELFORMAT_RGB24,
                                           SDL_TEXTUREACCESS_STREAMING, rgb.width, rgb.height);
        m_impl->cameraWidth = rgb.width;
        m_impl->cameraHeight = rgb.height;
    }
    if (m_impl->camera != nullptr) {
        SDL_UpdateTexture(m_impl->camera, nullptr, rgb.pixels.data(), rgb.width * 3);
    }
}

std::expected<void, std::string> Host::setFonts(const FontFamilies& families) {
    if (families == m_impl->families) {
        return {};
    }
    std::array<std::filesystem::path, 2> files;
    for (const auto& [field, family, weight, file] :
         {std::tuple{"body_font", &families.body, FontWeight::Regular, &files[0]},
          std::tuple{"heading_font", &families.heading, FontWeight::Bold, &files[1]}}) {
        auto path = fontFile(m_impl->fontDir, *family, weight);
        if (!path) {
            return std::unexpected(std::string(field) + ": " + path.error());
        }
        if (auto ok = checkFont(*path, m_impl->neededGlyphs); !ok) {
            return std::unexpected(std::string(field) + " \"" + *family + "\": " + ok.error());
        }
        *file = std::move(*path);
    }
    ImGui_ImplSDLRenderer_DestroyFontsTexture();  // rebuilt and uploaded by the next frame
    if (!m_impl->loadFonts(files[0], files[1])) {
        // Checked above, so only a file removed since: back to the fonts the kiosk started with.
        m_impl->families = {};
        static_cast<void>(
            m_impl->loadFonts(fontFile(m_impl->fontDir, m_impl->families.body, FontWeight::Regular).value(),
                              fontFile(m_impl->fontDir, m_impl->families.heading, FontWeight::Bold).value()));
        return std::unexpected("the fonts " + files[0].string() + " and " + files[1].string() +
                               " did not load");
    }
    m_impl->families = families;
    return {};
}

const FontFamilies& Host::fonts() const {
    return m_impl->families;
}

void Host::setTheme(const Theme& theme) {
    m_impl->palette = Palette(theme);
}

bool Host::setPicture(const std::string& name, const Image* rgba) {
    const auto old = m_impl->pictureTextures.find(name);
    if (old != m_impl->pictureTextures.end()) {
        SDL_DestroyTexture(old->second);
        m_impl->pictureTextures.erase(old);
        m_impl->pictures.erase(name);
    }
    if (rgba == nullptr) {
        return true;
    }
    if (rgba->channels != 4 || rgba->width <= 0 || rgba->height <= 0 ||
        rgba->pixels.size() !=
            static_cast<std::size_t>(rgba->width) * static_cast<std::size_t>(rgba->height) * 4U) {
        return false;
    }
    // ABGR8888 is R,G,B,A in memory on little-endian machines: the layout of an RGBA Image.
    SDL_Texture* texture = SDL_CreateTexture(m_impl->renderer, SDL_PIXELFORMAT_ABGR8888,
                                             SDL_TEXTUREACCESS_STATIC, rgba->width, rgba->height);
    if (texture == nullptr) {
        return false;
    }
    SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
    SDL_UpdateTexture(texture, nullptr, rgba->pixels.data(), rgba->width * 4);
    m_impl->pictureTextures.emplace(name, texture);
    m_impl->pictures.emplace(
        name, Picture{reinterpret_cast<ImTextureID>(texture),
                      ImVec2(static_cast<float>(rgba->width), static_cast<float>(rgba->height))});
    return true;
}

bool Host::tap(const std::string& id) {
    const auto found = m_impl->rects.find(id);
    // A finger cannot touch a control drawn off the screen or scrolled out of its list either.
    if (found == m_impl->rects.end() || !found->second.enabled || !found->second.visible) {
        return false;
    }
    m_impl->tapId = id;
    m_impl->tapPhase = 0;
    return true;
}

bool Host::injecting() const {
    return m_impl->tapPhase >= 0;
}

const Layout& Host::layout() const {
    return m_impl->layout;
}

}  // namespace ui
