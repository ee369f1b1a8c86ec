#include "central/metrics.hpp"

#include <fmt/format.h>

namespace central {

void Metrics::observeRequest(std::string_view route, std::string_view method, int status, double seconds) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{std::string(route), std::string(method), status}];
    auto it = m_latency.find(route);
    if (it == m_latency.end()) it = m_latency.emplace(std::string(route), Histogram{}).first;
    auto& h = it->second;
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::countClaim(std::string_view result) {
    std::lock_guard lock(m_mutex);
    auto it = m_claims.find(result);
    if (it == m_claims.end()) it = m_claims.emplace(std::string(result), 0).first;
    ++it->second;
}

void Metrics::countError(std::string_view code) {
    std::lock_guard lock(m_mutex);
    auto it = m_errors.find(code);
    if (it == m_errors.end()) it = m_errors.emplace(std::string(code), 0).first;
    ++it->second;
}

void Metrics::countOverloadRejection() {
    std::lock_guard lock(m_mutex);
    ++m_overload;
}

void Metrics::setQueueDepthSource(std::function<std::size_t()> source) {
    std::lock_guard lock(m_mutex);
    m_queueDepth = std::move(source);
}

std::string Metrics::render() const {
    std::lock_guard lock(m_mutex);
    std::string out;
    out += "# HELP central_http_requests_total HTTP requests answered, by route, method and status.\n";
    out += "# TYPE central_http_requests_total counter\n";
    for (const auto& [key, n] : m_requests)
        out += fmt::format("central_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                           std::get<0>(key), std::get<1>(key), std::get<2>(key), n);
    out += "# HELP central_http_request_duration_seconds Time to answer a request, by route.\n";
    out += "# TYPE central_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : m_latency) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            out += fmt::format("central_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                               route, kBuckets[i], h.buckets[i]);
        out += fmt::format("central_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                           route, h.count);
        out += fmt::format("central_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
        out +=
            fmt::format("central_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, h.count);
    }
    out += "# HELP central_claims_total Claims by outcome.\n# TYPE central_claims_total counter\n";
    for (const auto& [result, n] : m_claims)
        out += fmt::format("central_claims_total{{result=\"{}\"}} {}\n", result, n);
    out +=
        "# HELP central_errors_total Refusals by stable error code.\n# TYPE central_errors_total counter\n";
    for (const auto& [code, n] : m_errors)
        out += fmt::format("central_errors_total{{code=\"{}\"}} {}\n", code, n);
    out += "# HELP central_overload_rejections_total Requests answered 503 because the queue was full.\n";
    out += "# TYPE central_overload_rejections_total counter\n";
    out += fmt::format("central_overload_rejections_total {}\n", m_overload);
    out += "# HELP central_queue_depth Connections waiting for a worker.\n# TYPE central_queue_depth gauge\n";
    out += fmt::format("central_queue_depth {}\n", m_queueDepth ? m_queueDepth() : 0);
    return out;
}

}  // namespace central
