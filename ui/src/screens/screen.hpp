#pragma once
// A screen draws one ScreenId of the View. The shared, non-virtual draw() frames every screen the same
// way (header with title and language switch, status line, idle countdown); body() is the screen's own.
// Screens keep no state between frames (everything comes from the View), so a session wipe is the
// core's business alone.

#include "../canvas.hpp"

namespace ui {

class Screen {
  public:
    virtual ~Screen() = default;
    void draw(Canvas& canvas);

  protected:
    /// Draws inside the body area: the cursor is at its top-left corner, `area` is its size.
    virtual void body(Canvas& canvas, ImVec2 area) = 0;
};

class AttractScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

class ScanScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

/// Phone number, one-time code and staff PIN entry: the typed field and the big keypad.
class KeypadScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

class ConsentScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

class ResultScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

/// A wait: the spinner the view turns, its texts, any buttons (working_screen.cpp).
class WorkingScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

/// Texts then stacked buttons: Rewards, Voucher, History, Maintenance.
class ListScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

/// A promo game (game_screen.cpp): the Decree 81 texts, the wheel or the scratch card, the buttons.
class GameScreen final : public Screen {
  protected:
    void body(Canvas& canvas, ImVec2 area) override;
};

}  // namespace ui
