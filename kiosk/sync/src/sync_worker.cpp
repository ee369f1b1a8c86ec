#include "kiosk/sync/sync_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <exception>

#include "hal/clock.hpp"
#include "kiosk/sync/credential_file.hpp"

namespace kiosk::sync {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kNever = milliseconds::max();
/// Longest real-time sleep: the worker re-reads the (possibly manual) clock at least this often.
constexpr milliseconds kMaxSleep{1000};
/// A round trip slower than this says too little about central's clock to learn an offset from it.
constexpr milliseconds kMaxOffsetRoundTrip{5000};
/// Config pull retry after a failure, instead of the full configInterval.
constexpr milliseconds kConfigRetry{30'000};
/// Outbox rows deleted per pruning step: one short write transaction, so an enqueue waits ms at most.
constexpr std::size_t kPruneBatch = 200;
/// How often settled entries are looked for once none are left to prune.
constexpr milliseconds kPruneInterval{3'600'000};

/// "a,b,c"
std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) {
        if (!out.empty()) out += ',';
        out += word;
    }
    return out;
}

std::string describe(const net::Error& error) {
    std::string text = error.message;
    if (!error.code.empty()) text = error.code + ": " + text;
    if (error.httpStatus != 0) text = "HTTP " + std::to_string(error.httpStatus) + " " + text;
    return text;
}

/// The credential to propose: the one a previous life saved (central may have taken it and the answer
/// been lost), else a new one, saved before it is ever sent.
StoreResult<std::string> loadOrMakeProposal(const std::filesystem::path& pendingFile) {
    auto saved = readCredentialFile(pendingFile);
    if (!saved || !saved->empty()) return saved;
    auto fresh = makeCredential();
    if (auto written = writeCredentialFile(pendingFile, fresh); !written)
        return std::unexpected(written.error());
    return fresh;
}

/// Deletes the proposal saved next to `credentialFile`, if any (best effort: one left behind is deleted
/// at the next start that finds a credential).
void forgetProposal(const std::filesystem::path& credentialFile) {
    std::error_code ignored;
    std::filesystem::remove(pendingCredentialFile(credentialFile), ignored);
}

/// True when the failure came from central itself (it answered), false when it could not be reached.
bool centralAnswered(const net::Error& error) {
    return error.httpStatus != 0;
}

}  // namespace

SyncWorker::SyncWorker(LocalStore& store, net::CentralClient client, hal::Clock& clock, SyncOptions options,
                       SyncEvents events)
    : m_store(store),
      m_client(std::move(client)),
      m_clock(clock),
      m_options(std::move(options)),
      m_events(std::move(events)),
      m_jitter(std::random_device{}()) {
    if (m_options.batchSize == 0) m_options.batchSize = 1;
    if (auto offset = m_store.loadClockOffset()) m_clockOffset = *offset;
    m_status.clockOffsetSeconds = m_clockOffset;
    if (auto depth = m_store.outboxDepth()) m_status.outboxDepth = *depth;
    if (m_client.credential().empty() && !m_options.enrollmentCode.empty()) {
        m_enrollment = m_status.enrollment = Enrollment::Pending;
    } else if (!m_options.credentialFile.empty()) {
        // Left by a kill between saving the credential and removing its proposal: a proposal must never
        // be sent again once it is the credential (central refuses a credential it knows in any case).
        forgetProposal(m_options.credentialFile);
    }
}

SyncWorker::~SyncWorker() {
    stop();
}

void SyncWorker::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void SyncWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) m_thread.join();
}

void SyncWorker::syncNow() {
    {
        std::lock_guard lock(m_mutex);
        m_pushRequested = true;
    }
    m_wake.notify_all();
}

