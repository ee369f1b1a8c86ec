// The sync thread's Scheduler, driven by hal::ManualClock through runDue(): no sleeps, no thread (but
// one test of the thread's nudge).

#include "kiosk/sync/scheduler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include "hal/clock.hpp"

namespace kiosk::sync {
namespace {

using namespace std::chrono_literals;

/// A job that records its runs in a shared log and answers what the test tells it.
class ScriptedJob final : public Job {
  public:
    ScriptedJob(std::string name, std::vector<std::string>& log, std::function<Next()> answer)
        : m_name(std::move(name)), m_log(log), m_answer(std::move(answer)) {}
    [[nodiscard]] std::string_view name() const override { return m_name; }
    [[nodiscard]] bool ready() const override { return isReady; }
    [[nodiscard]] Next run() override {
        m_log.push_back(m_name);
        return m_answer();
    }
    bool isReady = true;

  private:
    std::string m_name;
    std::vector<std::string>& m_log;
    std::function<Next()> m_answer;
};

class SchedulerTest : public ::testing::Test {
  protected:
    hal::ManualClock m_clock{1'790'000'000, 0};
    std::vector<std::string> m_log;
    std::vector<std::string> m_failures;
    Scheduler m_scheduler{
        m_clock, BackoffPolicy{1000ms, 4000ms},
        Scheduler::Hooks{{}, [this](std::string_view job, std::string_view what) {
                             m_failures.push_back(std::string(job) + ": " + std::string(what));
                         }}};
};

TEST_F(SchedulerTest, JobsDueTogetherRunEarliestDueFirstThenInRegistrationOrder) {
    ScriptedJob slow("slow", m_log, [] { return Next::after(100ms); });
    ScriptedJob fast("fast", m_log, [] { return Next::after(40ms); });
    m_scheduler.add(slow);
    m_scheduler.add(fast);
    EXPECT_EQ(m_scheduler.runDue(), 2u);  // both due at once: registration order
    EXPECT_EQ(m_log, (std::vector<std::string>{"slow", "fast"}));
    EXPECT_EQ(m_scheduler.untilNextDue(), 40ms);
    m_clock.advance(39ms);
    EXPECT_EQ(m_scheduler.runDue(), 0u);
    m_clock.advance(61ms);  // fast was due at 40 ms, slow at 100 ms: fast first
    m_log.clear();
    EXPECT_EQ(m_scheduler.runDue(), 2u);
    EXPECT_EQ(m_log, (std::vector<std::string>{"fast", "slow"}));
}

TEST_F(SchedulerTest, AFailingJobBacksOffExponentiallyWithJitterUpToTheCeiling) {
    ScriptedJob failing("failing", m_log, [] { return Next::retry(); });
    m_scheduler.add(failing);
    // Equal jitter: each wait is in [half, full] of 1 s, 2 s, 4 s, then stays under the 4 s ceiling.
    const std::vector<std::pair<std::chrono::milliseconds, std::chrono::milliseconds>> expected = {
        {500ms, 1000ms}, {1000ms, 2000ms}, {2000ms, 4000ms}, {2000ms, 4000ms}};
    for (const auto& [least, most] : expected) {
        ASSERT_EQ(m_scheduler.runDue(), 1u);
        const auto wait = m_scheduler.untilNextDue();
        EXPECT_GE(wait, least);
        EXPECT_LE(wait, most);
        m_clock.advance(wait - 1ms);
        EXPECT_EQ(m_scheduler.runDue(), 0u) << "no retry before the backoff is over";
        m_clock.advance(1ms);
    }
    EXPECT_EQ(m_log.size(), 4u);
}

TEST_F(SchedulerTest, ALongerRetryAfterWinsAndASuccessForgetsTheBackoff) {
    int calls = 0;
    ScriptedJob job("job", m_log, [&] {
        ++calls;
        if (calls == 1) return Next::retry(10s);  // central said Retry-After: 10
        if (calls == 4) return Next::after(0ms);  // a success
        return Next::retry();
    });
    m_scheduler.add(job);
    m_scheduler.runDue();
    EXPECT_EQ(m_scheduler.untilNextDue(), 10s);
    m_clock.advance(10s);
    m_scheduler.runDue();  // second failure: the backoff's second step
    EXPECT_GE(m_scheduler.untilNextDue(), 1000ms);
    m_clock.advance(m_scheduler.untilNextDue());
    m_scheduler.runDue();  // third failure
    EXPECT_GE(m_scheduler.untilNextDue(), 2000ms);
    m_clock.advance(m_scheduler.untilNextDue());
    m_scheduler.runDue();  // success
    EXPECT_EQ(m_scheduler.untilNextDue(), 0ms);
    m_scheduler.runDue();  // fails again: back to the first step
    EXPECT_LE(m_scheduler.untilNextDue(), 1000ms);
    EXPECT_EQ(calls, 5);
}

TEST_F(SchedulerTest, ANudgeRunsAJobAtOnceAndForgetsItsBackoff) {
    bool fail = true;
    ScriptedJob pusher("pusher", m_log, [&] { return fail ? Next::retry() : Next::whenNudged(); });
    m_scheduler.add(pusher);
    for (int i = 0; i < 3; ++i) {
        m_scheduler.runDue();
        m_clock.advance(m_scheduler.untilNextDue());
    }
    m_scheduler.runDue();  // fourth failure: waits 2 to 4 s
    EXPECT_GE(m_scheduler.untilNextDue(), 2000ms);
    m_scheduler.nudge(pusher);  // a claim was queued
    EXPECT_EQ(m_scheduler.untilNextDue(), 0ms);
    EXPECT_EQ(m_scheduler.runDue(), 1u);
    EXPECT_LE(m_scheduler.untilNextDue(), 1000ms) << "the nudge forgot the backoff";

    fail = false;
    m_clock.advance(m_scheduler.untilNextDue());
    m_scheduler.runDue();  // nothing left to do: waits for a nudge, however long
    EXPECT_EQ(m_scheduler.untilNextDue(), std::chrono::milliseconds::max());
    m_clock.advance(24h);
    EXPECT_EQ(m_scheduler.runDue(), 0u);
    m_scheduler.nudge(pusher);
    EXPECT_EQ(m_scheduler.runDue(), 1u);
    EXPECT_EQ(m_log.size(), 7u);
}

TEST_F(SchedulerTest, AJobThatIsNotReadyKeepsItsTurnUntilItIs) {
    ScriptedJob enroller("enroll", m_log, [] { return Next::whenNudged(); });
    ScriptedJob pusher("push", m_log, [] { return Next::after(1h); });
    pusher.isReady = false;  // no credential yet
    m_scheduler.add(enroller);
    m_scheduler.add(pusher);
    m_scheduler.runDue();
    EXPECT_EQ(m_log, (std::vector<std::string>{"enroll"}));
    EXPECT_EQ(m_scheduler.untilNextDue(), std::chrono::milliseconds::max())
        << "a job not ready is not waited for";
    pusher.isReady = true;  // enrolled: it was due all along
    EXPECT_EQ(m_scheduler.untilNextDue(), 0ms);
    m_scheduler.runDue();
    EXPECT_EQ(m_log, (std::vector<std::string>{"enroll", "push"}));
}

TEST_F(SchedulerTest, AnExceptionIsReportedAndCountsAsAFailure) {
    ScriptedJob throwing("heartbeat", m_log, []() -> Next { throw std::runtime_error("out of memory"); });
    ScriptedJob other("prune", m_log, [] { return Next::after(1h); });
    m_scheduler.add(throwing);
    m_scheduler.add(other);
    EXPECT_EQ(m_scheduler.runDue(), 2u) << "the other jobs of the turn still run";
    EXPECT_EQ(m_failures, (std::vector<std::string>{"heartbeat: out of memory"}));
    EXPECT_GE(m_scheduler.untilNextDue(), 500ms);
    EXPECT_LE(m_scheduler.untilNextDue(), 1000ms);
}

TEST_F(SchedulerTest, TheThreadIsWokenByANudgeWithoutTheClockMoving) {
    std::promise<void> first;
    std::promise<void> second;
    int runs = 0;
    ScriptedJob job("job", m_log, [&] {
        (++runs == 1 ? first : second).set_value();
        return Next::whenNudged();
    });
    m_scheduler.add(job);
    m_scheduler.start();
    ASSERT_EQ(first.get_future().wait_for(10s), std::future_status::ready);  // due at start
    m_scheduler.nudge(job);
    EXPECT_EQ(second.get_future().wait_for(10s), std::future_status::ready);
    m_scheduler.stop();
    EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace kiosk::sync
