#pragma once
// Token buckets keyed by a string (a kiosk id, a client address): `burst` requests at once, refilled
// continuously at `perMinute`. In memory, per process: N central processes behind a load balancer
// allow N times the configured rate (docs/api.md, "Limits").
//
// Threads: every method may be called from any thread; none blocks beyond a short mutex.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "central/settings.hpp"

namespace central {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    /// `maxKeys` bounds the memory: beyond it, buckets that have refilled completely are forgotten.
    explicit RateLimiter(RateLimit limit, std::size_t maxKeys = 100'000);

    /// Takes one token of `key`: 0 when allowed, else the seconds (≥ 1) until a token is available.
    [[nodiscard]] int take(const std::string& key, Clock::time_point now = Clock::now());
    /// The seconds until `key` has a token (0 = it has one now); takes nothing.
    [[nodiscard]] int wait(const std::string& key, Clock::time_point now = Clock::now());

  private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point at;
    };
    Bucket& refill(const std::string& key, Clock::time_point now);
    [[nodiscard]] int secondsUntilOne(const Bucket& bucket) const;
    void forgetFullBuckets(Clock::time_point now);

    RateLimit m_limit;
    std::size_t m_maxKeys;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace central
