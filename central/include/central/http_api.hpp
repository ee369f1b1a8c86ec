#pragma once
// The HTTP face of the Service (docs/api.md): routes, authentication header, JSON bodies, error
// answers, ETag/304, Retry-After, metrics, rate limits (token buckets per credential and per client
// address) and structured refusal log lines, sampled so a flood of hostile requests cannot flood the
// log.
//
// install() registers handlers on an http::Router; the Service, Metrics and queue must outlive
// it. Handlers run on the server's worker threads (see BoundedTaskQueue).

#include <cstddef>

#include "central/http/router.hpp"
#include "central/metrics.hpp"
#include "central/service.hpp"
#include "central/settings.hpp"
#include "loyalty/clock.hpp"

namespace central {

struct HttpOptions {
    std::size_t maxBodyBytes = 1u << 20;  ///< a larger body → 413 body_too_large
    std::string version = "0.1.0";
    std::string backendName = "sqlite";
    RateLimits limits;
    /// --demo only: the service's clock, which POST /v1/admin/clock/advance moves (null: no such route).
    loyalty::SteppableClock* testClock = nullptr;
    /// The head-office console's static files, served at /console/ ("" = none; docs/console.md).
    std::string consoleDir;
    /// The secret the notification provider signs its callbacks with ("" = notifications off).
    std::string notifySecret;
};

/// Registers every route, the error and exception handlers (JSON errors, never an HTML page), the
/// overload pre-routing check, and the payload limit on `server`.
void installHttpApi(http::Router& server, Service& service, Metrics& metrics, const HttpOptions& options);

}  // namespace central