void SyncWorker::reloadConfigNow() {
    {
        std::lock_guard lock(m_mutex);
        m_configRequested = true;
    }
    m_wake.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

loyalty::UnixSeconds SyncWorker::centralNow() const {
    std::lock_guard lock(m_mutex);
    return m_clock.now() + m_clockOffset;
}

milliseconds SyncWorker::monotonicNow() const {
    return milliseconds(m_clock.monotonicMs());
}

void SyncWorker::run() {
    m_startedAt = monotonicNow();
    m_heartbeatDue = m_startedAt;
    while (true) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop) return;
            const auto now = monotonicNow();
            if (m_pushRequested) {
                m_pushRequested = false;
                m_pushDue = now;
                // While enrolling, the backoff is the enrollment's: a claim queued meanwhile must not
                // turn it into one enrollment call per claim.
                if (m_enrollment != Enrollment::Pending) m_backoff = milliseconds{0};
            }
            if (m_configRequested) {
                m_configRequested = false;
                m_configDue = now;
            }
        }
        // Never let an exception (bad_alloc …) end the thread silently: report it and back off.
        try {
            // Without a credential every other call would only be refused: enroll first.
            if (m_enrollment == Enrollment::Pending) {
                if (monotonicNow() >= m_enrollDue) enrollOnce();
            } else if (m_enrollment != Enrollment::Refused) {
                if (monotonicNow() >= m_pushDue) pushOnce();
                if (monotonicNow() >= m_configDue) pullConfig();
                if (monotonicNow() >= m_heartbeatDue) {
                    if (!m_unsavedCredential.empty()) saveCredential();
                    sendHeartbeat();
                }
            }
            if (monotonicNow() >= m_pruneDue) pruneOnce();
        } catch (const std::exception& e) {
            std::lock_guard lock(m_mutex);
            m_status.lastError = std::string("sync worker: ") + e.what();
            m_pushDue = monotonicNow() + nextBackoff();
            if (m_enrollment == Enrollment::Pending) m_enrollDue = m_pushDue;
        }
        publishStatus();

        std::unique_lock lock(m_mutex);
        const auto now = monotonicNow();
        const auto due = m_enrollment == Enrollment::Pending ? std::min(m_enrollDue, m_pruneDue)
                         : m_enrollment == Enrollment::Refused
                             ? m_pruneDue
                             : std::min({m_pushDue, m_configDue, m_heartbeatDue, m_pruneDue});
        const auto sleep = due <= now ? milliseconds{0} : std::min(due - now, kMaxSleep);
        if (sleep.count() > 0)
            m_wake.wait_for(lock, sleep, [this] { return m_stop || m_pushRequested || m_configRequested; });
    }
}

void SyncWorker::enrollOnce() {
    if (m_proposedCredential.empty()) {
        auto proposal = loadOrMakeProposal(pendingCredentialFile(m_options.credentialFile));
        if (!proposal) {
            // Sent unsaved, a lost answer would leave the kiosk unable to enroll with this code again.
            m_enrollDue = monotonicNow() + nextBackoff();
            std::lock_guard lock(m_mutex);
            m_status.lastError =
                "enrollment: cannot save the credential proposal: " + proposal.error().message;
            return;
        }
        m_proposedCredential = std::move(*proposal);
    }
    const auto sentAt = monotonicNow();
    const auto sentWall = m_clock.now();
    auto answer = m_client.enroll(m_options.enrollmentCode, m_proposedCredential);
    if (!answer) {
        const auto& error = answer.error();
        // Only central's own refusal (its JSON error code: unknown, used or expired code, another
        // kiosk's) ends the retries; a bare 401/403 could come from something between shop and central.
        const bool refused = error.definitive() && !error.code.empty();
        auto delay = nextBackoff();
        if (error.retryAfter) delay = std::max(delay, milliseconds(*error.retryAfter));
        m_enrollDue = refused ? kNever : monotonicNow() + delay;
        if (refused) {
            m_enrollment = Enrollment::Refused;
            // Refused, the proposal is worth nothing (central either never stored it or will not answer
            // it again): the next life, with a new code, starts from a fresh one.
            m_proposedCredential.clear();
            forgetProposal(m_options.credentialFile);
        }
        std::lock_guard lock(m_mutex);
        m_status.online = false;  // without a credential central can do nothing for this kiosk's shoppers
        m_status.enrollment = m_enrollment;
        m_status.lastError =
            (refused ? "enrollment refused (staff: enter a new enrollment code): " : "enrollment: ") +
            describe(error);
        return;
    }
    learnOffset(*answer, sentAt, sentWall);
    m_client.setCredential(answer->credential);
    m_enrollment = Enrollment::Enrolled;
    m_backoff = milliseconds{0};
    const auto now = monotonicNow();
    m_pushDue = m_configDue = m_heartbeatDue = now;  // the outbox drains without a restart
    {
        std::lock_guard lock(m_mutex);
        m_status.online = true;
        m_status.enrollment = m_enrollment;
        m_status.lastError.clear();
    }
    m_unsavedCredential = answer->credential;
    saveCredential();
    if (m_events.enrolled) m_events.enrolled(answer->credential);
}

