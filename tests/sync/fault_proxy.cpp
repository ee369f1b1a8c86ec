#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace {

/// Reads one HTTP request (headers + Content-Length body). Empty on EOF, error or a 5 s stall.
std::string readRequest(int fd) {
    std::string request;
    char buffer[16 * 1024];
    std::size_t bodyStart = std::string::npos;
    std::size_t contentLength = 0;
    while (true) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return {};
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return {};
        request.append(buffer, static_cast<std::size_t>(n));
        if (bodyStart == std::string::npos) {
            const auto end = request.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            bodyStart = end + 4;
            std::string headers = request.substr(0, end);
            std::transform(headers.begin(), headers.end(), headers.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            const auto at = headers.find("\r\ncontent-length:");
            if (at != std::string::npos) contentLength = std::stoul(headers.substr(at + 17));
        }
        if (request.size() >= bodyStart + contentLength) return request;
    }
}

/// The same request with "Connection: close", so the answer ends where the upstream stream ends.
std::string withConnectionClose(const std::string& request) {
    const auto end = request.find("\r\n\r\n");
    std::string out;
    std::size_t pos = 0;
    while (pos < end) {
        const auto eol = request.find("\r\n", pos);
        const auto line = request.substr(pos, std::min(eol, end) - pos);
        std::string lower = line;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (!lower.starts_with("connection:") && !lower.starts_with("keep-alive:")) out += line + "\r\n";
        if (eol >= end) break;
        pos = eol + 2;
    }
    out += "Connection: close\r\n\r\n";
    out += request.substr(end + 4);
    return out;
}

bool sendAll(int fd, const char* data, std::size_t size) {
    std::size_t sent = 0;
    while (sent < size) {
        const auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

/// Sends the request to central and reads its whole answer (until central closes). Empty on failure.
std::string exchange(int upstreamPort, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return {};
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(upstreamPort));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string response;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        sendAll(fd, request.data(), request.size())) {
        char buffer[16 * 1024];
        while (true) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 10'000) <= 0) break;
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            response.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return response;
}

}  // namespace

FaultProxy::FaultProxy(int upstreamPort, FaultRates rates, std::uint32_t seed)
    : m_upstreamPort(upstreamPort), m_rates(rates), m_random(seed) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (m_listen < 0 || ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listen, 128) != 0 ||
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &length) != 0)
        throw std::runtime_error("FaultProxy: cannot listen on 127.0.0.1");
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
    m_acceptor.join();
    while (m_active.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

bool FaultProxy::roll(double probability) {
    if (m_healed || probability <= 0.0) return false;
    std::lock_guard lock(m_randomMutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(m_random) < probability;
}

std::chrono::milliseconds FaultProxy::randomDelay() {
    std::lock_guard lock(m_randomMutex);
    return std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(
        1, std::max<std::int64_t>(1, m_rates.maxDelay.count()))(m_random));
}

void FaultProxy::acceptLoop() {
    while (!m_stop) {
        const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            if (m_stop) return;
            continue;
        }
        ++m_active;
        std::thread([this, client] {
            handle(client);
            ::close(client);
            --m_active;
        }).detach();
    }
}

void FaultProxy::handle(int client) {
    const auto request = readRequest(client);
    if (request.empty()) return;
    ++m_counts.requests;
    if (roll(m_rates.dropRequest)) {
        ++m_counts.droppedRequests;
        return;
    }
    if (roll(m_rates.delay)) {
        ++m_counts.delayed;
        std::this_thread::sleep_for(randomDelay());
    }
    const auto forwarded = withConnectionClose(request);
    const bool duplicate = roll(m_rates.duplicate);
    std::thread twin;
    if (duplicate) {
        ++m_counts.duplicated;
        twin = std::thread([this, forwarded] { (void)exchange(m_upstreamPort, forwarded); });
    }
    const auto response = exchange(m_upstreamPort, forwarded);
    if (twin.joinable()) twin.join();
    if (response.empty()) return;
    if (roll(m_rates.dropResponse)) {
        ++m_counts.droppedResponses;
        return;
    }
    if (roll(m_rates.cutBody)) {
        ++m_counts.cutBodies;
        const auto bodyStart = response.find("\r\n\r\n");
        const auto keep = bodyStart == std::string::npos
                              ? response.size() / 2
                              : bodyStart + 4 + (response.size() - bodyStart - 4) / 2;
        (void)sendAll(client, response.data(), keep);
        return;
    }
    (void)sendAll(client, response.data(), response.size());
}
