#pragma once
// The kiosk's sync thread: a Scheduler running its jobs (kiosk/sync/src/jobs/) — the enroller (trades
// the one-time code for a credential), the outbox pusher, the config puller, the heartbeat (publishes
// central's commands to its subscribers), the pruner of settled entries and, when configured, the
// update agent (kiosk/sync/updater.hpp) — over the kiosk's store and
// one client of central; it learns the clock offset to central on the way.
//
// Contract
// - One background thread, started by start() and joined by stop() / the destructor. Public methods
//   are thread-safe and never block on the network (syncNow() and reloadConfigNow() only wake it).
// - The callbacks in SyncEvents run ON THE SYNC THREAD: copy what they carry into an event for the
//   UI inbox and return quickly; they must not call back into the worker's stop().
// - Outbox entries are marked done only on a definitive answer from central (accepted or refused);
//   anything else (timeout, reset, 5xx, a garbled or hostile answer) keeps them pending and is retried
//   with exponential backoff and jitter. A refusal is recorded with its reason for staff.
// - Without a credential but with SyncOptions::enrollmentCode, the worker only enrolls (with the same
//   backoff) until central answers; then everything else starts at once, without a restart. The
//   credential it proposes is on disk (pendingCredentialFile) before it is sent, so an answer lost to a
//   dropped connection, a kill or a power cut is asked for again and given again.
// - Settled entries older than SyncOptions::keepSettled are deleted in steps of a few hundred rows;
//   pending entries and refusals staff have not acknowledged never are.
// - Staff actions (StaffLog) are sent by their own job, deleted locally once central answered.
// - Time (backoff, intervals, offset learning) reads the hal::Clock given, never the system clock, so
//   tests can move it; after moving a manual clock call syncNow() or wait ≤ 1 s for the worker to see it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hal/clock.hpp"
#include "kiosk/sync/local_store.hpp"
#include "kiosk/sync/scheduler.hpp"
#include "kiosk/sync/updater.hpp"
#include "network/central_client.hpp"

