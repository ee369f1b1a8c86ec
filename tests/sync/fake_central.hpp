#pragma once
// A small stand-in for `central` (cpp-httplib on a free 127.0.0.1 port) with central's claim rules:
// a receipt earns once, forever; the same idempotency key always gets the same answer back; another
// key for a claimed receipt gets 409-style "already_claimed". Tokens are "FAKE:<receipt>:<points>"
// (the real token format is loyalty's; the real central is exercised by the fault suite).
// For unit tests of the sync worker only.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

class FakeCentral {
  public:
    struct Credit {
        std::string idempotencyKey;
        std::int64_t points = 0;
    };

    FakeCentral() {
        using nlohmann::json;
        m_server.Post("/v1/claims", [this](const httplib::Request& req, httplib::Response& res) {
            ++claimRequests;
            if (m_failing) {
                res.status = 503;
                res.set_header("Retry-After", "0");
                res.set_content(R"({"error":{"code":"overloaded","message_en":"busy"}})", "application/json");
                return;
            }
            const auto body = json::parse(req.body, nullptr, false);
            json results = json::array();
            std::lock_guard lock(m_mutex);
            for (const auto& claim : body["claims"]) {
                const auto key = claim["idempotency_key"].get<std::string>();
                const auto token = claim["token"].get<std::string>();
                const auto second = token.find(':', 5);
                const auto receipt = token.substr(5, second - 5);
                const auto points = std::stoll(token.substr(second + 1));
                auto [it, fresh] = m_ledger.try_emplace(receipt, Credit{key, points});
                if (!fresh && it->second.idempotencyKey != key) {
                    ++duplicateRefusals;
                    results.push_back(
                        {{"idempotency_key", key},
                         {"status", "refused"},
                         {"error", {{"code", "already_claimed"}, {"message_en", "already claimed"}}}});
                    continue;
                }
                results.push_back({{"idempotency_key", key},
                                   {"status", "accepted"},
                                   {"receipt_id", receipt},
                                   {"points", it->second.points},
                                   {"balance", it->second.points},
                                   {"tier", "silver"}});
            }
            res.set_content(json{{"results", results}, {"server_time", serverNow()}}.dump(),
                            "application/json");
        });
        m_server.Get(R"(/v1/kiosks/([A-Za-z0-9_-]+)/config)", [this](const httplib::Request& req,
                                                                     httplib::Response& res) {
            ++configPulls;
            std::lock_guard lock(m_mutex);
            const auto etag = "\"" + std::to_string(m_configVersion) + "\"";
            if (req.get_header_value("If-None-Match") == etag) {
                res.status = 304;
                return;
            }
            res.set_header("ETag", etag);
            res.set_content(nlohmann::json{{"version", m_configVersion}}.dump(), "application/json");
        });
        m_server.Post(R"(/v1/kiosks/([A-Za-z0-9_-]+)/heartbeat)", [this](const httplib::Request& req,
                                                                         httplib::Response& res) {
            ++heartbeats;
            std::lock_guard lock(m_mutex);
            m_lastHeartbeat = nlohmann::json::parse(req.body, nullptr, false);
            res.set_content(nlohmann::json{{"commands", m_commands}, {"server_time", serverNow()}}.dump(),
                            "application/json");
            m_commands.clear();
        });
        m_server.set_tcp_nodelay(true);  // else each answer waits out the client's delayed ACK (~40 ms)
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FakeCentral() {
        m_server.stop();
        m_thread.join();
    }
    FakeCentral(const FakeCentral&) = delete;
    FakeCentral& operator=(const FakeCentral&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    std::int64_t ledgerSum() {
        std::lock_guard lock(m_mutex);
        std::int64_t sum = 0;
        for (const auto& [receipt, credit] : m_ledger) sum += credit.points;
        return sum;
    }
    std::map<std::string, Credit> ledger() {
        std::lock_guard lock(m_mutex);
        return m_ledger;
    }
    void preClaim(const std::string& receipt, std::int64_t points) {
        std::lock_guard lock(m_mutex);
        m_ledger[receipt] = Credit{"someone-else", points};
    }
    void queueCommand(const std::string& command) {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(command);
    }
    void bumpConfig() {
        std::lock_guard lock(m_mutex);
        ++m_configVersion;
    }
    nlohmann::json lastHeartbeat() {
        std::lock_guard lock(m_mutex);
        return m_lastHeartbeat;
    }
    /// Central's clock runs this many seconds ahead of the machine's.
    void setClockSkew(std::int64_t seconds) { m_skew = seconds; }
    void setFailing(bool failing) { m_failing = failing; }

    std::atomic<std::int64_t> claimRequests{0};
    std::atomic<std::int64_t> configPulls{0};
    std::atomic<std::int64_t> heartbeats{0};
    std::atomic<std::int64_t> duplicateRefusals{0};

  private:
    std::int64_t serverNow() const {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               m_skew.load();
    }

    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::map<std::string, Credit> m_ledger;
    std::vector<std::string> m_commands;
    nlohmann::json m_lastHeartbeat;
    std::int64_t m_configVersion = 1;
    std::atomic<std::int64_t> m_skew{0};
    std::atomic<bool> m_failing{false};
};