void SyncWorker::saveCredential() {
    auto saved = writeCredentialFile(m_options.credentialFile, m_unsavedCredential);
    if (saved) {
        m_unsavedCredential.clear();
        forgetProposal(m_options.credentialFile);
        return;
    }
    // The credential works from memory; until the file is written the next start has only the proposal
    // and must ask central again. Tried again with every heartbeat.
    std::lock_guard lock(m_mutex);
    m_status.lastError =
        "credential not saved to " + m_options.credentialFile.string() + ": " + saved.error().message;
}

void SyncWorker::pruneOnce() {
    const auto settledBefore =
        centralNow() - std::chrono::duration_cast<std::chrono::seconds>(m_options.keepSettled).count();
    auto removed = m_store.pruneSettled(settledBefore, kPruneBatch);
    if (!removed) {
        m_pruneDue = monotonicNow() + kPruneInterval;
        std::lock_guard lock(m_mutex);
        m_status.lastError = "outbox prune: " + removed.error().message;
        return;
    }
    // Something was removed: more may be waiting. The next step comes at the next turn of the loop,
    // after any other due work, so the store's write lock is only ever held for one small batch.
    m_pruneDue = monotonicNow() + (*removed > 0 ? milliseconds{0} : kPruneInterval);
}

void SyncWorker::pushOnce() {
    const auto now = monotonicNow();
    const std::size_t limit = m_singlesLeft > 0 ? 1 : m_options.batchSize;
    auto batch = m_store.pendingBatch(limit);
    if (!batch) {
        std::lock_guard lock(m_mutex);
        m_status.lastError = "outbox: " + batch.error().message;
        m_pushDue = now + nextBackoff();
        return;
    }
    if (batch->empty()) {
        m_pushDue = kNever;  // woken by syncNow() after the next enqueue, or by a "resync" command
        m_backoff = milliseconds{0};
        return;
    }

    std::vector<net::ClaimRequest> requests;
    std::vector<std::string> keys;
    requests.reserve(batch->size());
    for (const auto& entry : *batch) {
        const auto& c = entry.claim;
        requests.push_back(net::ClaimRequest{entry.idempotencyKey, c.token, c.phone, c.acceptedAt,
                                             c.consentJoin, c.consentMarketing, c.consentTextVersion});
        keys.push_back(entry.idempotencyKey);
    }

    const auto sentAt = monotonicNow();
    const auto sentWall = m_clock.now();
    auto answer = m_client.claimBatch(requests);
    if (!answer) {
        const auto& error = answer.error();
        // A batch central refuses as a whole (one malformed claim?) is retried one claim at a time, so
        // each claim gets its own definitive answer instead of blocking the rest.
        if (error.kind == net::ErrorKind::Refused && requests.size() > 1) {
            m_singlesLeft = requests.size();
            m_pushDue = now;
            return;
        }
        (void)m_store.noteAttempt(keys, describe(error));
        m_pushUnreachable = !centralAnswered(error);
        auto delay = nextBackoff();
        if (error.retryAfter) delay = std::max(delay, milliseconds(*error.retryAfter));
        m_pushDue = monotonicNow() + delay;
        std::lock_guard lock(m_mutex);
        m_status.online = centralAnswered(error);
        m_status.lastError = describe(error);
        return;
    }
    learnOffset(*answer, sentAt, sentWall);
    m_pushUnreachable = false;

    std::vector<Settlement> settlements;
    std::vector<std::string> retryKeys;
    std::vector<ClaimSettled> settled;
    const auto at = centralNow();
    for (const auto& outcome : answer->outcomes) {
        switch (outcome.status) {
            case net::ClaimOutcome::Status::Accepted:
                settlements.push_back(Settlement{outcome.idempotencyKey, true, outcome.pointsEarned,
                                                 outcome.balance, "", "", at});
                settled.push_back(ClaimSettled{outcome.idempotencyKey, outcome});
                break;
            case net::ClaimOutcome::Status::Refused:
                settlements.push_back(
                    Settlement{outcome.idempotencyKey, false, 0, 0, outcome.code, outcome.reason, at});
                settled.push_back(ClaimSettled{outcome.idempotencyKey, outcome});
                break;
            case net::ClaimOutcome::Status::Retry:
                retryKeys.push_back(outcome.idempotencyKey);
                break;
        }
    }
    if (auto ok = m_store.settle(settlements); !ok) {
        // Central has them; the next push sends the same keys and central answers the same again.
        std::lock_guard lock(m_mutex);
        m_status.lastError = "outbox: " + ok.error().message;
        m_pushDue = monotonicNow() + nextBackoff();
        return;
    }
    if (m_singlesLeft > 0) m_singlesLeft -= std::min(m_singlesLeft, requests.size());
    if (m_events.claimSettled)
        for (const auto& s : settled) m_events.claimSettled(s);

    if (!retryKeys.empty()) {
        (void)m_store.noteAttempt(retryKeys, "central asked to retry");
        m_pushDue = monotonicNow() + nextBackoff();
    } else {
        m_backoff = milliseconds{0};
        m_pushDue = monotonicNow();  // more may be waiting: go on until the outbox is empty
    }
    std::lock_guard lock(m_mutex);
    m_status.online = true;
    m_status.lastError.clear();
}

