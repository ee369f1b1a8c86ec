#pragma once
// Runs the central service with resolved settings until SIGINT/SIGTERM: opens (and migrates) the
// database, loads or creates the voucher key, seeds development defaults, serves HTTP. Logs one
// structured line per event on stdout (journald adds the timestamp and unit).
//
// Throws std::runtime_error on a start-up failure (bad config, database, port in use); main turns it
// into a non-zero exit so systemd restarts the service.

#include "central/settings.hpp"

namespace central {

/// Blocks until a termination signal; returns the process exit code (0 after a clean stop).
[[nodiscard]] int runCentral(Settings settings);

}  // namespace central
