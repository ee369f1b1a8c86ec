#pragma once
// The kiosk's one clock: the system clock, which the automation command {"cmd":"advance","ms":N} moves
// forward so an end-to-end test passes time without sleeping. The scanner's dedupe, the journey's idle
// timeout and the sync worker's backoff and intervals all read this one clock, so they move together.
// Without automation nothing advances it: it is the system clock. Any thread.

#include "loyalty/clock.hpp"

namespace kiosk {

using SteppableClock = loyalty::SteppableClock;

}  // namespace kiosk
