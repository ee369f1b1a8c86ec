// The kiosk's look in motion and its pictures, drawn by the real Host (SDL's dummy driver) in both
// orientations and checked from Host::layout(): every control shows a pressed state, back / call staff /
// large text carry a drawn icon, the success moment's confetti never covers a text or a control, the
// chain's logo heads Attract and reward pictures sit in their tiles (a missing one: a plain tile).
#include <gtest/gtest.h>

#include <algorithm>

#include "screen_views.hpp"

namespace ui::test {
namespace {

class LookTest : public LayoutTest {};

/// The success moment's confetti falls all through the count-up and never lands on the points, a
/// line or a button: each piece drawn leaves every text and control clear.
TEST_P(LookTest, ConfettiNeverCoversTheTextsOrTheButtons) {
    for (const float progress : {0.1F, 0.3F, 0.5F, 0.7F, 0.9F}) {
        for (const bool large : {false, true}) {
            View view = celebrating(false);
            view.celebration = progress;
            view.accessible = large;
            const Layout& layout = draw(view);
            const std::string at = where(view) + " at " + std::to_string(progress);
            EXPECT_FALSE(layout.decorations.empty()) << "no confetti " << at;
            for (const auto& piece : layout.decorations) {
                for (const auto& text : layout.texts) {
                    EXPECT_FALSE(text.rect.intersection(text.clip).overlaps(piece))
                        << "confetti over \"" << text.text << "\" " << at;
                }
                for (const auto& control : layout.controls) {
                    EXPECT_FALSE(!control.hidden && control.rect.intersection(control.clip).overlaps(piece))
                        << "confetti over " << control.id << " " << at;
                }
            }
        }
    }
}

/// Every button, key and tick box answers a finger: while it is held down it is drawn in its pressed
/// shade (and the words on it still meet AA on that shade).
TEST_P(LookTest, EveryControlShowsAPressedState) {
    for (const bool accessible : {false, true}) {
        for (auto view : everyScreen(false)) {
            view.accessible = accessible;
            const Layout before = draw(view);
            for (const auto& control : before.controls) {
                const Control* wanted = view.control(control.id);
                if (control.hidden || control.id.ends_with(":*") || wanted == nullptr || !wanted->enabled ||
                    !m_host->tap(control.id)) {
                    continue;
                }
                static_cast<void>(m_host->frame(view));  // the finger arrives
                static_cast<void>(m_host->frame(view));  // and presses
                const Layout& held = m_host->layout();
                const auto found = std::find_if(held.controls.begin(), held.controls.end(),
                                                [&](const DrawnControl& c) { return c.id == control.id; });
                ASSERT_NE(found, held.controls.end()) << control.id << " on " << where(view);
                EXPECT_TRUE(found->pressed) << control.id << " on " << where(view);
                EXPECT_NE(found->fill, control.fill)
                    << control.id << " looks the same pressed on " << where(view);
                checkContrast(held, where(view) + " with " + control.id + " pressed");
                while (m_host->injecting()) {
                    static_cast<void>(m_host->frame(view));  // let go
                }
            }
        }
    }
}

/// Back, call staff and large text carry a drawn icon beside their words, inside the button and
/// clear of every text.
TEST_P(LookTest, BackCallStaffAndLargeTextCarryAnIcon) {
    for (const auto& view : {attract(false), list(ScreenId::Rewards, false), history(true)}) {
        const Layout& layout = draw(view);
        int icons = 0;
        for (const auto& control : layout.controls) {
            const bool wanted = control.id == "back" || control.id == "call_staff" || control.id == "access";
            ASSERT_EQ(control.icon.has_value(), wanted) << control.id << " on " << where(view);
            if (!control.icon) {
                continue;
            }
            ++icons;
            EXPECT_TRUE(control.rect.contains(*control.icon)) << control.id << " on " << where(view);
            // As the shopper sees them: a scrolling list shows only part of its content.
            const Rect icon = control.icon->intersection(control.clip);
            for (const auto& text : layout.texts) {
                EXPECT_FALSE(text.rect.intersection(text.clip).overlaps(icon))
                    << "\"" << text.text << "\" over the icon of " << control.id << " on " << where(view);
            }
        }
        EXPECT_GE(icons, 2) << where(view);
    }
}

/// The chain's logo heads Attract, inside the window and clear of every text, in both sizes of text;
/// nothing else changes place to make room but the start control, which shrinks.
TEST_P(LookTest, TheChainsLogoHeadsAttract) {
    ASSERT_TRUE(m_host->setPicture("logo", nullptr));
    for (const bool large : {false, true}) {
        View view = attract(false);
        view.accessible = large;
        EXPECT_TRUE(draw(view).pictures.empty()) << "no logo uploaded, none drawn";
        const Image logo = picture(400, 120);
        ASSERT_TRUE(m_host->setPicture("logo", &logo));
        const Layout& layout = draw(view);
        ASSERT_EQ(layout.pictures.size(), 1U) << where(view);
        checkPictures(layout, where(view));
        checkPlacement(layout, where(view));
        checkOverlaps(layout, where(view));
        for (const auto& control : layout.controls) {
            EXPECT_FALSE(control.rect.overlaps(layout.pictures[0])) << control.id << " over the logo";
        }
        ASSERT_TRUE(m_host->setPicture("logo", nullptr));
    }
    Image notRgba = picture(10, 10);
    notRgba.channels = 3;
    EXPECT_FALSE(m_host->setPicture("logo", &notRgba)) << "a picture that is not RGBA is refused";
}

/// A reward with a picture shows it at the start of its tile, beside its words; one whose picture never
/// came (missing, broken) is a plain tile.
TEST_P(LookTest, RewardPicturesSitInTheirTilesAndMissingOnesArePlain) {
    const Image tile = picture(160, 160);
    ASSERT_TRUE(m_host->setPicture("reward:R1", &tile));
    ASSERT_TRUE(m_host->setPicture("reward:R2", &tile));
    for (const bool large : {false, true}) {
        View view = list(ScreenId::Rewards, false);
        view.accessible = large;
        const Layout& layout = draw(view);
        checkPlacement(layout, where(view));
        checkOverlaps(layout, where(view));
        checkPictures(layout, where(view));
        int inTiles = 0;
        for (const auto& drawn : layout.pictures) {
            for (const auto& control : layout.controls) {
                if (control.id == "reward:R1" || control.id == "reward:R2") {
                    inTiles += control.rect.contains(drawn) ? 1 : 0;
                }
            }
        }
        EXPECT_EQ(layout.pictures.size(), 2U) << where(view);
        EXPECT_EQ(inTiles, 2) << where(view);
    }
    ASSERT_TRUE(m_host->setPicture("reward:R1", nullptr));
    ASSERT_TRUE(m_host->setPicture("reward:R2", nullptr));
}

/// An automation tap's hover, press and release are laid out and fed to Dear ImGui but not painted
/// (a painted 1080x1920 frame is 200-300 ms on a loaded box: five taps outlasted the staff gesture's
/// window); the frame after the click is painted, showing what the tap did.
TEST_P(LookTest, AnInjectedTapPaintsOnlyTheFrameAfterItsClick) {
    const View view = attract(false);
    const Layout before = draw(view);
    EXPECT_TRUE(before.painted);
    const auto control =
        std::find_if(before.controls.begin(), before.controls.end(), [&](const DrawnControl& c) {
            return !c.hidden && view.control(c.id) != nullptr && view.control(c.id)->enabled;
        });
    ASSERT_NE(control, before.controls.end());
    ASSERT_TRUE(m_host->tap(control->id));
    std::vector<bool> painted;
    std::vector<Intent> intents;
    while (m_host->injecting() && painted.size() < 10) {
        for (auto& intent : m_host->frame(view)) intents.push_back(std::move(intent));
        painted.push_back(m_host->layout().painted);
    }
    EXPECT_EQ(painted, (std::vector<bool>{false, false, false, true}));
    ASSERT_EQ(intents.size(), 1U);
    EXPECT_EQ(intents[0].id, control->id);
}

INSTANTIATE_TEST_SUITE_P(Orientations, LookTest, ::testing::Bool(),
                         [](const auto& test) { return test.param ? "landscape" : "portrait"; });

}  // namespace
}  // namespace ui::test
