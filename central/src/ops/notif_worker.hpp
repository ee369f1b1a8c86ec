#pragma once
// The delivery worker of the notification outbox (docs/notifications.md): a thread that claims due
// messages in batches, checks the marketing rules again at send time (consent now, the chain's quiet
// hours, at most K a week per member), hands them to the provider through a NotifTransport on a few
// sender threads, and writes every outcome back in one transaction per batch: sent; retried with
// exponential backoff and jitter on a timeout, 5xx or 429; dead-lettered on any other 4xx or after the
// last attempt. Once a local day it queues the points and voucher expiry reminders and the tier-at-risk
// warnings.
// Claims first: the worker and its senders run at a lower CPU priority than request threads, and
// before each of its write transactions the worker waits while claims are queued for the write lock.
// Several central processes may run one each: a claimed message is leased, and the provider drops a
// copy by its idempotency key.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "central/database.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/tier.hpp"
#include "ops/notif_senders.hpp"
#include "store/notif_store.hpp"

namespace central {

struct NotifRules {
    int maxAttempts = 10;
    int backoffBaseSeconds = 2;   ///< first retry after base..2*base (jitter), doubling each time
    int backoffMaxSeconds = 900;  ///< cap of one wait
    int quietStartHour = 21;      ///< local time: no marketing from this hour …
    int quietEndHour = 8;         ///< … to this one
    int marketingPerWeek = 2;     ///< K
    int expiryReminderDays = 7;   ///< points expiring within N days get a reminder
    int voucherReminderDays = 3;
    int tierRiskDays = 14;  ///< a tier falling within N days gets a warning
    std::size_t batch = 500;
    int pollMs = 200;  ///< real milliseconds between looks at an empty outbox
};

/// The outcome of a delivery attempt (pure: exposed for unit tests). `random01` in [0, 1) picks the
/// jitter.
[[nodiscard]] NotifOutcome outcomeOf(const NotifMessage& message, const NotifSendResult& result,
                                     const NotifRules& rules, loyalty::UnixSeconds now, double random01);
/// When marketing may be sent next: `now` outside quiet hours, else the end of the quiet hours.
[[nodiscard]] loyalty::UnixSeconds marketingAllowedAt(loyalty::UnixSeconds now, const NotifRules& rules);

/// What the daily job reads from the campaign, again each day.
struct NotifCampaign {
    unsigned pointsExpiryMonths = 0;          ///< 0 = points never expire
    std::optional<loyalty::TierRules> tiers;  ///< none when the catalog cannot be read: no tier warnings
};

/// Claims first: the longest the worker holds one of its write transactions back while claims wait.
constexpr auto kNotifMaxYield = std::chrono::milliseconds(250);

/// What the worker asks of the rest of central; both called on the worker thread.
struct NotifHooks {
    std::function<NotifCampaign()> campaign;  ///< once a day
    std::function<bool()> claimsWaiting;      ///< before each write transaction; never blocks
};

class NotifWorker {
  public:
    using TransportFactory = std::function<std::unique_ptr<NotifTransport>()>;
    /// `senders` transports and their threads are made up front. Starts the worker thread; the
    /// destructor stops and joins it (a batch in flight is finished).
    NotifWorker(Database& db, const loyalty::Clock& clock, NotifRules rules, std::size_t senders,
                const TransportFactory& factory, NotifHooks hooks);
    ~NotifWorker();
    NotifWorker(const NotifWorker&) = delete;
    NotifWorker& operator=(const NotifWorker&) = delete;

  private:
    void run();
    /// One batch: claimed, gated, sent, settled. The number of messages claimed.
    std::size_t deliverBatch();
    /// Outcomes decided without sending (no consent, quiet hours, weekly cap), or nullopt to send.
    [[nodiscard]] DbResult<std::optional<NotifOutcome>> gate(Connection& c, const NotifMessage& message,
                                                             loyalty::UnixSeconds now);
    void dailyJob();
    /// Claims first: waits while claims are queued for the write lock, at most kNotifMaxYield (a steady
    /// stream of claims slows the drain, it cannot stop it).
    void yieldToClaims() const;

    Database& m_db;
    const loyalty::Clock& m_clock;
    NotifRules m_rules;
    NotifHooks m_hooks;
    std::unique_ptr<NotifSenders> m_senders;
    std::int64_t m_lastDailyRun = -1;  ///< local day number of the last daily job
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace central
