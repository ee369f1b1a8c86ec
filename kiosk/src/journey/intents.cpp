#include "kiosk/intents.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace kiosk {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 14> kActions{{
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
}};

constexpr std::string_view kDigit = "key:";
constexpr std::string_view kReward = "reward:";
constexpr std::string_view kReprint = "reprint:";
constexpr std::string_view kAcknowledge = "ack:";

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
        const std::string_view digits = id.substr(kAcknowledge.size());
        std::int64_t refusal = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), refusal);
        if (error == std::errc() && end == digits.data() + digits.size()) {
            return Acknowledge{refusal};
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
    };
    return std::visit(Encoder{}, intent);
}

}  // namespace kiosk