void SyncWorker::pullConfig() {
    const auto now = monotonicNow();
    std::string etag;
    if (auto cached = m_store.loadConfig(); cached && cached->has_value()) etag = (*cached)->etag;
    const auto sentAt = monotonicNow();
    const auto sentWall = m_clock.now();
    auto answer = m_client.pullConfig(etag);
    if (!answer) {
        m_configDue = now + std::min(m_options.configInterval, kConfigRetry);
        std::lock_guard lock(m_mutex);
        m_status.online = centralAnswered(answer.error());
        m_status.lastError = "config: " + describe(answer.error());
        return;
    }
    learnOffset(*answer, sentAt, sentWall);
    pushIfReconnected();
    m_configDue = now + m_options.configInterval;
    if (answer->notModified) return;
    // A configuration the kiosk cannot run on never replaces the last good one; asked again at the next
    // interval (central's ETag changes once someone fixes it).
    if (m_events.validateConfig) {
        if (auto why = m_events.validateConfig(answer->body)) {
            std::lock_guard lock(m_mutex);
            m_status.lastError = "config refused: " + *why;
            return;
        }
    }
    CachedConfig config{answer->etag, answer->body, centralNow()};
    if (auto saved = m_store.saveConfig(config); !saved) {
        m_configDue = now + kConfigRetry;
        std::lock_guard lock(m_mutex);
        m_status.lastError = "config: " + saved.error().message;
        return;
    }
    if (m_events.configChanged) m_events.configChanged(config);
}

