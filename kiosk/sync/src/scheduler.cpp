#include "kiosk/sync/scheduler.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "hal/clock.hpp"

namespace kiosk::sync {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kNever = milliseconds::max();
/// Longest real-time sleep: the thread re-reads the (possibly manual) clock at least this often.
constexpr milliseconds kMaxSleep{1000};

}  // namespace

Scheduler::Scheduler(hal::Clock& clock, BackoffPolicy backoff, Hooks hooks)
    : m_clock(clock), m_policy(backoff), m_hooks(std::move(hooks)), m_jitter(std::random_device{}()) {}

Scheduler::~Scheduler() {
    stop();
}

void Scheduler::add(Job& job) {
    m_entries.push_back(Entry{&job, milliseconds{0}, milliseconds{0}});
}

void Scheduler::nudge(Job& job) {
    {
        std::lock_guard lock(m_mutex);
        m_nudged.push_back(&job);
    }
    m_wake.notify_all();
}

milliseconds Scheduler::monotonicNow() const {
    return milliseconds(m_clock.monotonicMs());
}

void Scheduler::applyNudges() {
    std::vector<Job*> nudged;
    {
        std::lock_guard lock(m_mutex);
        nudged.swap(m_nudged);
    }
    const auto now = monotonicNow();
    for (Job* job : nudged) {
        for (auto& entry : m_entries) {
            if (entry.job != job) continue;
            entry.due = std::min(entry.due, now);
            entry.backoff = milliseconds{0};
        }
    }
}

std::size_t Scheduler::runDue() {
    applyNudges();
    const auto now = monotonicNow();
    std::vector<Entry*> due;
    for (auto& entry : m_entries)
        if (entry.due <= now && entry.job->ready()) due.push_back(&entry);
    // Earliest due first; stable, so registration order decides between equals.
    std::stable_sort(due.begin(), due.end(), [](const Entry* a, const Entry* b) { return a->due < b->due; });
    std::size_t ran = 0;
    for (Entry* entry : due) {
        // An earlier job of this turn may have changed what may run (enrollment refused …).
        if (!entry->job->ready()) continue;
        ++ran;
        const auto started = monotonicNow();
        try {
            schedule(*entry, entry->job->run(), started);
        } catch (const std::exception& e) {
            if (m_hooks.failed) m_hooks.failed(entry->job->name(), e.what());
            schedule(*entry, Next::retry(), started);
        }
    }
    if (m_hooks.afterTurn) m_hooks.afterTurn();
    return ran;
}

void Scheduler::schedule(Entry& entry, const Next& next, milliseconds started) {
    switch (next.kind()) {
        case Next::Kind::After:
            // A period counts from the start of the run: a slow answer does not stretch the interval.
            entry.backoff = milliseconds{0};
            entry.due = started + next.delay();
            break;
        case Next::Kind::WhenNudged:
            entry.backoff = milliseconds{0};
            entry.due = kNever;
            break;
        case Next::Kind::Retry:
            // A backoff counts from the failure: a call that timed out slowly is not retried at once.
            entry.due = monotonicNow() + std::max(nextBackoff(entry), next.delay());
            break;
    }
}

milliseconds Scheduler::nextBackoff(Entry& entry) {
    // Exponential, capped, with "equal jitter": half fixed, half random, so a fleet of kiosks coming
    // back after an outage does not hit central in lock-step.
    entry.backoff = entry.backoff.count() == 0 ? m_policy.initial : std::min(entry.backoff * 2, m_policy.max);
    const auto half = entry.backoff.count() / 2;
    std::uniform_int_distribution<std::int64_t> spread(0, std::max<std::int64_t>(half, 0));
    return milliseconds(entry.backoff.count() - half + spread(m_jitter));
}

milliseconds Scheduler::untilNextDue() {
    applyNudges();
    const auto now = monotonicNow();
    auto next = kNever;
    for (const auto& entry : m_entries)
        if (entry.due != kNever && entry.job->ready())
            next = std::min(next, entry.due <= now ? milliseconds{0} : entry.due - now);
    return next;
}

void Scheduler::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stop = false;
    m_thread = std::thread([this] { loop(); });
}

void Scheduler::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) m_thread.join();
}

void Scheduler::loop() {
    while (true) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop) return;
        }
        runDue();
        const auto sleep = std::min(untilNextDue(), kMaxSleep);
        std::unique_lock lock(m_mutex);
        if (sleep.count() > 0) m_wake.wait_for(lock, sleep, [this] { return m_stop || !m_nudged.empty(); });
    }
}

}  // namespace kiosk::sync
