#pragma once
// What the layout tests of tests/ui share: the worst-case View of every screen (longest texts, long
// lists, errors, the idle banner), a real Host under SDL's dummy driver, and the checks run on the
// layout it records (ui/layout.hpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ui/host.hpp"

namespace ui::test {

Control button(const std::string& id, const std::string& label, bool enabled = true, bool primary = false);
void addFrame(View& v, const std::string& title, bool countdown);
void addKeypad(View& v, bool okEnabled);

View attract(bool countdown);
View scan(bool countdown);
View keypad(ScreenId screen, bool countdown);
View consent(bool countdown);
View result(bool countdown, bool withCard);
/// Points landing: the count-up half way, confetti falling round the texts.
View celebrating(bool countdown);
View list(ScreenId screen, bool countdown);
View working(bool countdown);
View history(bool countdown);
/// Stopping promotions once central answered. The failed state (longer texts, "Try again") is not here:
/// all its lines wrap, so the large-text check finds no one-line text to compare.
View optOut(bool countdown);
std::vector<View> everyScreen(bool countdown);
/// Every screen with and without the idle banner, in the standard look and in large text and high
/// contrast (`accessible`).
std::vector<View> everyScreenEveryMode();
std::string where(const View& view);

std::unique_ptr<Host> makeHost(bool landscape, const Theme& theme = {});
/// A host under SDL's dummy driver with these options; null without SDL.
std::unique_ptr<Host> makeHost(const HostOptions& options);
float smallestText(const Layout& layout);

void checkPlacement(const Layout& layout, const std::string& where);
void checkOverlaps(const Layout& layout, const std::string& where);
void checkContrast(const Layout& layout, const std::string& where);

/// An RGBA picture of `width` x `height`, a dark block on light (what central's PNGs decode to).
Image picture(int width, int height);
/// Every picture drawn lies in the window and under no text.
void checkPictures(const Layout& layout, const std::string& where);

/// Writes `image` as a binary PPM (ImageMagick converts it) into <build>/screenshots/look/.
void keep(const Image& image, const std::string& name);
std::uint32_t pixel(const Image& image, int x, int y);

class LayoutTest : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        m_host = makeHost(GetParam());
        if (!m_host) {
            GTEST_SKIP() << "no SDL host";
        }
    }

    /// Draws `view` (twice: ImGui sizes child regions on the first frame) and returns its layout.
    const Layout& draw(const View& view) {
        static_cast<void>(m_host->frame(view));
        static_cast<void>(m_host->frame(view));
        return m_host->layout();
    }

    std::unique_ptr<Host> m_host;
};

}  // namespace ui::test