void SyncWorker::sendHeartbeat() {
    const auto now = monotonicNow();
    net::Heartbeat beat;
    beat.version = m_options.version;
    beat.uptimeSeconds = std::chrono::duration_cast<std::chrono::seconds>(now - m_startedAt).count();
    beat.outboxDepth = m_store.outboxDepth().value_or(-1);
    if (m_events.deviceHealth) beat.health = m_events.deviceHealth();
    if (!m_unknownCommands.empty()) beat.health["unknown_commands"] = joined(m_unknownCommands);
    const auto sentWall = m_clock.now();
    auto answer = m_client.heartbeat(beat);
    m_heartbeatDue = now + m_options.heartbeatInterval;
    if (!answer) {
        std::lock_guard lock(m_mutex);
        m_status.online = centralAnswered(answer.error());
        m_status.lastError = "heartbeat: " + describe(answer.error());
        return;
    }
    learnOffset(*answer, now, sentWall);
    pushIfReconnected();
    m_unknownCommands.clear();  // acknowledged by the heartbeat that just got its answer
    for (const auto& command : answer->commands) {
        bool known = false;
        if (command == "resync") {
            m_pushDue = monotonicNow();
            m_backoff = milliseconds{0};
            known = true;
        } else if (command == "reload_config") {
            m_configDue = monotonicNow();
            known = true;
        }
        // Other commands belong to other parts of the kiosk (updates, maintenance) or a newer release.
        if (m_events.command && m_events.command(command)) known = true;
        if (!known) m_unknownCommands.push_back(command);
    }
    if (!m_unknownCommands.empty()) {
        spdlog::warn("heartbeat: unknown command(s) {} from central, acknowledged as unknown",
                     joined(m_unknownCommands));
    }
    std::lock_guard lock(m_mutex);
    m_status.online = true;
}

void SyncWorker::pushIfReconnected() {
    // Central answers again after pushes could not reach it: drain now instead of sleeping out a
    // backoff that may have grown to minutes while the shop was offline.
    if (!m_pushUnreachable) return;
    m_pushUnreachable = false;
    if (m_pushDue != kNever) {
        m_pushDue = monotonicNow();
        m_backoff = milliseconds{0};
    }
}

void SyncWorker::learnOffset(const net::Answer& answer, milliseconds sentAt, loyalty::UnixSeconds sentWall) {
    if (!answer.serverTime) return;
    const auto roundTrip = monotonicNow() - sentAt;
    if (roundTrip > kMaxOffsetRoundTrip) return;
    // Central stamped its time somewhere during the round trip; its middle is the best local estimate.
    const auto localMid = sentWall + std::chrono::duration_cast<std::chrono::seconds>(roundTrip / 2).count();
    const auto offset = *answer.serverTime - localMid;
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        // Whole-second timestamps jitter by one: ignore that, so the stored offset does not flap.
        if (std::abs(offset - m_clockOffset) > 1) {
            m_clockOffset = offset;
            m_status.clockOffsetSeconds = offset;
            changed = true;
        }
    }
    if (changed) (void)m_store.saveClockOffset(offset);
}

void SyncWorker::publishStatus() {
    const auto depth = m_store.outboxDepth();
    SyncStatus snapshot;
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        if (depth) m_status.outboxDepth = *depth;
        changed = m_status.online != m_published.online || m_status.outboxDepth != m_published.outboxDepth ||
                  m_status.clockOffsetSeconds != m_published.clockOffsetSeconds ||
                  m_status.lastError != m_published.lastError ||
                  m_status.enrollment != m_published.enrollment;
        m_published = m_status;
        snapshot = m_status;
    }
    if (changed && m_events.statusChanged) m_events.statusChanged(snapshot);
}

milliseconds SyncWorker::nextBackoff() {
    // Exponential, capped, with "equal jitter": half fixed, half random, so a fleet of kiosks coming
    // back after an outage does not hit central in lock-step.
    m_backoff =
        m_backoff.count() == 0 ? m_options.initialBackoff : std::min(m_backoff * 2, m_options.maxBackoff);
    const auto half = m_backoff.count() / 2;
    std::uniform_int_distribution<std::int64_t> spread(0, std::max<std::int64_t>(half, 0));
    return milliseconds(m_backoff.count() - half + spread(m_jitter));
}

}  // namespace kiosk::sync
