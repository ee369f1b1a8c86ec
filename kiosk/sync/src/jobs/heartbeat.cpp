#include "heartbeat.hpp"

#include <spdlog/spdlog.h>

#include "../link.hpp"
#include "kiosk/sync/outbox.hpp"

namespace kiosk::sync {
namespace {

/// "a,b,c"
std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) {
        if (!out.empty()) out += ',';
        out += word;
    }
    return out;
}

/// Central takes health values of at most 64 bytes and refuses the whole heartbeat otherwise (docs/api.md):
/// a longer one (a camera's error, a refused theme's reason) is cut at a UTF-8 character boundary.
void fitForCentral(std::map<std::string, std::string>& health) {
    constexpr std::size_t kMaxValue = 64;
    const std::string ellipsis = "…";
    for (auto& [name, value] : health) {
        if (value.size() <= kMaxValue) continue;
        std::size_t cut = kMaxValue - ellipsis.size();
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0U) == 0x80U) --cut;
        value = value.substr(0, cut) + ellipsis;
    }
}

}  // namespace

Heartbeat::Heartbeat(Link& link, Outbox& outbox, std::chrono::milliseconds interval, std::string version,
                     Health health)
    : m_link(link),
      m_outbox(outbox),
      m_interval(interval),
      m_version(std::move(version)),
      m_health(std::move(health)),
      m_startedAt(link.monotonicNow()) {}

void Heartbeat::subscribe(Subscriber subscriber) {
    m_subscribers.push_back(std::move(subscriber));
}

void Heartbeat::connectUpdater(UpdateReporter reporter, OfferTaker taker) {
    m_updateReporter = std::move(reporter);
    m_offerTaker = std::move(taker);
}

bool Heartbeat::ready() const {
    return m_link.mayCallCentral();
}

void Heartbeat::whenAnswered(std::function<void(bool answered)> answered) {
    const std::lock_guard lock(m_waitingMutex);
    m_waiting.push_back(std::move(answered));
}

Next Heartbeat::run() {
    std::vector<std::function<void(bool)>> waiting;
    {
        const std::lock_guard lock(m_waitingMutex);
        waiting.swap(m_waiting);  // taken before the health is sampled: this beat carries what they want
    }
    const auto tell = [&waiting](bool answered) {
        for (const auto& callback : waiting) callback(answered);
    };
    net::Heartbeat beat;
    beat.version = m_version;
    beat.uptimeSeconds =
        std::chrono::duration_cast<std::chrono::seconds>(m_link.monotonicNow() - m_startedAt).count();
    beat.outboxDepth = m_outbox.outboxDepth().value_or(-1);
    if (m_health) beat.health = m_health();
    if (!m_unknownCommands.empty()) beat.health["unknown_commands"] = joined(m_unknownCommands);
    fitForCentral(beat.health);
    if (m_updateReporter) beat.update = m_updateReporter();
    auto answer = m_link.exchange([&](net::CentralClient& client) { return client.heartbeat(beat); });
    if (!answer) {
        m_link.callFailed("heartbeat: ", answer.error());
        tell(false);
        return Next::after(m_interval);
    }
    tell(true);
    m_unknownCommands.clear();  // acknowledged by the heartbeat that just got its answer
    publish(answer->commands);
    if (answer->update && m_offerTaker) m_offerTaker(*answer->update);
    m_link.setOnline(true);
    return Next::after(m_interval);
}

void Heartbeat::publish(const std::vector<net::Command>& commands) {
    for (const auto& command : commands) {
        bool known = false;
        // Every subscriber hears every command: a future agent may act on one the worker also carries out.
        for (const auto& subscriber : m_subscribers)
            if (subscriber(command)) known = true;
        if (!known) m_unknownCommands.push_back(command.type);
    }
    if (!m_unknownCommands.empty())
        spdlog::warn("heartbeat: unknown command(s) {} from central, acknowledged as unknown",
                     joined(m_unknownCommands));
}

}  // namespace kiosk::sync
