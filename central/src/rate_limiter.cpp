#include "central/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace central {

RateLimiter::RateLimiter(RateLimit limit, std::size_t maxKeys) : m_limit(limit), m_maxKeys(maxKeys) {}

RateLimiter::Bucket& RateLimiter::refill(const std::string& key, Clock::time_point now) {
    if (m_buckets.size() >= m_maxKeys && !m_buckets.contains(key)) forgetFullBuckets(now);
    auto [it, fresh] = m_buckets.try_emplace(key, Bucket{m_limit.burst, now});
    Bucket& b = it->second;
    if (!fresh) {
        const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.at).count();
        b.tokens = std::min(m_limit.burst, b.tokens + std::max(0.0, minutes) * m_limit.perMinute);
        b.at = now;
    }
    return b;
}

int RateLimiter::secondsUntilOne(const Bucket& bucket) const {
    const double missing = 1.0 - bucket.tokens;
    return std::max(1, static_cast<int>(std::ceil(missing * 60.0 / m_limit.perMinute)));
}

void RateLimiter::forgetFullBuckets(Clock::time_point now) {
    std::erase_if(m_buckets, [&](const auto& entry) {
        const double minutes = std::chrono::duration<double, std::ratio<60>>(now - entry.second.at).count();
        return entry.second.tokens + minutes * m_limit.perMinute >= m_limit.burst;
    });
    // Still full of live buckets (a flood of distinct keys): forget them all rather than grow without
    // bound; the worst case is a fresh burst for each key.
    if (m_buckets.size() >= m_maxKeys) m_buckets.clear();
}

int RateLimiter::take(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(m_mutex);
    Bucket& b = refill(key, now);
    if (b.tokens < 1.0) return secondsUntilOne(b);
    b.tokens -= 1.0;
    return 0;
}

int RateLimiter::wait(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(m_mutex);
    const Bucket& b = refill(key, now);
    return b.tokens < 1.0 ? secondsUntilOne(b) : 0;
}

}  // namespace central
