#include "kiosk/sync/sync_worker.hpp"

#include "jobs/config_puller.hpp"
#include "jobs/enroller.hpp"
#include "jobs/heartbeat.hpp"
#include "jobs/outbox_pusher.hpp"
#include "jobs/pruner.hpp"
#include "jobs/staff_log_pusher.hpp"
#include "jobs/updater.hpp"
#include "link.hpp"

#include <spdlog/spdlog.h>

namespace kiosk::sync {
namespace {

std::optional<std::int64_t> depthOf(Outbox& outbox) {
    auto depth = outbox.outboxDepth();
    return depth ? std::optional(*depth) : std::nullopt;
}

std::unique_ptr<Link> makeLink(net::CentralClient client, hal::Clock& clock, LocalStore& store,
                               const SyncOptions& options) {
    const auto enrollment = client.credential().empty() && !options.enrollmentCode.empty()
                                ? Enrollment::Pending
                                : Enrollment::NotNeeded;
    return std::make_unique<Link>(std::move(client), clock, store, enrollment, depthOf(store));
}

/// The update agent, or nothing when it is not configured or its folder cannot be opened (then the
/// error is the worker's: staff see it, the kiosk keeps running its version).
std::unique_ptr<Updater> makeUpdater(Link& link, const SyncOptions& options,
                                     std::function<void()> reportNow) {
    if (!options.updater || !options.updateControl) return nullptr;
    UpdateSlots::Options slots;
    slots.root = options.updater->root;
    slots.releaseKey = options.updater->releaseKey;
    slots.channel = options.updater->channel;
    slots.runningVersion = options.version;
    slots.maxBundleBytes = options.updater->maxBundleBytes;
    slots.spareBytes = options.updater->spareBytes;
    auto opened = UpdateSlots::open(std::move(slots));
    if (!opened) {
        spdlog::error("{}", opened.error());
        link.setError(opened.error());
        return nullptr;
    }
    return std::make_unique<Updater>(link, std::move(*opened), *options.updater, options.updateControl,
                                     std::move(reportNow));
}

}  // namespace

SyncWorker::SyncWorker(LocalStore& store, net::CentralClient client, hal::Clock& clock, SyncOptions options,
                       SyncEvents events)
    : m_store(store),
      m_link(makeLink(std::move(client), clock, store, options)),
      m_scheduler(clock, BackoffPolicy{options.initialBackoff, options.maxBackoff},
                  Scheduler::Hooks{
                      [this, changed = events.statusChanged] { m_link->publish(depthOf(m_store), changed); },
                      [this](std::string_view, std::string_view what) {
                          // Never let an exception (bad_alloc …) end the thread silently: report it.
                          m_link->setError("sync worker: " + std::string(what));
                      }}) {
    if (m_link->enrollment() == Enrollment::NotNeeded && !options.credentialFile.empty()) {
        // Left by a kill between saving the credential and removing its proposal: a proposal must never
        // be sent again once it is the credential (central refuses a credential it knows in any case).
        forgetProposal(options.credentialFile);
    }
    // The jobs, in the order they run when due together. A new job: one file in src/jobs/, one line here
    // (docs/architecture.md, "A new background job").
    auto enroller = std::make_unique<Enroller>(*m_link, options.enrollmentCode, options.credentialFile,
                                               options.heartbeatInterval, std::move(events.enrolled));
    auto pusher =
        std::make_unique<OutboxPusher>(*m_link, store, options.batchSize, std::move(events.claimSettled));
    auto puller =
        std::make_unique<ConfigPuller>(*m_link, store, options.configInterval,
                                       std::move(events.validateConfig), std::move(events.configChanged));
    auto heartbeat = std::make_unique<Heartbeat>(*m_link, store, options.heartbeatInterval, options.version,
                                                 std::move(events.deviceHealth));
    m_pusher = pusher.get();
    m_configPuller = puller.get();
    m_heartbeat = heartbeat.get();
    auto updater = makeUpdater(*m_link, options, [this] { m_scheduler.nudge(*m_heartbeat); });
    if (updater) {
        heartbeat->connectUpdater([agent = updater.get()] { return agent->report(); },
                                  [this, agent = updater.get()](const net::UpdateOffer& offer) {
                                      if (agent->offer(offer)) m_scheduler.nudge(*agent);
                                  });
    }
    heartbeat->subscribe([this](const net::Command& command) {
        if (command.type != "resync") return false;
        m_scheduler.nudge(*m_pusher);
        return true;
    });
    heartbeat->subscribe([this](const net::Command& command) {
        if (command.type != "reload_config") return false;
        m_scheduler.nudge(*m_configPuller);
        return true;
    });
    // Other commands belong to other parts of the kiosk (updates, maintenance) or a newer release.
    if (events.command) heartbeat->subscribe(std::move(events.command));
    // Central answers again after pushes could not reach it: drain now instead of sleeping out a
    // backoff that may have grown to minutes while the shop was offline.
    m_link->onReconnect([this] { m_scheduler.nudge(*m_pusher); });

    m_jobs.push_back(std::move(enroller));
    m_jobs.push_back(std::move(pusher));
    m_jobs.push_back(std::move(puller));
    m_jobs.push_back(std::move(heartbeat));
    m_jobs.push_back(std::make_unique<Pruner>(*m_link, store, options.keepSettled));
    auto staffLog = std::make_unique<StaffLogPusher>(*m_link, store);
    m_staffLog = staffLog.get();
    m_jobs.push_back(std::move(staffLog));
    if (updater) m_jobs.push_back(std::move(updater));
    for (auto& job : m_jobs) m_scheduler.add(*job);
}

SyncWorker::~SyncWorker() {
    stop();
}

void SyncWorker::start() {
    m_scheduler.start();
}

void SyncWorker::stop() {
    m_scheduler.stop();
}

void SyncWorker::syncNow() {
    m_scheduler.nudge(*m_pusher);
}

void SyncWorker::sendStaffLogNow() {
    m_scheduler.nudge(*m_staffLog);
}

void SyncWorker::reloadConfigNow() {
    m_scheduler.nudge(*m_configPuller);
}

void SyncWorker::heartbeatNow(std::function<void(bool answered)> answered) {
    if (!m_heartbeat->ready()) {
        answered(false);  // no credential (yet): central would not take it
        return;
    }
    m_heartbeat->whenAnswered(std::move(answered));
    m_scheduler.nudge(*m_heartbeat);
}

SyncStatus SyncWorker::status() const {
    return m_link->status();
}

loyalty::UnixSeconds SyncWorker::centralNow() const {
    return m_link->centralNow();
}

}  // namespace kiosk::sync
