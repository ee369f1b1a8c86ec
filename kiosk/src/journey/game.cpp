// The promo game step (docs/games.md): the lucky wheel or the scratch card of this store, played with
// one of the member's tickets. Central draws; this step only animates what central answered: the
// wheel decelerates onto central's sector, the card shows central's prize under the foil. Offline or
// refused, the game says so and nothing moves. A draw a kiosk never showed is shown the next time the
// member plays here. The step also asks for the member's games whenever central looked the member up.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kiosk/step.hpp"

namespace kiosk {
namespace {

constexpr int kMinFlick = 360;   ///< degrees per second: a weak flick still turns the wheel believably
constexpr int kMaxFlick = 2160;  ///< a wild one is capped (about 4 s of spin)
constexpr double kMaxDeceleration = 540.0;  ///< degrees per second², the wheel's friction at most
constexpr double kMinTurns = 2.0;           ///< every spin turns the wheel at least twice
constexpr int kColumns = 8;
constexpr int kRows = 5;
constexpr int kRevealAt = kColumns * kRows * 60 / 100;  ///< ~60 % scratched shows the prize
constexpr double kMinSectorDegrees = 20.0;              ///< a rare prize (or a 0 % "nothing") stays visible

/// A spin that ends, at constant deceleration, on the angle central's answer gives.
struct Spin {
    std::chrono::milliseconds start{0};
    double from = 0;      ///< degrees at start
    double speed = 0;     ///< degrees per second at start
    double distance = 0;  ///< degrees turned in all

    [[nodiscard]] double seconds() const { return speed > 0 ? 2 * distance / speed : 0; }
    [[nodiscard]] bool moving(std::chrono::milliseconds at) const { return at < end(); }
    /// The first millisecond at which the wheel stands still.
    [[nodiscard]] std::chrono::milliseconds end() const {
        return start + std::chrono::ceil<std::chrono::milliseconds>(std::chrono::duration<double>(seconds()));
    }
    [[nodiscard]] double angle(std::chrono::milliseconds at) const {
        const double t = std::clamp(std::chrono::duration<double>(at - start).count(), 0.0, seconds());
        const double deceleration = speed * speed / (2 * distance);
        return from + speed * t - deceleration * t * t / 2;
    }
};

/// The wheel's sectors (the prizes in order, then "nothing"), in degrees: each outcome's share of the
/// odds, at least kMinSectorDegrees. "Nothing" keeps a sector at 0 % because a prize whose budget is
/// spent lands there; at its minimum it no longer fills the wheel as equal sectors did.
std::vector<double> sectorDegrees(const GameInfo& game) {
    std::vector<double> weights;
    for (const auto& prize : game.prizes) {
        weights.push_back(static_cast<double>(std::max<std::int64_t>(0, prize.oddsPpm)));
    }
    weights.push_back(static_cast<double>(std::max<std::int64_t>(0, game.nothingOddsPpm)));
    const double least = std::min(kMinSectorDegrees, 360.0 / static_cast<double>(weights.size()));
    std::vector<bool> atLeast(weights.size(), false);
    std::vector<double> out(weights.size(), least);
    // Sectors below the minimum are raised to it and the rest share what is left by their odds, until
    // no share falls below the minimum (at most one round per sector).
    for (bool changed = true; changed;) {
        changed = false;
        double room = 360.0;
        double weight = 0;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            room -= atLeast[i] ? least : 0.0;
            weight += atLeast[i] ? 0.0 : weights[i];
        }
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (atLeast[i]) {
                continue;
            }
            out[i] = weight > 0 ? room * weights[i] / weight : least;
            if (out[i] < least) {
                atLeast[i] = true;
                out[i] = least;
                changed = true;
            }
        }
    }
    return out;
}

