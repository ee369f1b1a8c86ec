// Every screen the kiosk draws, in portrait and landscape, with and without the idle banner, filled with
// the longest texts it shows (errors included) and long lists: drawn by the real Host under SDL's dummy
// video driver, then checked from Host::layout():
//  - every control lies inside the window (a scrolling list may hold some below its visible part);
//  - no text is cut: each stays inside its room (its button, the header, the card, its column);
//  - no text runs over a control, another text or the camera picture; no two controls overlap;
//  - every text meets WCAG AA against what it is written on (4.5:1; 3:1 for the bold heading sizes and
//    up), and every control's edge stands out from the page (3:1).
// The look's motion and pictures (pressed states, icons, confetti, logo, reward pictures): look_test.cpp.
#include <gtest/gtest.h>

#include "screen_views.hpp"

namespace ui::test {
namespace {

TEST_P(LayoutTest, EveryControlAndTextOfEveryScreenFitsTheWindowUncoveredAndUncut) {
    for (const auto& view : everyScreenEveryMode()) {
        const Layout& layout = draw(view);
        ASSERT_FALSE(layout.controls.empty()) << where(view);
        checkPlacement(layout, where(view));
        checkOverlaps(layout, where(view));
    }
}

TEST_P(LayoutTest, EveryTextMeetsWcagAaContrastOnEveryScreen) {
    for (const auto& view : everyScreenEveryMode()) {
        const Layout& layout = draw(view);
        ASSERT_FALSE(layout.texts.empty());
        checkContrast(layout, where(view));
    }
}

TEST_P(LayoutTest, LargeTextIsLargerAndHighContrastMeetsWcagAaa) {
    for (const bool countdown : {false, true}) {
        for (auto view : everyScreen(countdown)) {
            const float standard = smallestText(draw(view));
            view.accessible = true;
            const Layout& layout = draw(view);
            EXPECT_GE(smallestText(layout), standard * 1.25F) << where(view);
            for (const auto& t : layout.texts) {
                // The tier card is in central's colour: AA there (checked above), AAA everywhere else.
                if (t.kind != DrawnText::Kind::Card) {
                    EXPECT_GE(contrastRatio(t.colour, t.background), 7.0F)
                        << where(view) << ": \"" << t.text << "\" " << std::hex << t.colour << " on "
                        << t.background;
                }
            }
        }
    }
}

/// A chain's brand: its colour on the header and the primary buttons, every screen checked again.
TEST_P(LayoutTest, AChainsBrandColoursPassTheSameChecks) {
    Brand brand;
    brand.primary = 0x8B1A1A;
    brand.header = 0x1A3C8B;
    const auto theme = brandedTheme(brand);
    ASSERT_TRUE(theme.has_value()) << theme.error();
    m_host.reset();
    m_host = makeHost(GetParam(), *theme);
    for (const bool countdown : {false, true}) {
        for (const auto& view : everyScreen(countdown)) {
            const Layout& layout = draw(view);
            checkPlacement(layout, where(view));
            checkContrast(layout, where(view));
        }
    }
}

/// The new look drawn for real: high contrast paints the header black, a brand its own colour, and the
/// spinner and the confetti put pixels on the page. The pictures are kept for a person to look at.
TEST_P(LayoutTest, TheNewLookIsDrawnAndKeptForReview) {
    const std::string orientation = GetParam() ? "landscape" : "portrait";
    for (auto view : {attract(false), working(false), celebrating(false), keypad(ScreenId::Phone, false),
                      consent(false)}) {
        const std::string name = orientation + "-" + std::string(screenName(view.screen)) +
                                 (view.celebration ? "-celebrating" : "");
        auto standard = m_host->capture(view);
        ASSERT_TRUE(standard.has_value()) << standard.error();
        EXPECT_EQ(pixel(*standard, 4, 4), Theme{}.header) << name;
        keep(*standard, name);
        view.accessible = true;
        auto large = m_host->capture(view);
        ASSERT_TRUE(large.has_value());
        EXPECT_EQ(pixel(*large, 4, 4), Theme::highContrast().header) << name;
        keep(*large, name + "-large");
    }
    Brand brand;
    brand.primary = 0x8B1A1A;
    m_host.reset();  // one host at a time: a host owns SDL and the current Dear ImGui context
    m_host = makeHost(GetParam(), *brandedTheme(brand));
    ASSERT_NE(m_host, nullptr);
    auto branded = m_host->capture(attract(false));
    ASSERT_TRUE(branded.has_value());
    EXPECT_EQ(pixel(*branded, 4, 4), 0x8B1A1AU);
    keep(*branded, orientation + "-attract-brand");
    // The chain's logo on Attract, rewards with their pictures, a button held down: kept to look at.
    const Image logo = picture(400, 120);
    const Image tile = picture(160, 160);
    ASSERT_TRUE(m_host->setPicture("logo", &logo));
    ASSERT_TRUE(m_host->setPicture("reward:R1", &tile));
    auto withLogo = m_host->capture(attract(false));
    ASSERT_TRUE(withLogo.has_value());
    keep(*withLogo, orientation + "-attract-brand-logo");
    const View rewards = list(ScreenId::Rewards, false);
    static_cast<void>(m_host->frame(rewards));
    ASSERT_TRUE(m_host->tap("reward:R1"));
    static_cast<void>(m_host->frame(rewards));
    static_cast<void>(m_host->frame(rewards));
    auto pressed = m_host->capture(rewards);
    ASSERT_TRUE(pressed.has_value());
    keep(*pressed, orientation + "-rewards-pictures-pressed");
}

TEST(Theme, TheStandardAndHighContrastThemesPassTheirOwnPairs) {
    for (const Theme& theme : {Theme{}, Theme::highContrast()}) {
        for (const auto& problem : contrastProblems(theme)) {
            ADD_FAILURE() << problem.message();
        }
    }
}

TEST(Theme, ABrandColourThatCannotCarryWhiteTextIsRefusedSayingWhy) {
    Brand gold;
    gold.primary = 0xFFD700;
    const auto theme = brandedTheme(gold);
    ASSERT_FALSE(theme.has_value());
    EXPECT_NE(theme.error().find("text on the header: #FFFFFF on #FFD700"), std::string::npos)
        << theme.error();
    EXPECT_NE(theme.error().find("needs 4.5:1"), std::string::npos) << theme.error();
    Brand paleHeader;
    paleHeader.header = 0xE0F0FF;
    EXPECT_FALSE(brandedTheme(paleHeader).has_value());
}

TEST(Theme, ColoursAreReadAsHashRrggbbOnly) {
    EXPECT_EQ(parseColour("#0B7A4B"), 0x0B7A4BU);
    EXPECT_EQ(parseColour("8b1a1a"), 0x8B1A1AU);
    for (const char* bad : {"", "#", "#12345", "#1234567", "#12345G", "red", "0x0B7A4B", "#-12345"}) {
        const auto colour = parseColour(bad);
        ASSERT_FALSE(colour.has_value()) << bad;
        EXPECT_NE(colour.error().find("#RRGGBB"), std::string::npos);
    }
}

TEST(Contrast, RatiosAreWcags) {
    EXPECT_NEAR(contrastRatio(0x000000, 0xFFFFFF), 21.0F, 0.01F);
    EXPECT_NEAR(contrastRatio(0xFFFFFF, 0xFFFFFF), 1.0F, 0.001F);
    // The issue's figure: white on the gold tier card.
    EXPECT_NEAR(contrastRatio(0xFFFFFF, 0xC9A227), 2.5F, 0.2F);
}

INSTANTIATE_TEST_SUITE_P(Orientations, LayoutTest, ::testing::Bool(),
                         [](const auto& test) { return test.param ? "landscape" : "portrait"; });

}  // namespace
}  // namespace ui::test
