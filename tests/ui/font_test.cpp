// The chain's fonts (ui/font_families.hpp, Host::setFonts): a family the kiosk has, with every character
// of the vi and en texts, is drawn (the atlas names its file) and every screen still fits; a name that is
// not a family name, a family the kiosk lacks, a file that is not a font and a font without the
// Vietnamese letters are each refused saying why, and the fonts drawn stay as they were.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "screen_views.hpp"
#include "ui/font_families.hpp"
#include "ui/strings.hpp"

namespace ui::test {
namespace {

const std::filesystem::path kNoto = "/usr/share/fonts/truetype/noto";

/// What the kiosk passes as HostOptions::neededGlyphs: every character of both languages' texts.
std::u32string kioskGlyphs() {
    std::vector<std::string> texts;
    for (const char* language : {"vi", "en"}) {
        auto strings = Strings::load(std::string(KIOSK_SOURCE_DIR) + "/assets/i18n/" + language + ".toml");
        EXPECT_TRUE(strings.has_value()) << strings.error();
        const auto some = strings->texts();
        texts.insert(texts.end(), some.begin(), some.end());
    }
    return codePointsOf(texts);
}

/// A font folder of its own: Noto Sans, Noto Sans Armenian (no Vietnamese) and "Broken", which is text.
class FontFolder : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("kiosk-fonts-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(m_dir);
        for (const char* file : {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansArmenian-Regular.ttf",
                                 "NotoSansArmenian-Bold.ttf"}) {
            std::filesystem::create_symlink(kNoto / file, m_dir / file);
        }
        for (const char* file : {"Broken-Regular.ttf", "Broken-Bold.ttf"}) {
            std::ofstream(m_dir / file) << "<html>not a font</html>\n";
        }
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST(FontFamilies, ANameBecomesAFileOfTheFontFolderAndNothingElse) {
    EXPECT_EQ(fontFile("/f", "Noto Serif", FontWeight::Regular),
              std::filesystem::path("/f/NotoSerif-Regular.ttf"));
    EXPECT_EQ(fontFile("/f", "Noto Sans Display", FontWeight::Bold),
              std::filesystem::path("/f/NotoSansDisplay-Bold.ttf"));
    for (const std::string& bad :
         std::vector<std::string>{"", "../../etc/passwd", "Noto/Serif", "9 Sans", " Noto", "Noto\nSerif",
                                  "Nôto Sans", std::string(65, 'A')}) {
        const auto file = fontFile("/f", bad, FontWeight::Regular);
        ASSERT_FALSE(file.has_value()) << bad;
        EXPECT_NE(file.error().find("is not a font family name"), std::string::npos) << file.error();
    }
}

TEST(FontFamilies, TheCharactersOfTextsAreCountedOnceInOrderWithoutLineBreaks) {
    EXPECT_EQ(codePointsOf({"bà\nba", "ắ b"}), std::u32string(U" ab\u00E0\u1EAF"));
    EXPECT_EQ(codePointsOf({std::string("a\xFF")}), std::u32string(U"a\uFFFD"));
}

TEST(FontFamilies, NotoSansAndSerifDrawEveryTextAndArmenianLacksVietnamese) {
    const auto glyphs = kioskGlyphs();
    EXPECT_TRUE(glyphs.find(U'\u1EAF') != std::u32string::npos) << "the vi texts use ắ";
    for (const char* file : {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSerif-Regular.ttf",
                             "NotoSerif-Bold.ttf", "NotoSansDisplay-Bold.ttf"}) {
        const auto ok = checkFont(kNoto / file, glyphs);
        EXPECT_TRUE(ok.has_value()) << ok.error();
    }
    const auto armenian = checkFont(kNoto / "NotoSansArmenian-Regular.ttf", glyphs);
    ASSERT_FALSE(armenian.has_value());
    EXPECT_NE(armenian.error().find("lacks"), std::string::npos) << armenian.error();
    EXPECT_NE(armenian.error().find("characters the kiosk's texts use"), std::string::npos)
        << armenian.error();
}

TEST_F(FontFolder, AFileThatIsNotAFontOrIsNotThereIsSaidAsSuch) {
    const auto broken = checkFont(m_dir / "Broken-Regular.ttf", U"a");
    ASSERT_FALSE(broken.has_value());
    EXPECT_NE(broken.error().find("is not a font"), std::string::npos) << broken.error();
    const auto missing = checkFont(m_dir / "Absent-Regular.ttf", U"a");
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().find("does not exist"), std::string::npos) << missing.error();
}

TEST(HostFonts, AChainsFamiliesAreDrawnAndEveryScreenStillFits) {
    for (const bool landscape : {false, true}) {
        HostOptions options;
        options.width = landscape ? 1920 : 1080;
        options.height = landscape ? 1080 : 1920;
        options.neededGlyphs = kioskGlyphs();
        auto host = makeHost(options);
        if (!host) {
            GTEST_SKIP() << "no SDL host";
        }
        static_cast<void>(host->frame(attract(false)));
        EXPECT_TRUE(host->layout().bodyFont.starts_with("NotoSans-Regular.ttf")) << host->layout().bodyFont;
        const FontFamilies chain{"Noto Serif", "Noto Sans Display"};
        const auto set = host->setFonts(chain);
        ASSERT_TRUE(set.has_value()) << set.error();
        EXPECT_EQ(host->fonts(), chain);
        for (const auto& view : everyScreenEveryMode()) {
            static_cast<void>(host->frame(view));
            const Layout& layout = host->layout();
            EXPECT_TRUE(layout.bodyFont.starts_with("NotoSerif-Regular.ttf")) << layout.bodyFont;
            EXPECT_TRUE(layout.headingFont.starts_with("NotoSansDisplay-Bold.ttf")) << layout.headingFont;
            checkPlacement(layout, where(view) + " in Noto Serif");
            checkOverlaps(layout, where(view) + " in Noto Serif");
        }
        const std::string orientation = landscape ? "landscape" : "portrait";
        for (const auto& view : {attract(false), result(false, true), keypad(ScreenId::Phone, false)}) {
            auto shot = host->capture(view);
            ASSERT_TRUE(shot.has_value()) << shot.error();
            keep(*shot, orientation + "-" + std::string(screenName(view.screen)) + "-serif");
        }
    }
}

TEST_F(FontFolder, AFontTheKioskCannotDrawWithIsRefusedAndTheTextsKeepTheirFont) {
    HostOptions options;
    options.fontDir = m_dir;
    options.neededGlyphs = kioskGlyphs();
    auto host = makeHost(options);
    if (!host) {
        GTEST_SKIP() << "no SDL host";
    }
    const std::pair<std::string, std::string> refused[] = {
        {"../noto/NotoSerif", "is not a font family name"},
        {"Noto Serif", "does not exist on this kiosk"},
        {"Broken", "is not a font"},
        {"Noto Sans Armenian", "lacks"},
    };
    for (const auto& [family, reason] : refused) {
        for (const bool heading : {false, true}) {
            FontFamilies chain;
            (heading ? chain.heading : chain.body) = family;
            const auto set = host->setFonts(chain);
            ASSERT_FALSE(set.has_value()) << family;
            EXPECT_TRUE(set.error().starts_with(heading ? "heading_font" : "body_font")) << set.error();
            EXPECT_NE(set.error().find(reason), std::string::npos) << set.error();
            EXPECT_EQ(host->fonts(), FontFamilies{});
            static_cast<void>(host->frame(attract(false)));
            EXPECT_TRUE(host->layout().bodyFont.starts_with("NotoSans-Regular.ttf"))
                << host->layout().bodyFont;
            EXPECT_TRUE(host->layout().headingFont.starts_with("NotoSans-Bold.ttf"))
                << host->layout().headingFont;
        }
    }
}

}  // namespace
}  // namespace ui::test