/// "12,5 %" / "12.5 %" from parts per million.
std::string percentText(const StepContext& ctx, std::int64_t ppm) {
    std::string text = std::to_string(ppm / 10'000);
    if (std::int64_t rest = ppm % 10'000; rest != 0) {
        std::string decimals = std::to_string(10'000 + rest).substr(1);
        decimals.erase(decimals.find_last_not_of('0') + 1);
        text += (ctx.languageCode() == "en" ? "." : ",") + decimals;
    }
    return text + " %";
}

class GameStep final : public Step {
  public:
    void enter(StepContext& ctx) override {
        m_state = State::Unavailable;
        m_problem.clear();
        m_draw.reset();
        m_earlier = false;
        m_revealAll = false;
        m_print = Print::None;
        m_scratched.assign(kColumns * kRows, false);
        const Session& s = ctx.session();
        if (!ctx.sync().online || !s.games || !s.phone) {
            m_problem = "game.unavailable.offline";
            return;
        }
        const GameOffer& offer = *s.games;
        if (!offer.undisplayed.empty()) {
            // Drawn on central but never shown (a kiosk died mid-game): shown now, as it was drawn.
            const GameDrawInfo& earlier = offer.undisplayed.front();
            m_game = findGame(offer, earlier.gameId);
            m_earlier = true;
            m_draw = earlier;
            show(ctx);
            return;
        }
        // A play just bought opens its own game; otherwise the first game the member holds a ticket for.
        const GameInfo chosen = findGame(offer, s.gameToPlay);
        if (!chosen.id.empty() && offer.ticketsFor(chosen.id) > 0) {
            m_game = chosen;
            m_state = State::Ready;
            return;
        }
        for (const auto& game : offer.games) {
            if (offer.ticketsFor(game.id) > 0) {
                m_game = game;
                m_state = State::Ready;
                return;
            }
        }
        m_problem = "game.unavailable.no_ticket";
    }

    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Back}) {
            ctx.go(StepId::Result);
        } else if (intent == Intent{Action::Done}) {
            ctx.wipe();
        } else if (intent == Intent{Action::Play} && m_state == State::Shown) {
            enter(ctx);  // the next ticket
        } else if (const auto* flick = std::get_if<Flick>(&intent);
                   flick && m_state == State::Ready && m_game.wheel) {
            m_flick = std::clamp(flick->degreesPerSecond, kMinFlick, kMaxFlick);
            play(ctx);
        } else if (const auto* scratch = std::get_if<Scratch>(&intent); scratch && !m_game.wheel) {
            onScratch(ctx, scratch->cell);
        } else if (intent == Intent{Action::RevealAll} && !m_game.wheel) {
            m_revealAll = true;
            if (m_state == State::Ready) {
                play(ctx);
            } else if (m_state == State::Scratching) {
                show(ctx);
            }
        }
    }

    void event(StepContext& ctx, const Event& event) override {
        Session& s = ctx.session();
        if (const auto* looked = std::get_if<MemberLookedUp>(&event)) {
            if (looked->result && looked->result->has_value() && s.phone) {
                ctx.emit(LoadGames{ctx.sessionId(), s.phone->national()});
            }
        } else if (const auto* loaded = std::get_if<GamesLoaded>(&event)) {
            s.games.reset();
            if (loaded->result) {
                s.games = *loaded->result;
            }
        } else if (const auto* checked = std::get_if<PrinterChecked>(&event);
                   checked && m_state == State::CheckingPrinter) {
            if (!checked->problem.empty()) {
                m_state = State::Ready;
                m_problem = "printer.problem." + checked->problem;
                return;
            }
            m_state = State::Drawing;
            ctx.emit(DrawGame{ctx.sessionId(), m_game.id, s.phone->national()});
        } else if (const auto* drawn = std::get_if<GameDrawn>(&event); drawn && m_state == State::Drawing) {
            onDrawn(ctx, *drawn);
        } else if (const auto* printed = std::get_if<Printed>(&event);
                   printed && m_print == Print::Printing) {
            m_print = printed->problem.empty() ? Print::Done : Print::Failed;
            m_printProblem = printed->problem;
        }
    }

    [[nodiscard]] std::optional<std::chrono::milliseconds> nextTick() const override {
        if (m_state != State::Spinning) {
            return std::nullopt;
        }
        return m_spin.end();
    }

    void tick(StepContext& ctx) override {
        if (m_state == State::Spinning && !m_spin.moving(ctx.now().mono)) {
            show(ctx);
        }
    }

    [[nodiscard]] bool animating(std::chrono::milliseconds mono) const override {
        return m_state == State::Spinning && m_spin.moving(mono);
    }

    void present(const StepContext& ctx, ui::View& v) const override {
        v.screen = ui::ScreenId::Game;
        v.title = m_game.id.empty() ? ctx.tr("game.title") : ctx.in(m_game.name);
        addOutcome(ctx, v);
        if (!m_game.id.empty()) {
            addRules(ctx, v);
            v.game = board(ctx);
        }
        addControls(ctx, v);
    }

  private:
    enum class State { Unavailable, Ready, CheckingPrinter, Drawing, Spinning, Scratching, Shown };
    enum class Print { None, Printing, Done, Failed };

    static GameInfo findGame(const GameOffer& offer, const std::string& id) {
        const auto it = std::find_if(offer.games.begin(), offer.games.end(),
                                     [&](const GameInfo& g) { return g.id == id; });
        return it != offer.games.end() ? *it : GameInfo{};
    }

    [[nodiscard]] bool hasVoucherPrizes() const {
        return std::any_of(m_game.prizes.begin(), m_game.prizes.end(),
                           [](const GamePrizeInfo& p) { return p.kind == "reward" || p.kind == "gift"; });
    }

    /// Spends a ticket on central; a game that can give a voucher asks the printer first.
    void play(StepContext& ctx) {
        m_problem.clear();
        if (hasVoucherPrizes()) {
            m_state = State::CheckingPrinter;
            ctx.emit(CheckPrinter{ctx.sessionId()});
            return;
        }
        m_state = State::Drawing;
        ctx.emit(DrawGame{ctx.sessionId(), m_game.id, ctx.session().phone->national()});
    }

    void onDrawn(StepContext& ctx, const GameDrawn& drawn) {
        if (!drawn.result) {
            // Nothing was drawn that the shopper could see: the game is unavailable, said plainly.
            m_state = State::Unavailable;
            const std::string& code = drawn.result.error().code;
            m_problem = ctx.has("game.error." + code) ? "game.error." + code : "game.unavailable.offline";
            return;
        }
        m_draw = *drawn.result;
        if (m_game.wheel) {
            m_spin = planSpin(ctx.now().mono);
            m_state = State::Spinning;
        } else {
            m_state = State::Scratching;
            if (m_revealAll || scratchedCells() >= kRevealAt) {
                show(ctx);
            }
        }
    }

    /// The sector of the draw: the prize's, or the "nothing" sector after the prizes.
    [[nodiscard]] std::size_t targetSector() const {
        for (std::size_t i = 0; i < m_game.prizes.size(); ++i) {
            if (m_draw && m_game.prizes[i].id == m_draw->prizeId) {
                return i;
            }
        }
        return m_game.prizes.size();
    }

    /// Degrees from the start of the first sector to the middle of central's.
    [[nodiscard]] double targetCentre() const {
        const auto widths = sectorDegrees(m_game);
        const std::size_t target = std::min(targetSector(), widths.size() - 1);
        double centre = widths[target] / 2;
        for (std::size_t i = 0; i < target; ++i) {
            centre += widths[i];
        }
        return centre;
    }

    /// Constant deceleration from the flick's speed to the centre of central's sector under the pointer.
    [[nodiscard]] Spin planSpin(std::chrono::milliseconds now) const {
        Spin spin{now, m_restAngle, static_cast<double>(m_flick), 0};
        const double target = -targetCentre();
        double distance = std::fmod(target - m_restAngle, 360.0);
        if (distance < 0) {
            distance += 360.0;
        }
        const double atLeast = std::max(kMinTurns * 360.0, spin.speed * spin.speed / (2 * kMaxDeceleration));
        while (distance < atLeast) {
            distance += 360.0;
        }
        spin.distance = distance;
        return spin;
    }

    [[nodiscard]] int scratchedCells() const {
        return static_cast<int>(std::count(m_scratched.begin(), m_scratched.end(), true));
    }

    void onScratch(StepContext& ctx, int cell) {
        if (cell < 0 || cell >= kColumns * kRows || m_state == State::Unavailable ||
            m_state == State::Shown) {
            return;
        }
        m_scratched[static_cast<std::size_t>(cell)] = true;
        if (m_state == State::Ready) {
            play(ctx);
        } else if (m_state == State::Scratching && scratchedCells() >= kRevealAt) {
            show(ctx);
        }
    }

    /// The outcome is on screen: central learns it was shown, a voucher prints, the balance updates.
    void show(StepContext& ctx) {
        m_state = State::Shown;
        if (m_game.wheel && !m_game.id.empty()) {
            m_restAngle = std::fmod(360.0 - targetCentre(), 360.0);
        }
        std::fill(m_scratched.begin(), m_scratched.end(), true);
        Session& s = ctx.session();
        ctx.emit(MarkDrawShown{ctx.sessionId(), m_draw->key, s.phone->national()});
        if (s.member) {
            s.member->balance = m_draw->balance;
        }
        if (s.games) {
            auto& undisplayed = s.games->undisplayed;
            std::erase_if(undisplayed, [&](const GameDrawInfo& d) { return d.key == m_draw->key; });
            for (auto& [game, count] : s.games->tickets) {
                if (game == m_draw->gameId && !m_earlier) {
                    count = std::max<std::int64_t>(0, count - 1);
                }
            }
        }
        if (m_draw->voucher) {
            m_print = Print::Printing;
            ctx.emit(PrintVoucher{ctx.sessionId(), VoucherSlip{*m_draw->voucher, ctx.languageCode(),
                                                               s.phone->masked(), ctx.now().wall}});
        }
    }

    [[nodiscard]] ui::GameBoard board(const StepContext& ctx) const {
        ui::GameBoard b;
        b.wheel = m_game.wheel;
        for (const auto& prize : m_game.prizes) {
            b.sectors.push_back(ctx.in(prize.name));
        }
        b.sectors.push_back(ctx.tr("game.nothing"));
        for (const double degrees : sectorDegrees(m_game)) {
            b.sectorDegrees.push_back(static_cast<float>(degrees));
        }
        b.angle = static_cast<float>(
            std::fmod(m_state == State::Spinning ? m_spin.angle(ctx.now().mono) : m_restAngle, 360.0));
        b.columns = kColumns;
        b.rows = kRows;
        b.scratched = m_scratched;
        // Under the foil: central's prize once it answered, never a guess before.
        b.hidden = m_draw ? prizeText(ctx) : "?";
        b.celebrate = m_state == State::Shown && m_draw && !m_draw->prizeId.empty();
        return b;
    }

    [[nodiscard]] std::string prizeText(const StepContext& ctx) const {
        return m_draw->prizeId.empty() ? ctx.tr("game.nothing") : ctx.in(m_draw->prizeName);
    }

    void addOutcome(const StepContext& ctx, ui::View& v) const {
        if (!m_problem.empty()) {
            v.lines.push_back({ctx.tr(m_problem), ui::TextLine::Style::Big, ui::Tone::Error});
        }
        if (m_state == State::Drawing || m_state == State::CheckingPrinter) {
            v.lines.push_back({ctx.tr("game.drawing"), ui::TextLine::Style::Big});
            v.spinner = 0.0F;  // a wait like any other: the journey turns it, "still trying…" after 3 s
        } else if (m_state == State::Shown && m_draw) {
            if (m_earlier) {
                v.lines.push_back({ctx.tr("game.earlier"), ui::TextLine::Style::Heading});
            }
            const bool won = !m_draw->prizeId.empty();
            v.lines.push_back({won ? ctx.tr("game.won", {{"prize", prizeText(ctx)}}) : ctx.tr("game.lost"),
                               ui::TextLine::Style::Big, won ? ui::Tone::Good : ui::Tone::Normal});
            v.lines.push_back({ctx.tr("result.balance", {{"points", ctx.number(m_draw->balance)}}),
                               ui::TextLine::Style::Heading});
            if (m_print == Print::Printing) {
                v.lines.push_back({ctx.tr("game.printing"), ui::TextLine::Style::Body});
            } else if (m_print == Print::Done) {
                v.lines.push_back({ctx.tr("game.printed"), ui::TextLine::Style::Body, ui::Tone::Good});
            } else if (m_print == Print::Failed) {
                v.lines.push_back({ctx.trCode("printer.problem.", m_printProblem, "game.print_failed"),
                                   ui::TextLine::Style::Body, ui::Tone::Error});
            }
        } else if (m_state == State::Ready || m_state == State::Scratching) {
            v.lines.push_back({ctx.tr(m_game.wheel ? "game.hint_wheel" : "game.hint_scratch"),
                               ui::TextLine::Style::Heading});
        }
    }

    /// What Decree 81/2018 has the kiosk show before anyone plays: registration, structure, odds.
    void addRules(const StepContext& ctx, ui::View& v) const {
        v.lines.push_back({ctx.tr("game.registration", {{"number", m_game.registrationNumber}}),
                           ui::TextLine::Style::Body});
        if (const std::string& structure = ctx.in(m_game.prizeStructure); !structure.empty()) {
            v.lines.push_back({structure, ui::TextLine::Style::Body});
        }
        for (const auto& prize : m_game.prizes) {
            v.lines.push_back({ctx.tr("game.odds", {{"prize", ctx.in(prize.name)},
                                                    {"odds", percentText(ctx, prize.oddsPpm)}}),
                               ui::TextLine::Style::Small});
        }
        v.lines.push_back({ctx.tr("game.odds", {{"prize", ctx.tr("game.nothing")},
                                                {"odds", percentText(ctx, m_game.nothingOddsPpm)}}),
                           ui::TextLine::Style::Small});
        if (const Session& s = ctx.session(); s.games && !m_earlier) {
            v.lines.push_back(
                {ctx.tr("game.tickets", {{"count", ctx.number(s.games->ticketsFor(m_game.id))}}),
                 ui::TextLine::Style::Small});
        }
    }

    void addControls(const StepContext& ctx, ui::View& v) const {
        const bool ready = m_state == State::Ready;
        if (m_game.wheel && !m_game.id.empty()) {
            // The board's touch surface (a Key: drawn by the board, not among the buttons).
            v.controls.push_back({"flick:*", "", ui::Control::Kind::Key, ready});
            v.controls.push_back(
                {encodeIntent(Flick{720}), ctx.tr("game.spin"), ui::Control::Kind::Button, ready, true});
        } else if (!m_game.id.empty()) {
            // The finger keeps scratching while the printer and central answer.
            const bool scratching = ready || m_state == State::CheckingPrinter || m_state == State::Drawing ||
                                    m_state == State::Scratching;
            v.controls.push_back({"scratch:*", "", ui::Control::Kind::Key, scratching});
            v.controls.push_back({encodeIntent(Action::RevealAll), ctx.tr("game.reveal"),
                                  ui::Control::Kind::Button, scratching});
        }
        const Session& s = ctx.session();
        if (m_state == State::Shown && s.games && s.games->ticketsFor(m_game.id) > 0) {
            v.controls.push_back(
                {encodeIntent(Action::Play), ctx.tr("game.again"), ui::Control::Kind::Button, true, true});
        }
        v.controls.push_back({encodeIntent(Action::Back), ctx.tr("common.back")});
        v.controls.push_back({encodeIntent(Action::Done), ctx.tr("result.done")});
    }

    GameInfo m_game;
    State m_state = State::Unavailable;
    std::string m_problem;  ///< a string key: why the game cannot be played now
    std::optional<GameDrawInfo> m_draw;
    bool m_earlier = false;  ///< m_draw was drawn in an earlier visit and never shown
    int m_flick = kMinFlick;
    Spin m_spin;
    double m_restAngle = 0;
    std::vector<bool> m_scratched;
    bool m_revealAll = false;
    Print m_print = Print::None;
    std::string m_printProblem;
};

}  // namespace

std::unique_ptr<Step> makeGameStep() {
    return std::make_unique<GameStep>();
}

}  // namespace kiosk
