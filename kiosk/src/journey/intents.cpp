#include "kiosk/intents.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace kiosk {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 29> kActions{{
    {Action::Start, "start"},
    {Action::Back, "back"},
    {Action::Ok, "ok"},
    {Action::Done, "done"},
    {Action::Language, "lang"},
    {Action::Staff, "staff"},
    {Action::Rewards, "rewards"},
    {Action::History, "history"},
    {Action::PrintConsent, "print_consent"},
    {Action::ConsentJoin, "consent:join"},
    {Action::ConsentMarketing, "consent:marketing"},
    {Action::AlreadyMember, "consent:already_member"},
    {Action::CheckPrinterAgain, "printer:check"},
    {Action::Delete, "key:del"},
    {Action::Play, "game:play"},
    {Action::RevealAll, "game:reveal"},
    {Action::Access, "access"},
    {Action::Clear, "key:clear"},
    {Action::CallStaff, "call_staff"},
    {Action::TestPrint, "staff:test_print"},
    {Action::ToggleService, "staff:service"},
    {Action::PaperChange, "staff:paper"},
    {Action::PaperDone, "staff:paper_done"},
    {Action::Restart, "staff:restart"},
    {Action::BuyPlay, "game:buy"},
    {Action::StopPromotions, "promotions:stop"},
    {Action::ConfirmStop, "promotions:stop_confirm"},
    {Action::InstallUpdate, "staff:update_now"},
    {Action::PostponeUpdate, "staff:update_later"},
}};

constexpr std::string_view kDigit = "key:";
constexpr std::string_view kReward = "reward:";
constexpr std::string_view kReprint = "reprint:";
constexpr std::string_view kAcknowledge = "ack:";
constexpr std::string_view kFlick = "flick:";
constexpr std::string_view kScratch = "scratch:";

/// The whole of `digits` as a number, or nullopt.
std::optional<std::int64_t> wholeNumber(std::string_view digits) {
    std::int64_t n = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (error != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return n;
}

}  // namespace

std::optional<Intent> decodeIntent(std::string_view id) {
    for (const auto& [action, name] : kActions) {
        if (id == name) {
            return action;
        }
    }
    if (id.starts_with(kDigit) && id.size() == kDigit.size() + 1 && id.back() >= '0' && id.back() <= '9') {
        return Digit{id.back()};
    }
    if (id.starts_with(kReward)) {
        return ChooseReward{std::string(id.substr(kReward.size()))};
    }
    if (id.starts_with(kReprint)) {
        return Reprint{std::string(id.substr(kReprint.size()))};
    }
    if (id.starts_with(kAcknowledge)) {
        if (const auto refusal = wholeNumber(id.substr(kAcknowledge.size()))) {
            return Acknowledge{*refusal};
        }
    }
    // Bounded, so a hostile automation client cannot overflow the physics or the card's grid.
    if (id.starts_with(kFlick)) {
        if (const auto speed = wholeNumber(id.substr(kFlick.size()));
            speed && *speed >= 0 && *speed <= 100'000) {
            return Flick{static_cast<int>(*speed)};
        }
    }
    if (id.starts_with(kScratch)) {
        if (const auto cell = wholeNumber(id.substr(kScratch.size())); cell && *cell >= 0 && *cell < 10'000) {
            return Scratch{static_cast<int>(*cell)};
        }
    }
    return std::nullopt;
}

std::string encodeIntent(const Intent& intent) {
    struct Encoder {
        std::string operator()(Action action) const {
            for (const auto& [a, name] : kActions) {
                if (a == action) {
                    return std::string(name);
                }
            }
            return {};
        }
        std::string operator()(const Digit& d) const { return std::string(kDigit) + d.digit; }
        std::string operator()(const ChooseReward& r) const { return std::string(kReward) + r.rewardId; }
        std::string operator()(const Reprint& r) const { return std::string(kReprint) + r.code; }
        std::string operator()(const Acknowledge& a) const {
            return std::string(kAcknowledge) + std::to_string(a.refusalId);
        }
        std::string operator()(const Flick& f) const {
            return std::string(kFlick) + std::to_string(f.degreesPerSecond);
        }
        std::string operator()(const Scratch& c) const {
            return std::string(kScratch) + std::to_string(c.cell);
        }
    };
    return std::visit(Encoder{}, intent);
}

}  // namespace kiosk
