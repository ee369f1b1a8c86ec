#include "chain_look.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace kiosk {

std::expected<DecodedPicture, std::string> decodePicture(const nlohmann::json& base64, std::size_t maxBytes,
                                                         int maxWidth, int maxHeight) {
    const std::string tooLarge = "larger than " + std::to_string(maxBytes / 1024) + " KiB";
    if (!base64.is_string()) {
        return std::unexpected("not text");
    }
    const auto& text = base64.get_ref<const std::string&>();
    if (text.size() > (maxBytes + 2) / 3 * 4 + 4) {
        return std::unexpected(tooLarge);
    }
    std::vector<std::uint8_t> png(text.size() / 4 * 3 + 3);
    std::size_t length = 0;
    if (sodium_base642bin(png.data(), png.size(), text.data(), text.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        return std::unexpected("not base64 text");
    }
    png.resize(length);
    static constexpr std::array<std::uint8_t, 8> kSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (png.size() > maxBytes) {
        return std::unexpected(tooLarge);
    }
    if (png.size() < kSignature.size() || !std::equal(kSignature.begin(), kSignature.end(), png.begin())) {
        return std::unexpected("not a PNG file");
    }
    cv::Mat decoded;
    try {
        decoded =
            cv::imdecode(cv::_InputArray(png.data(), static_cast<int>(png.size())), cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        return std::unexpected(std::string("the PNG does not decode: ") + e.what());
    }
    if (decoded.empty() || decoded.depth() != CV_8U) {
        return std::unexpected("the PNG does not decode (or is not 8 bits a channel)");
    }
    if (decoded.cols > maxWidth || decoded.rows > maxHeight) {
        return std::unexpected(std::to_string(decoded.cols) + "x" + std::to_string(decoded.rows) +
                               " pixels; at most " + std::to_string(maxWidth) + "x" +
                               std::to_string(maxHeight));
    }
    cv::Mat rgba;
    const int channels = decoded.channels();
    cv::cvtColor(decoded, rgba,
                 channels == 1   ? cv::COLOR_GRAY2RGBA
                 : channels == 3 ? cv::COLOR_BGR2RGBA
                                 : cv::COLOR_BGRA2RGBA);
    DecodedPicture out{{rgba.cols, rgba.rows, 4, {}}, std::move(png)};
    out.rgba.pixels.assign(rgba.datastart, rgba.dataend);
    return out;
}

std::expected<ChainLook, std::string> parseChainLook(const nlohmann::json& theme) {
    if (!theme.is_object()) {
        return std::unexpected("theme is not an object");
    }
    ui::Brand brand;
    for (const auto& [key, slot] :
         {std::pair{"primary", &brand.primary}, std::pair{"header", &brand.header}}) {
        const auto it = theme.find(key);
        if (it == theme.end() || it->is_null()) {
            continue;
        }
        if (!it->is_string()) {
            return std::unexpected(std::string(key) + ": not text, write it as #RRGGBB");
        }
        auto colour = ui::parseColour(it->get<std::string>());
        if (!colour) {
            return std::unexpected(std::string(key) + ": " + colour.error());
        }
        *slot = *colour;
    }
    ChainLook look;
    if (brand.primary || brand.header) {
        auto branded = ui::brandedTheme(brand);
        if (!branded) {
            return std::unexpected(branded.error());
        }
        look.theme = *branded;
    }
    for (const auto& [key, slot] : {std::pair{"body_font", &ui::FontFamilies::body},
                                    std::pair{"heading_font", &ui::FontFamilies::heading}}) {
        const auto it = theme.find(key);
        if (it == theme.end() || it->is_null()) {
            continue;
        }
        if (!it->is_string()) {
            return std::unexpected(std::string(key) +
                                   ": not text, write a family name such as \"Noto Serif\"");
        }
        if (auto ok = ui::checkFamilyName(it->get_ref<const std::string&>()); !ok) {
            return std::unexpected(std::string(key) + ": " + ok.error());
        }
        look.fonts = look.fonts.value_or(ui::FontFamilies{});
        (*look.fonts).*slot = it->get<std::string>();
    }
    if (const auto it = theme.find("logo_png"); it != theme.end() && !it->is_null()) {
        auto logo = decodePicture(*it, kMaxLogoBytes, kMaxLogoWidth, kMaxLogoHeight);
        if (!logo) {
            return std::unexpected("logo_png: " + logo.error());
        }
        look.logo = std::move(logo->rgba);
        look.logoPng = std::move(logo->png);
    }
    return look;
}

}  // namespace kiosk
