#pragma once
// The heartbeat job: every interval tells central the kiosk's version, uptime, device health and
// outbox depth, and publishes every command of the answer to its subscribers (the pusher takes
// "resync", the config puller "reload_config", the kiosk its own). A command no subscriber carries out
// is logged and acknowledged as unknown in the next heartbeat's health ("unknown_commands": "a,b"),
// never dropped silently. It also carries the update agent's report and hands central's update offer
// to the agent (docs/fleet.md).

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/sync/scheduler.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {

class Link;
class Outbox;

class Heartbeat final : public Job {
  public:
    /// Returns true when it carries the command out. Runs on the sync thread.
    using Subscriber = std::function<bool(const net::Command& command)>;
    using Health = std::function<std::map<std::string, std::string>()>;
    using UpdateReporter = std::function<std::optional<net::UpdateReport>()>;
    using OfferTaker = std::function<void(const net::UpdateOffer& offer)>;

    Heartbeat(Link& link, Outbox& outbox, std::chrono::milliseconds interval, std::string version,
              Health health);

    /// Before the scheduler starts.
    void subscribe(Subscriber subscriber);
    /// Before the scheduler starts: the update agent's report goes into every heartbeat, central's
    /// offer (when an answer has one) to `taker`.
    void connectUpdater(UpdateReporter reporter, OfferTaker taker);

    /// Any thread: `answered` runs on the sync thread after the next heartbeat (its health sampled after
    /// this call), with true when central answered it. The caller nudges the job to send it now.
    void whenAnswered(std::function<void(bool answered)> answered);

    [[nodiscard]] std::string_view name() const override { return "heartbeat"; }
    [[nodiscard]] bool ready() const override;
    [[nodiscard]] Next run() override;

  private:
    void publish(const std::vector<net::Command>& commands);

    Link& m_link;
    Outbox& m_outbox;
    std::chrono::milliseconds m_interval;
    std::string m_version;
    Health m_health;
    std::vector<Subscriber> m_subscribers;
    UpdateReporter m_updateReporter;
    OfferTaker m_offerTaker;
    std::vector<std::string> m_unknownCommands;  ///< to acknowledge in the next heartbeat
    std::chrono::milliseconds m_startedAt;
    std::mutex m_waitingMutex;
    std::vector<std::function<void(bool)>> m_waiting;  ///< whenAnswered callbacks for the next beat
};

}  // namespace kiosk::sync
