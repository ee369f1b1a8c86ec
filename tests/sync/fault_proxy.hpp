#pragma once
// A fault-injecting HTTP proxy on 127.0.0.1 between kiosks and central. For each request, each fault
// is drawn independently with its own probability:
//   dropRequest   the request never reaches central (the connection is closed)
//   duplicate     central receives the request twice (the second answer is thrown away)
//   delay         a random pause (up to maxDelay) before forwarding
//   dropResponse  central committed, but the answer never reaches the kiosk
//   cutBody       the kiosk gets the status line, headers and half the body, then a closed connection
// One request per kiosk connection: the proxy forwards it with "Connection: close", relays (or
// mangles) the answer and closes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

struct FaultRates {
    double dropRequest = 0.0;
    double duplicate = 0.0;
    double delay = 0.0;
    double dropResponse = 0.0;
    double cutBody = 0.0;
    std::chrono::milliseconds maxDelay{50};
};

struct FaultCounts {
    std::atomic<std::int64_t> requests{0};
    std::atomic<std::int64_t> droppedRequests{0};
    std::atomic<std::int64_t> duplicated{0};
    std::atomic<std::int64_t> delayed{0};
    std::atomic<std::int64_t> droppedResponses{0};
    std::atomic<std::int64_t> cutBodies{0};
};

class FaultProxy {
  public:
    FaultProxy(int upstreamPort, FaultRates rates, std::uint32_t seed);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    [[nodiscard]] const FaultCounts& counts() const { return m_counts; }
    /// Stops injecting faults (requests still pass through).
    void heal() { m_healed = true; }

  private:
    void acceptLoop();
    void handle(int client);
    bool roll(double probability);
    std::chrono::milliseconds randomDelay();

    int m_upstreamPort;
    FaultRates m_rates;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_healed{false};
    std::atomic<int> m_active{0};
    std::mutex m_randomMutex;
    std::mt19937 m_random;
    FaultCounts m_counts;
    std::thread m_acceptor;
};
