#pragma once
// The kiosk's sense of time is the domain's clock (loyalty/clock.hpp): the HAL names it so devices and
// tests keep saying hal::Clock. Timeouts, backoff, idle wipe, scan dedupe and expiries read it, never
// std::chrono clocks directly.

#include "loyalty/clock.hpp"

namespace hal {

using MonotonicMs = loyalty::MonotonicMs;
using Clock = loyalty::Clock;
using SystemClock = loyalty::SystemClock;
using ManualClock = loyalty::ManualClock;

}  // namespace hal
