// The result of the earn flow: the Result step (it queues the claim, waits for central's answer and
// prints the consent receipt).
#include <algorithm>

#include "kiosk/step.hpp"
#include "loyalty/time.hpp"

namespace kiosk {
namespace {

/// The success moment: the points central credited count up from 0 in this long, then stay.
constexpr std::chrono::milliseconds kCountUp{1'200};

/// A tier's name: central's for the member's own tier, else loyalty's (the one central uses).
std::string tierName(const StepContext& ctx, const std::string& code) {
    const auto tier = loyalty::tierFromCode(code);
    return tier ? std::string(loyalty::tierName(*tier, ctx.language())) : ctx.tr("tier.unknown.name");
}

/// The member's tier, its progress, and what central's campaign and tier rules say it gives: nothing
/// about a tier is fixed in the kiosk.
ui::TierCard tierCard(const StepContext& ctx, const Member& member) {
    ui::TierCard card;
    card.tierId = member.tier;
    const std::string& centralName = ctx.in(member.tierName);
    card.name = centralName.empty() ? tierName(ctx, member.tier) : centralName;
    if (member.nextTier.empty()) {
        card.progress = 1.0F;
        card.progressText = ctx.tr("tier.top");
    } else {
        card.progress = std::clamp(static_cast<float>(member.progressPermille) / 1000.0F, 0.0F, 1.0F);
        card.progressText =
            ctx.tr("tier.progress", {{"left", ctx.number(std::max<std::int64_t>(0, member.pointsToNextTier))},
                                     {"next", tierName(ctx, member.nextTier)}});
    }
    const auto tier = loyalty::tierFromCode(member.tier);
    if (!tier) {
        return card;
    }
    const JourneyConfig& config = ctx.config();
    if (config.campaign && config.campaign->tierMultiplier(*tier) > 100) {
        card.benefits.push_back(ctx.tr(
            "tier.earn_bonus", {{"percent", std::to_string(config.campaign->tierMultiplier(*tier) - 100)}}));
    }
    if (config.tierRules) {
        card.colour = config.tierRules->rule(*tier).colour;
        if (const std::string& benefits = ctx.in(config.tierRules->rule(*tier).benefits); !benefits.empty()) {
            card.benefits.push_back(benefits);
        }
    }
    return card;
}

/// Queues this session's claim on entry (Working while the store writes it), then shows central's
/// answer or the pending points; prints the consent receipt of a new member on request.
class ResultStep final : public Step {
  public:
    void enter(StepContext& ctx) override {
        if (m_claim != Claim::NotQueued) {
            return;  // back from Rewards or History
        }
        const Session& s = ctx.session();
        NewClaim claim;
        claim.receiptId = s.receipt->id();
        claim.token = s.token;
        claim.phone = s.phone->national();
        // A new member's consent, given on the Consent screen; a returning member's claim records none.
        // Central wants the text version on every claim.
        claim.consentJoin = s.claimConsented;
        claim.consentMarketing = s.claimConsented && s.consentMarketing;
        claim.consentTextVersion = ctx.config().consentTextVersion;
        claim.acceptedAt = ctx.now().wall;
        claim.provisionalPoints = s.provisional.value_or(0);
        m_claim = Claim::Queuing;
        ctx.emit(QueueClaim{ctx.sessionId(), std::move(claim)});
    }

    void intent(StepContext& ctx, const Intent& intent) override {
        if (intent == Intent{Action::Play}) {
            ctx.go(StepId::Game);
        } else if (intent == Intent{Action::BuyPlay}) {
            buyPlay(ctx);
        } else if (intent == Intent{Action::Rewards}) {
            ctx.setMessage("");
            ctx.go(StepId::Rewards);
        } else if (intent == Intent{Action::History}) {
            ctx.go(StepId::History);
        } else if (intent == Intent{Action::PrintConsent}) {
            // The printer is asked first, as for a voucher: no job starts on a printer that is known to be
            // unable to finish it.
            m_consentPrint.reset();
            m_printing = Printing::CheckingPrinter;
            ctx.emit(CheckPrinter{ctx.sessionId()});
        } else if (intent == Intent{Action::Done}) {
            ctx.wipe();
        }
    }

    void event(StepContext& ctx, const Event& event) override {
        if (const auto* queued = std::get_if<ClaimQueued>(&event)) {
            onQueued(ctx, *queued);
        } else if (const auto* settled = std::get_if<ClaimSettled>(&event)) {
            if (m_claim == Claim::Queuing) {
                m_earlyAnswers.push_back(*settled);  // its key is not known yet: kept until ClaimQueued
            } else if (!m_claimKey.empty() && settled->idempotencyKey == m_claimKey) {
                settle(ctx, settled->outcome);
            }
        } else if (const auto* checked = std::get_if<PrinterChecked>(&event);
                   checked != nullptr && m_printing == Printing::CheckingPrinter) {
            m_printing = Printing::None;
            if (!checked->problem.empty()) {
                m_consentPrint = checked->problem;
            } else {
                m_printing = Printing::Printing;
                ctx.emit(PrintConsent{ctx.sessionId(), consentSlip(ctx)});
            }
        } else if (const auto* printed = std::get_if<Printed>(&event);
                   printed != nullptr && m_printing == Printing::Printing) {
            m_printing = Printing::None;
            m_consentPrint = printed->problem;
        }
    }

    [[nodiscard]] bool animating(std::chrono::milliseconds mono) const override {
        return m_landedAt && mono < *m_landedAt + kCountUp;
    }

    void present(const StepContext& ctx, ui::View& v) const override {
        if (m_claim == Claim::Queuing) {
            presentWorking(ctx, v, "working.saving");
            return;
        }
        const Session& s = ctx.session();
        v.screen = ui::ScreenId::Result;
        // "Points earned" only once central credited them.
        const auto status = m_settled ? m_settled->status : ClaimOutcome::Status::Pending;
        v.title = ctx.tr(status == ClaimOutcome::Status::Accepted  ? "result.title"
                         : status == ClaimOutcome::Status::Refused ? "result.title_refused"
                                                                   : "result.title_pending");
        v.lines.push_back({ctx.tr("result.member", {{"phone", s.phone ? s.phone->masked() : ""}}),
                           ui::TextLine::Style::Heading});
        addOutcome(ctx, v);
        if (s.member && !s.member->tier.empty()) {
            v.tier = tierCard(ctx, *s.member);
        }
        // Not while the consent receipt prints: the printer answers one question at a time.
        const bool canSpend = ctx.sync().online && s.member.has_value() && !ctx.config().rewards.empty() &&
                              m_printing == Printing::None;
        v.controls.push_back(
            {encodeIntent(Action::Rewards), ctx.tr("result.rewards"), ui::Control::Kind::Button, canSpend});
        addPlay(ctx, v);
        v.controls.push_back({encodeIntent(Action::History), ctx.tr("result.history"),
                              ui::Control::Kind::Button, s.member.has_value()});
        if (s.consentAt > 0) {
            addConsentPrint(ctx, v);
        }
        v.controls.push_back(
            {encodeIntent(Action::Done), ctx.tr("result.done"), ui::Control::Kind::Button, true, true});
    }

  private:
    enum class Claim { NotQueued, Queuing, Queued };
    enum class Printing { None, CheckingPrinter, Printing };

    void onQueued(StepContext& ctx, const ClaimQueued& queued) {
        if (m_claim != Claim::Queuing) {
            return;
        }
        if (!queued.idempotencyKey) {
            if (queued.idempotencyKey.error() == QueueFailure::Duplicate) {
                ctx.rememberClaimed(ctx.session().receipt->id());
            }
            m_claim = Claim::NotQueued;
            ctx.session().receipt.reset();
            ctx.setMessage(queued.idempotencyKey.error() == QueueFailure::Duplicate
                               ? "scan.error.already_claimed_here"
                               : "scan.error.store_failed");
            ctx.go(StepId::Scan);
            return;
        }
        m_claim = Claim::Queued;
        m_claimKey = *queued.idempotencyKey;
        ctx.rememberClaimed(ctx.session().receipt->id());
        // The sync thread may have pushed the claim, and central answered, before the store thread said it
        // was queued: that answer waited here.
        const auto early =
            std::find_if(m_earlyAnswers.begin(), m_earlyAnswers.end(),
                         [&](const ClaimSettled& answer) { return answer.idempotencyKey == m_claimKey; });
        if (early != m_earlyAnswers.end()) {
            settle(ctx, early->outcome);
        }
        m_earlyAnswers.clear();
    }

    /// Central's answer to this session's claim: shown, and an accepted one refreshes the member.
    void settle(StepContext& ctx, const ClaimOutcome& outcome) {
        m_settled = outcome;
        const Session& s = ctx.session();
        if (outcome.status == ClaimOutcome::Status::Accepted) {
            m_landedAt = ctx.now().mono;
            ctx.emit(PlayChime{});
        }
        if (outcome.status == ClaimOutcome::Status::Accepted && s.phone) {
            ctx.emit(LookupMember{ctx.sessionId(), s.phone->national()});
        }
    }

    /// The game whose play the member may buy now (central listed it with a price within the balance,
    /// no ticket or unshown prize waits); nullptr: none.
    static const GameInfo* playForSale(const StepContext& ctx) {
        const Session& s = ctx.session();
        if (!s.games || !s.member || !s.games->undisplayed.empty()) {
            return nullptr;
        }
        return s.games->playForSale(s.member->balance);
    }

    /// "Buy a play — N points": through the one-time code (the BuyPlay step). Offered only online: a
    /// purchase needs central.
    static void buyPlay(StepContext& ctx) {
        const GameInfo* game = playForSale(ctx);
        if (game == nullptr || !ctx.sync().online) {
            return;
        }
        Session& s = ctx.session();
        s.gameToPlay = game->id;
        s.code.clear();
        ctx.setMessage("");
        ctx.go(StepId::BuyPlay);
    }

    /// "Play" when central listed a game this member holds a ticket for, or a prize never shown; else
    /// "Buy a play" when a game sells one for points the member has.
    static void addPlay(const StepContext& ctx, ui::View& v) {
        const auto& games = ctx.session().games;
        if (!games) {
            return;
        }
        if (const GameInfo* sale = playForSale(ctx)) {
            if (ctx.sync().online) {
                v.controls.push_back(
                    {encodeIntent(Action::BuyPlay),
                     ctx.tr("result.buy_play", {{"points", ctx.number(*sale->ticketPricePoints)}})});
            }
            return;
        }
        const bool ticket = std::any_of(games->games.begin(), games->games.end(),
                                        [&](const GameInfo& g) { return games->ticketsFor(g.id) > 0; });
        if (!games->undisplayed.empty() || ticket) {
            v.controls.push_back({encodeIntent(Action::Play),
                                  ctx.tr(games->undisplayed.empty() ? "result.play" : "result.see_prize"),
                                  ui::Control::Kind::Button, ctx.sync().online});
        }
    }

    /// The content of the consent receipt of this session, in the shopper's language.
    static ConsentSlip consentSlip(const StepContext& ctx) {
        const Session& s = ctx.session();
        return {ctx.languageCode(), s.consentMarketing, s.phone ? s.phone->masked() : "",
                ctx.config().consentTextVersion, s.consentAt > 0 ? s.consentAt : ctx.now().wall};
    }

    void addOutcome(const StepContext& ctx, ui::View& v) const {
        const Session& s = ctx.session();
        const bool accepted = m_settled && m_settled->status == ClaimOutcome::Status::Accepted;
        const bool refused = m_settled && m_settled->status == ClaimOutcome::Status::Refused;
        if (accepted) {
            v.lines.push_back({ctx.tr("result.earned", {{"points", ctx.number(countedUp(ctx, v))}}),
                               ui::TextLine::Style::Big, ui::Tone::Good});
            for (const auto& line : m_settled->breakdown) {
                // Central words its own rules (campaign names change without a kiosk release); the kind's
                // generic text is the fallback.
                std::string label = ctx.in(line.label);
                if (label.empty()) {
                    label = ctx.trCode("breakdown.", line.kind, "breakdown.other");
                }
                v.lines.push_back(
                    {ctx.tr("result.breakdown_line", {{"label", label}, {"points", ctx.number(line.points)}}),
                     ui::TextLine::Style::Body});
            }
            const std::int64_t balance = s.member ? s.member->balance : m_settled->balance;
            v.lines.push_back(
                {ctx.tr("result.balance", {{"points", ctx.number(balance)}}), ui::TextLine::Style::Heading});
        } else if (refused) {
            v.lines.push_back({refusalText(ctx, m_settled->code), ui::TextLine::Style::Big, ui::Tone::Error});
        } else {
            v.lines.push_back({s.provisional
                                   ? ctx.tr("result.pending_points", {{"points", ctx.number(*s.provisional)}})
                                   : ctx.tr("result.pending"),
                               ui::TextLine::Style::Big, ui::Tone::Warning});
            v.lines.push_back({ctx.tr("result.pending_note"), ui::TextLine::Style::Body});
            if (s.member) {
                v.lines.push_back({ctx.tr("result.balance", {{"points", ctx.number(s.member->balance)}}),
                                   ui::TextLine::Style::Heading});
            }
        }
    }

    /// The points credited as the count-up shows them now (ease-out: fast, then settling on the figure);
    /// while it runs the view carries how far the celebration has gone.
    [[nodiscard]] std::int64_t countedUp(const StepContext& ctx, ui::View& v) const {
        const auto elapsed = ctx.now().mono - m_landedAt.value_or(ctx.now().mono - kCountUp);
        const double t = std::clamp(
            static_cast<double>(elapsed.count()) / static_cast<double>(kCountUp.count()), 0.0, 1.0);
        if (t >= 1.0) {
            return m_settled->pointsEarned;
        }
        v.celebration = static_cast<float>(t);
        const double eased = 1.0 - (1.0 - t) * (1.0 - t) * (1.0 - t);
        return static_cast<std::int64_t>(static_cast<double>(m_settled->pointsEarned) * eased);
    }

    /// Only for a shopper who gave consent in this very session: a returning member gave it earlier.
    void addConsentPrint(const StepContext& ctx, ui::View& v) const {
        if (m_printing != Printing::None) {
            v.lines.push_back({ctx.tr("result.consent_printing"), ui::TextLine::Style::Small});
        } else if (m_consentPrint && m_consentPrint->empty()) {
            v.lines.push_back({ctx.tr("result.consent_printed"), ui::TextLine::Style::Body, ui::Tone::Good});
        } else if (m_consentPrint) {
            v.lines.push_back({ctx.tr("result.consent_print_failed",
                                      {{"problem", ctx.trCode("staff.printer_problem.", *m_consentPrint,
                                                              "staff.printer_problem.other")}}),
                               ui::TextLine::Style::Body, ui::Tone::Error});
        }
        v.controls.push_back({encodeIntent(Action::PrintConsent), ctx.tr("result.print_consent"),
                              ui::Control::Kind::Button, m_printing == Printing::None});
    }

    Claim m_claim = Claim::NotQueued;
    std::string m_claimKey;
    std::optional<ClaimOutcome> m_settled;
    std::optional<std::chrono::milliseconds> m_landedAt;  ///< central credited the points (the count-up)
    /// Answers of central that arrived while this session's claim was being queued (its key unknown).
    std::vector<ClaimSettled> m_earlyAnswers;
    Printing m_printing = Printing::None;
    /// The consent receipt: nullopt: not asked (or still printing); empty: printed; else the problem.
    std::optional<std::string> m_consentPrint;
};

}  // namespace

std::unique_ptr<Step> makeResultStep() {
    return std::make_unique<ResultStep>();
}

}  // namespace kiosk
