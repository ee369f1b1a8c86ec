#pragma once
// Prometheus counters and histograms of the service, rendered in the text exposition format 0.0.4
// for GET /metrics. Thread-safe: every method may be called from any thread (one mutex; the
// critical sections are a few map updates).

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace central {

class Metrics {
  public:
    /// Latency buckets, seconds.
    static constexpr std::array<double, 11> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1.0,  2.5};

    /// One answered request: `route` is the route pattern (e.g. "/v1/members/{phone}").
    void observeRequest(std::string_view route, std::string_view method, int status, double seconds);
    /// One claim's outcome: "accepted", "replayed", "refused", "retry".
    void countClaim(std::string_view result);
    /// One refusal by its stable code.
    void countError(std::string_view code);
    void countOverloadRejection();
    /// A gauge read at render time (the request queue depth).
    void setQueueDepthSource(std::function<std::size_t()> source);

    [[nodiscard]] std::string render() const;

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex m_mutex;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> m_requests;
    std::map<std::string, Histogram, std::less<>> m_latency;
    std::map<std::string, std::uint64_t, std::less<>> m_claims;
    std::map<std::string, std::uint64_t, std::less<>> m_errors;
    std::uint64_t m_overload = 0;
    std::function<std::size_t()> m_queueDepth;
};

}  // namespace central
