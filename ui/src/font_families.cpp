#include "ui/font_families.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_FONT_FORMATS_H
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <set>
#include <system_error>

namespace ui {
namespace {

constexpr std::size_t kMaxFamilyName = 64;
// A Vietnamese Latin font is well under 1 MiB (Noto Serif Regular: 575 KiB); Dear ImGui keeps the whole
// file in memory beside its atlas, so a pan-Unicode or CJK font of tens of MiB is refused for the budget.
constexpr std::uintmax_t kMaxFontBytes = 4U * 1024U * 1024U;
constexpr std::size_t kMissingShown = 12;

struct FreeTypeDone {
    void operator()(FT_Library library) const { FT_Done_FreeType(library); }
};
struct FaceDone {
    void operator()(FT_Face face) const { FT_Done_Face(face); }
};

std::string utf8Of(char32_t c) {
    std::array<char, 5> buffer{};
    return ImTextCharToUtf8(buffer.data(), static_cast<unsigned int>(c));
}

}  // namespace

std::expected<void, std::string> checkFamilyName(std::string_view family) {
    const auto quoted = "\"" + std::string(family.substr(0, kMaxFamilyName)) + "\"";
    if (family.empty() || family.size() > kMaxFamilyName) {
        return std::unexpected(quoted + " is not a font family name: 1 to 64 characters");
    }
    const bool plain = std::isalpha(static_cast<unsigned char>(family.front())) != 0 &&
                       std::all_of(family.begin(), family.end(), [](char c) {
                           return c == ' ' || std::isalnum(static_cast<unsigned char>(c)) != 0;
                       });
    if (!plain) {
        return std::unexpected(quoted + " is not a font family name: letters, digits and spaces only");
    }
    return {};
}

std::expected<std::filesystem::path, std::string> fontFile(const std::filesystem::path& dir,
                                                           std::string_view family, FontWeight weight) {
    if (auto ok = checkFamilyName(family); !ok) {
        return std::unexpected(ok.error());
    }
    std::string stem(family);
    std::erase(stem, ' ');
    return dir / (stem + (weight == FontWeight::Regular ? "-Regular.ttf" : "-Bold.ttf"));
}

std::u32string codePointsOf(const std::vector<std::string>& texts) {
    std::set<char32_t> seen;
    for (const auto& text : texts) {
        const char* at = text.data();
        const char* end = text.data() + text.size();
        while (at < end) {
            unsigned int c = 0;
            const int length = ImTextCharFromUtf8(&c, at, end);
            if (length <= 0) {
                break;
            }
            at += length;
            if (c >= 0x20 && (c < 0x7F || c >= 0xA0)) {  // line breaks and other controls draw nothing
                seen.insert(static_cast<char32_t>(c));
            }
        }
    }
    return {seen.begin(), seen.end()};
}

std::expected<void, std::string> checkFont(const std::filesystem::path& file, std::u32string_view needed) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return std::unexpected(file.string() + " does not exist on this kiosk");
    }
    if (const auto bytes = std::filesystem::file_size(file, ec); ec || bytes > kMaxFontBytes) {
        return std::unexpected(file.string() + " is larger than 4 MiB (the kiosk's memory budget)");
    }
    FT_Library raw = nullptr;
    if (FT_Init_FreeType(&raw) != 0) {
        return std::unexpected(std::string("FreeType failed to start"));
    }
    const std::unique_ptr<FT_LibraryRec_, FreeTypeDone> library(raw);
    FT_Face face = nullptr;
    if (const FT_Error error = FT_New_Face(library.get(), file.c_str(), 0, &face); error != 0) {
        const char* reason = FT_Error_String(error);
        return std::unexpected(file.string() + " is not a font (FreeType: " +
                               (reason != nullptr ? reason : "error " + std::to_string(error)) + ")");
    }
    const std::unique_ptr<FT_FaceRec_, FaceDone> owned(face);
    const std::string format = FT_Get_Font_Format(face) != nullptr ? FT_Get_Font_Format(face) : "";
    if (!FT_IS_SCALABLE(face) || (format != "TrueType" && format != "CFF")) {
        return std::unexpected(file.string() + " is not a TrueType or OpenType font (" + format + ")");
    }
    std::u32string missing;
    for (const char32_t c : needed) {
        if (FT_Get_Char_Index(face, c) == 0) {
            missing.push_back(c);
        }
    }
    if (missing.empty()) {
        return {};
    }
    std::string shown;
    for (std::size_t i = 0; i < std::min(missing.size(), kMissingShown); ++i) {
        shown += (i == 0 ? "" : " ") + utf8Of(missing[i]);
    }
    return std::unexpected(file.string() + " lacks " + std::to_string(missing.size()) +
                           " characters the kiosk's texts use: " + shown +
                           (missing.size() > kMissingShown ? " …" : ""));
}

}  // namespace ui
