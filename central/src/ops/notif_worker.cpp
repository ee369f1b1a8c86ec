#include "ops/notif_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include "loyalty/time.hpp"
#include "ops/notif_events.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

/// How long a claimed message stays with its worker before another may take it (clock seconds); far
/// above a batch's sending time.
constexpr loyalty::UnixSeconds kLeaseSeconds = 120;
constexpr loyalty::UnixSeconds kWeekSeconds = 7 * loyalty::kSecondsPerDay;
constexpr std::size_t kMembersPerTransaction = 200;
/// Claims first: how often the worker looks whether the claims queued for the write lock are gone.
constexpr auto kYieldStep = std::chrono::microseconds(500);

bool retryable(int status) {
    return status == 0 || status == 408 || status == 429 || status >= 500;
}

}  // namespace

NotifOutcome outcomeOf(const NotifMessage& m, const NotifSendResult& result, const NotifRules& rules,
                       loyalty::UnixSeconds now, double random01) {
    NotifOutcome o{m.id, "sent", now, "", true};
    if (result.status >= 200 && result.status < 300) return o;
    o.error = result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error;
    if (!retryable(result.status) || m.attempts + 1 >= rules.maxAttempts) {
        o.state = "dead";
        return o;
    }
    // Exponential backoff with jitter: base * 2^attempts, capped, then between half and all of it, so
    // the messages of an outage do not come back at the provider in one wave.
    const double full = std::min<double>(
        rules.backoffMaxSeconds, rules.backoffBaseSeconds * std::pow(2.0, static_cast<double>(m.attempts)));
    o.state = "pending";
    o.nextAttemptAt = now + std::max<loyalty::UnixSeconds>(
                                1, static_cast<loyalty::UnixSeconds>(full * (0.5 + random01 / 2)));
    return o;
}

loyalty::UnixSeconds marketingAllowedAt(loyalty::UnixSeconds now, const NotifRules& rules) {
    const auto local = loyalty::localDateTime(now);
    const int start = rules.quietStartHour;
    const int end = rules.quietEndHour;
    const bool quiet = start == end  ? false
                       : start < end ? local.hour >= start && local.hour < end
                                     : local.hour >= start || local.hour < end;
    if (!quiet) return now;
    auto day = loyalty::startOfLocalDay(local.date);
    if (local.hour >= end) day += loyalty::kSecondsPerDay;  // the quiet hours end tomorrow
    return day + static_cast<loyalty::UnixSeconds>(end) * 3600;
}

NotifWorker::NotifWorker(Database& db, const loyalty::Clock& clock, NotifRules rules, std::size_t senders,
                         const TransportFactory& factory, NotifHooks hooks)
    : m_db(db), m_clock(clock), m_rules(rules), m_hooks(std::move(hooks)) {
    std::vector<std::unique_ptr<NotifTransport>> transports;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, senders); ++i) transports.push_back(factory());
    m_senders = std::make_unique<NotifSenders>(std::move(transports));
    m_thread = std::thread([this] {
        lowerThreadPriority();
        run();
    });
}

NotifWorker::~NotifWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void NotifWorker::run() {
    while (true) {
        std::size_t claimed = 0;
        try {
            dailyJob();
            claimed = deliverBatch();
        } catch (const std::exception& e) {
            spdlog::error("notify worker: {}", e.what());
        }
        std::unique_lock lock(m_mutex);
        if (m_stop) return;
        if (claimed < m_rules.batch)
            m_wake.wait_for(lock, std::chrono::milliseconds(m_rules.pollMs), [this] { return m_stop; });
        if (m_stop) return;
    }
}

DbResult<std::optional<NotifOutcome>> NotifWorker::gate(Connection& c, const NotifMessage& m,
                                                        loyalty::UnixSeconds now) {
    if (!m.marketing) return std::nullopt;
    NotifStore store(c);
    auto consent = store.marketingConsent(m.memberId);
    if (!consent) return std::unexpected(consent.error());
    if (!*consent) return NotifOutcome{m.id, "suppressed", now, "no marketing consent", false};
    if (const auto at = marketingAllowedAt(now, m_rules); at > now)
        return NotifOutcome{m.id, "pending", at, "quiet hours", false};
    auto sent = store.marketingSentSince(m.memberId, now - kWeekSeconds);
    if (!sent) return std::unexpected(sent.error());
    if (*sent >= m_rules.marketingPerWeek)
        return NotifOutcome{m.id, "suppressed", now, "weekly marketing cap reached", false};
    return std::nullopt;
}

