// Buying a play of a promo game with points (docs/games.md "The kiosk"): Result → BuyPlay (central sends
// a one-time code) → Otp (the same step a redemption uses) → BuyPlay (central takes the price) → Game.
// Spending points always needs the code, so typing someone else's number spends nothing. Only central's
// answer changes the balance and the plays shown; a refusal is worded from central's code on Result.
#include "kiosk/step.hpp"

namespace kiosk {
namespace {

class BuyPlayStep final : public Step {
  public:
    void enter(StepContext& ctx) override {
        Session& s = ctx.session();
        if (s.code.empty()) {
            m_phase = Phase::SendingCode;
            // No reward: central's code is unbound, and the purchase names the game it buys.
            ctx.emit(RequestOtp{ctx.sessionId(), s.phone->national(), ""});
            return;
        }
        m_phase = Phase::Buying;
        ctx.emit(BuyGameTicket{ctx.sessionId(), s.gameToPlay, s.phone->national(), s.code});
        s.code.clear();
    }

    void intent(StepContext& /*ctx*/, const Intent& /*intent*/) override {}

    void event(StepContext& ctx, const Event& event) override {
        Session& s = ctx.session();
        if (const auto* sent = std::get_if<OtpRequested>(&event); sent && m_phase == Phase::SendingCode) {
            m_phase = Phase::Idle;
            s.digits.clear();
            if (!sent->result) {
                ctx.setMessage("game.buy.code_failed");
                ctx.go(StepId::Result);
                return;
            }
            ctx.setMessage("");
            s.codeFor = StepId::BuyPlay;
            s.codeBack = StepId::Result;
            ctx.go(StepId::Otp);
        } else if (const auto* bought = std::get_if<GameTicketBought>(&event);
                   bought && m_phase == Phase::Buying) {
            m_phase = Phase::Idle;
            onBought(ctx, *bought);
        }
    }

    void present(const StepContext& ctx, ui::View& v) const override {
        presentWorking(ctx, v, m_phase == Phase::Buying ? "working.buying_play" : "working.sending_code");
    }

  private:
    enum class Phase { Idle, SendingCode, Buying };

    static void onBought(StepContext& ctx, const GameTicketBought& bought) {
        Session& s = ctx.session();
        if (!bought.result) {
            const CentralError& error = bought.result.error();
            if (error.code.starts_with("otp")) {
                ctx.setMessage(error.code == "otp_locked" ? "game.buy.error.otp_locked"
                                                          : "otp.error.wrong_code");
                ctx.go(error.code == "otp_locked" ? StepId::Result : StepId::Otp);
                return;
            }
            // Nothing was bought that the shopper could see: said from central's code, or plainly offline.
            const std::string key = "game.buy.error." + error.code;
            ctx.setMessage(!error.definitive ? "game.buy.offline" : ctx.has(key) ? key : "game.buy.refused");
            ctx.go(StepId::Result);
            return;
        }
        const TicketPurchase& purchase = *bought.result;
        if (s.member) {
            s.member->balance = purchase.balance;
        }
        if (s.games) {
            s.games->setTickets(purchase.gameId, purchase.tickets);
        }
        s.gameToPlay = purchase.gameId;
        ctx.setMessage("");
        ctx.go(StepId::Game);
    }

    Phase m_phase = Phase::Idle;
};

}  // namespace

std::unique_ptr<Step> makeBuyPlayStep() {
    return std::make_unique<BuyPlayStep>();
}

}  // namespace kiosk
