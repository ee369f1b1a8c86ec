// Central's theme and reward pictures as the kiosk reads them from the config document: a good look is
// taken (colours contrast-checked, the logo decoded); a bad colour, an illegible pair, a broken, oversized
// or non-PNG logo and a font name that is not a family name are refused saying why (the kiosk keeps its
// last good look); a broken reward picture costs the picture, never the reward.
#include <gtest/gtest.h>
#include <sodium.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "app/central_config.hpp"
#include "app/chain_look.hpp"

namespace kiosk {
namespace {

using nlohmann::json;

std::string base64(const std::vector<std::uint8_t>& bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

/// A real PNG of `width` x `height`: a red square on white, or noise (which does not compress).
std::vector<std::uint8_t> png(int width, int height, bool noise = false) {
    cv::Mat image(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
    if (noise) {
        cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    } else {
        image(cv::Rect(width / 4, height / 4, width / 2, height / 2)).setTo(cv::Scalar(0, 0, 200));
    }
    std::vector<std::uint8_t> out;
    EXPECT_TRUE(cv::imencode(".png", image, out));
    return out;
}

TEST(ChainLook, AGoodThemeIsTakenWithItsLogoDecoded) {
    auto look = parseChainLook({{"primary", "#8B1A1A"}, {"logo_png", base64(png(400, 120))}});
    ASSERT_TRUE(look.has_value()) << look.error();
    ASSERT_TRUE(look->theme.has_value());
    EXPECT_EQ(look->theme->primary, 0x8B1A1AU);
    ASSERT_TRUE(look->logo.has_value());
    EXPECT_EQ(look->logo->width, 400);
    EXPECT_EQ(look->logo->height, 120);
    EXPECT_EQ(look->logo->channels, 4);
    // The red square, in RGBA order.
    const std::size_t centre = (60U * 400U + 200U) * 4U;
    EXPECT_EQ(look->logo->pixels[centre], 200);
    EXPECT_EQ(look->logo->pixels[centre + 2], 0);
    EXPECT_FALSE(look->logoPng.empty());
}

TEST(ChainLook, OnlyALogoKeepsTheKiosksOwnColours) {
    auto look = parseChainLook({{"logo_png", base64(png(100, 50))}});
    ASSERT_TRUE(look.has_value()) << look.error();
    EXPECT_FALSE(look->theme.has_value());
}

TEST(ChainLook, TheChainsFontFamiliesAreTakenByNameAndAnUnnamedOneStaysNotoSans) {
    auto both = parseChainLook({{"body_font", "Noto Serif"}, {"heading_font", "Noto Sans Display"}});
    ASSERT_TRUE(both.has_value()) << both.error();
    EXPECT_EQ(both->fonts, (ui::FontFamilies{"Noto Serif", "Noto Sans Display"}));
    auto headings = parseChainLook({{"heading_font", "Noto Serif"}});
    ASSERT_TRUE(headings.has_value()) << headings.error();
    EXPECT_EQ(headings->fonts, (ui::FontFamilies{"Noto Sans", "Noto Serif"}));
    auto none = parseChainLook({{"primary", "#8B1A1A"}, {"body_font", nullptr}});
    ASSERT_TRUE(none.has_value()) << none.error();
    EXPECT_FALSE(none->fonts.has_value()) << "no font named: the kiosk's own";
}

TEST(ChainLook, ABadThemeIsRefusedSayingWhy) {
    const std::pair<json, std::string> cases[] = {
        {{{"primary", "#12"}}, "primary"},
        {{{"primary", 0x8B1A1A}}, "primary"},
        {{{"header", "#FFFF00"}}, "legible"},  // white on yellow
        {{{"logo_png", "%%%not base64"}}, "base64"},
        {{{"logo_png", base64({'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0})}}, "not a PNG"},
        {{{"logo_png", base64(png(2000, 100))}}, "at most 1024x512"},
        {{{"logo_png", base64(png(1000, 500, true))}}, "KiB"},
        {{{"body_font", "../../tmp/x"}}, "body_font: \"../../tmp/x\" is not a font family name"},
        {{{"heading_font", 12}}, "heading_font: not text"},
        {{{"heading_font", std::string(200, 'A')}}, "heading_font"},
    };
    for (const auto& [theme, why] : cases) {
        auto look = parseChainLook(theme);
        ASSERT_FALSE(look.has_value()) << theme.dump().substr(0, 80);
        EXPECT_NE(look.error().find(why), std::string::npos) << look.error();
    }
    // A PNG whose body is cut: the signature is right, the picture is not.
    auto cut = png(200, 100);
    cut.resize(cut.size() / 2);
    auto broken = parseChainLook({{"logo_png", base64(cut)}});
    ASSERT_FALSE(broken.has_value());
    EXPECT_NE(broken.error().find("logo_png"), std::string::npos) << broken.error();
}

TEST(ChainLook, TheConfigDocumentCarriesTheLookAndARefusedOneLeavesTheRest) {
    auto good =
        parseCentralConfig(json{{"theme", {{"primary", "#0B4F8A"}}}, {"rewards", json::array()}}.dump());
    ASSERT_TRUE(good.has_value()) << good.error();
    ASSERT_TRUE(good->look.has_value());
    ASSERT_TRUE(good->look->has_value()) << good->look->error();
    auto none = parseCentralConfig(json{{"theme", json::object()}}.dump());
    ASSERT_TRUE(none.has_value());
    // A chain that set no look (or cleared it) is a look of nothing: the kiosk's own comes back.
    ASSERT_TRUE(none->look.has_value());
    ASSERT_TRUE(none->look->has_value()) << none->look->error();
    EXPECT_FALSE((*none->look)->theme || (*none->look)->logo || (*none->look)->fonts);
    auto bad = parseCentralConfig(
        json{{"theme", {{"primary", "#FFFF00"}}}, {"rewards", json::array({{{"id", "R1"}, {"cost", 10}}})}}
            .dump());
    ASSERT_TRUE(bad.has_value()) << "a refused look does not refuse the rewards: " << bad.error();
    ASSERT_TRUE(bad->look.has_value());
    EXPECT_FALSE(bad->look->has_value());
    ASSERT_TRUE(bad->rewards.has_value());
    EXPECT_EQ(bad->rewards->size(), 1U);
}

TEST(ChainLook, ARewardsBrokenPictureCostsThePictureNotTheReward) {
    const json rewards = json::array({
        {{"id", "R1"}, {"cost", 10}, {"image_png", base64(png(120, 120))}},
        {{"id", "R2"}, {"cost", 20}, {"image_png", "bm90IGEgcG5n"}},
        {{"id", "R3"}, {"cost", 30}, {"image_png", base64(png(800, 800))}},
        {{"id", "R4"}, {"cost", 40}},
    });
    auto config = parseCentralConfig(json{{"rewards", rewards}}.dump());
    ASSERT_TRUE(config.has_value()) << config.error();
    ASSERT_TRUE(config->rewards.has_value());
    EXPECT_EQ(config->rewards->size(), 4U);
    ASSERT_EQ(config->rewardPictures.size(), 1U);
    EXPECT_EQ(config->rewardPictures.at("R1").width, 120);
    ASSERT_EQ(config->problems.size(), 2U);
    EXPECT_NE(config->problems[0].find("R2"), std::string::npos) << config->problems[0];
    EXPECT_NE(config->problems[1].find("R3"), std::string::npos) << config->problems[1];
}

}  // namespace
}  // namespace kiosk