void NotifWorker::yieldToClaims() const {
    const auto until = std::chrono::steady_clock::now() + kNotifMaxYield;
    while (m_hooks.claimsWaiting() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(kYieldStep);
}

std::size_t NotifWorker::deliverBatch() {
    yieldToClaims();
    const auto now = m_clock.now();
    auto claimed = transact(m_db, [&](Connection& c) -> std::expected<std::vector<NotifMessage>, ApiError> {
        auto rows = NotifStore(c).claimDue(now, now + kLeaseSeconds, m_rules.batch);
        if (!rows) return std::unexpected(storageError(rows.error()));
        return std::move(*rows);
    });
    if (!claimed) {
        spdlog::warn("notify worker: cannot claim messages: {}", claimed.error().messageEn);
        return 0;
    }
    if (claimed->empty()) return 0;
    std::vector<NotifOutcome> outcomes;
    std::vector<const NotifMessage*> toSend;
    {
        auto lease = m_db.lease();
        if (!lease) return 0;  // the lease runs out and the messages come back
        std::map<std::int64_t, int> marketingInBatch;
        for (const auto& m : *claimed) {
            auto decided = gate(**lease, m, now);
            if (!decided) return 0;
            if (*decided) {
                outcomes.push_back(**decided);
            } else if (m.marketing && ++marketingInBatch[m.memberId] > 1) {
                // One promotion per member per batch: the next waits for the weekly cap's count.
                outcomes.push_back(NotifOutcome{m.id, "pending", now + 1, "", false});
            } else {
                toSend.push_back(&m);
            }
        }
    }
    const auto results = m_senders->send(toSend);
    static thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    const auto after = m_clock.now();
    for (std::size_t i = 0; i < toSend.size(); ++i) {
        outcomes.push_back(outcomeOf(*toSend[i], results[i], m_rules, after, jitter(random)));
        if (outcomes.back().state == "dead")
            spdlog::warn("notify: message {} dead-lettered: {}", toSend[i]->key, outcomes.back().error);
    }
    yieldToClaims();
    auto settled = transact(m_db, [&](Connection& c) -> std::expected<bool, ApiError> {
        if (auto done = NotifStore(c).settle(outcomes, after); !done)
            return std::unexpected(storageError(done.error()));
        return true;
    });
    if (!settled) spdlog::warn("notify worker: outcomes not stored: {}", settled.error().messageEn);
    return claimed->size();
}

void NotifWorker::dailyJob() {
    const auto now = m_clock.now();
    const auto today = loyalty::startOfLocalDay(loyalty::localDate(now));
    if (today == m_lastDailyRun) return;
    const auto campaign = m_hooks.campaign();
    // Members who earned within the tier window can hold a tier (a year by default).
    const auto earnedSince =
        campaign.tiers ? now - campaign.tiers->windowDays() * loyalty::kSecondsPerDay : now;
    std::int64_t after = 0, added = 0, atRisk = 0;
    while (true) {
        struct Page {
            std::int64_t last = -1;  ///< the last member id, -1 = no more
            std::int64_t reminders = 0;
            std::int64_t atRisk = 0;
        };
        auto page = transact(m_db, [&](Connection& c) -> std::expected<Page, ApiError> {
            NotifStore store(c);
            auto members = store.membersToRemind(after, earnedSince, kMembersPerTransaction);
            if (!members) return std::unexpected(storageError(members.error()));
            Page out;
            for (const auto& m : *members) {
                auto entries = store.entriesOf(m.memberId);
                if (!entries) return std::unexpected(storageError(entries.error()));
                auto one = enqueueExpiryReminders(c, m, *entries, campaign.pointsExpiryMonths, now,
                                                  static_cast<unsigned>(m_rules.expiryReminderDays));
                if (!one) return std::unexpected(storageError(one.error()));
                out.reminders += *one;
                if (!campaign.tiers) continue;
                auto risk = enqueueTierRisk(c, m, *entries, *campaign.tiers, now,
                                            static_cast<unsigned>(m_rules.tierRiskDays));
                if (!risk) return std::unexpected(storageError(risk.error()));
                out.atRisk += *risk;
            }
            out.last = members->empty() ? -1 : members->back().memberId;
            return out;
        });
        if (!page) return;  // tried again at the next look
        if (page->last < 0) break;
        after = page->last;
        added += page->reminders;
        atRisk += page->atRisk;
    }
    auto vouchers = transact(m_db, [&](Connection& c) -> std::expected<std::int64_t, ApiError> {
        auto n = enqueueVoucherReminders(c, now, static_cast<unsigned>(m_rules.voucherReminderDays));
        if (!n) return std::unexpected(storageError(n.error()));
        return *n;
    });
    if (!vouchers) return;
    m_lastDailyRun = today;
    spdlog::info("notify daily job: points_expiring={} voucher_expiring={} tier_at_risk={}", added, *vouchers,
                 atRisk);
}

}  // namespace central