namespace kiosk::sync {

struct SyncOptions {
    std::size_t batchSize = 100;                    ///< claims per POST /v1/claims
    std::chrono::milliseconds initialBackoff{500};  ///< after the first transient failure
    std::chrono::milliseconds maxBackoff{300'000};  ///< backoff ceiling (5 min)
    std::chrono::milliseconds heartbeatInterval{60'000};
    std::chrono::milliseconds configInterval{300'000};  ///< config pull (ETag) period
    std::string version;                                ///< reported in heartbeats
    /// One-time enrollment code, traded for the kiosk credential while the client has none; retried with
    /// the backoff until central gives a credential or refuses the code. Empty: never enroll.
    std::string enrollmentCode;
    /// Where the credential from enrollment is kept (0600, written atomically). Required with a code;
    /// its proposal waits next to it (pendingCredentialFile) until central has answered.
    std::filesystem::path credentialFile;
    /// Settled outbox entries and acknowledged refusals older than this (by central's clock) are
    /// deleted. Keep it at least the receipt age window: the outbox row is what refuses a receipt
    /// scanned twice at this kiosk before anything is sent.
    std::chrono::seconds keepSettled{std::chrono::days{30}};
    /// The update agent (docs/fleet.md): off without options; `updateControl` is shared with the app.
    std::optional<UpdaterOptions> updater;
    std::shared_ptr<UpdateControl> updateControl;
};

/// Where the kiosk stands with its credential.
enum class Enrollment {
    NotNeeded,  ///< the client had a credential (or no enrollment code was given)
    Pending,    ///< trading the enrollment code; nothing else is sent until it succeeds
    Enrolled,   ///< enrolled by this worker; the credential is in use and saved
    Refused,    ///< central refused the code (unknown, used, expired, another kiosk's): staff must give a
                ///< new one; the worker sends nothing more (lastError says why)
};

/// A snapshot for the UI and the maintenance screen.
struct SyncStatus {
    bool online = false;  ///< the last call reached central and got an answer (never while not enrolled)
    std::int64_t outboxDepth = 0;         ///< pending claims
    std::int64_t clockOffsetSeconds = 0;  ///< central time minus kiosk time
    std::int64_t lastRoundTripMs = -1;    ///< the last answered call's round trip; -1: none yet
    std::string lastError;                ///< empty when the last exchange succeeded
    Enrollment enrollment = Enrollment::NotNeeded;
};

/// The outcome of a claim that central settled (accepted or refused) — for the screen showing it.
struct ClaimSettled {
    std::string idempotencyKey;
    net::ClaimOutcome outcome;
};

struct SyncEvents {
    std::function<void(const ClaimSettled&)> claimSettled;   ///< per settled outbox entry
    std::function<void(const CachedConfig&)> configChanged;  ///< a new configuration was stored
    /// Checks a configuration central sent before it replaces the last good copy: returns why it is
    /// unusable (a campaign that does not parse …), or nothing to accept it. Unset: any JSON object.
    std::function<std::optional<std::string>(const std::string& body)> validateConfig;
    std::function<void(const SyncStatus&)> statusChanged;              ///< online/offline, depth, errors
    std::function<std::map<std::string, std::string>()> deviceHealth;  ///< sampled for heartbeats
    /// The kiosk just enrolled: the worker's own client already uses this credential and it is saved
    /// (or being retried); hand it to the kiosk's other CentralClients (setCredential is thread-safe).
    std::function<void(const std::string& credential)> enrolled;
    /// Every command of a heartbeat answer is published here (after the worker carried out its own:
    /// "resync", "reload_config"); return true when the kiosk carries it out. A command nobody carries
    /// out is logged and acknowledged as unknown in the next heartbeat's health
    /// ("unknown_commands": "a,b"), never dropped silently. Runs on the sync thread.
    std::function<bool(const net::Command& command)> command;
};

class Link;
class OutboxPusher;
class ConfigPuller;
class Heartbeat;
class StaffLogPusher;

class SyncWorker {
  public:
    /// `store` and `clock` must outlive the worker; the client is owned by it (used only on its thread).
    SyncWorker(LocalStore& store, net::CentralClient client, hal::Clock& clock, SyncOptions options,
               SyncEvents events);
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();
    /// Wakes the thread, lets the current call finish (≤ the client's timeouts) and joins it.
    void stop();

    /// Push the outbox now, forgetting any backoff (after enqueue, on a "resync" command, on reconnect).
    void syncNow();
    /// Pull the configuration now.
    void reloadConfigNow();
    /// Send a heartbeat now (its health sampled from SyncEvents::deviceHealth after this call);
    /// `answered(true)` on the sync thread once central answered it, `answered(false)` when it failed or
    /// cannot be sent at all (not enrolled). Used for the shopper's call for staff.
    void heartbeatNow(std::function<void(bool answered)> answered);
    /// Send the staff actions recorded in the store now (after each one is recorded).
    void sendStaffLogNow();

    [[nodiscard]] SyncStatus status() const;

    /// Central's time as the kiosk best knows it: the clock's wall time plus the learned offset.
    [[nodiscard]] loyalty::UnixSeconds centralNow() const;

  private:
    LocalStore& m_store;
    std::unique_ptr<Link> m_link;
    std::vector<std::unique_ptr<Job>> m_jobs;  ///< in registration order
    OutboxPusher* m_pusher = nullptr;          ///< nudged by syncNow() and on reconnect
    ConfigPuller* m_configPuller = nullptr;    ///< nudged by reloadConfigNow()
    Heartbeat* m_heartbeat = nullptr;          ///< nudged when the update agent has news
    StaffLogPusher* m_staffLog = nullptr;      ///< nudged by sendStaffLogNow()
    Scheduler m_scheduler;                     ///< last: its thread stops before the jobs go
};

}  // namespace kiosk::sync
