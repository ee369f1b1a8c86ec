// kioskctl notify serve — a fake Zalo ZNS / SMS provider for tests and the demo (docs/notifications.md,
// "The fake provider"). It checks central's signature, drops a copy by the message's idempotency key
// (as a real provider is asked to), logs what it accepted as JSON lines, and can misbehave on purpose:
// fail the first N requests with an HTTP status, answer the next M too late (after a delay longer than
// central's timeout — the message was still accepted, as with a real provider that is slow), answer
// every request slowly, and send each delivery receipt twice to central's callback.

#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "commands.hpp"
#include "key_file.hpp"
#include "loyalty/clock.hpp"
#include "loyalty/webhook_signature.hpp"

namespace kioskctl {
namespace {

using Json = nlohmann::json;

struct NotifyServeOptions {
    std::string listen = "127.0.0.1:0";
    std::string secretFile;
    std::string log;
    std::string portFile;
    std::string callback;  ///< http://host:port/v1/notify/callback ("" = no receipts)
    int failFirst = 0;
    int failStatus = 503;
    int lateNext = 0;
    int lateMs = 2000;
    int slowMs = 0;
    int threads = 64;
    bool duplicateReceipts = false;
};

/// Receipts to central, sent by one thread so a request's answer never waits for them.
class ReceiptSender {
  public:
    ReceiptSender(std::string url, std::string secret, bool twice)
        : m_secret(std::move(secret)), m_twice(twice) {
        const auto slash = url.find('/', url.find("//") + 2);
        m_client = std::make_unique<httplib::Client>(url.substr(0, slash));
        m_path = slash == std::string::npos ? "/" : url.substr(slash);
        m_thread = std::thread([this] { run(); });
    }
    ~ReceiptSender() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    void add(const std::string& messageId) {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(messageId);
        }
        m_wake.notify_one();
    }

  private:
    void run() {
        std::unique_lock lock(m_mutex);
        while (true) {
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) return;
            const auto id = m_queue.front();
            m_queue.pop_front();
            lock.unlock();
            const auto body = Json{{"type", "receipt"}, {"message_id", id}, {"status", "delivered"}}.dump();
            for (int copy = 0; copy < (m_twice ? 2 : 1); ++copy) {
                const auto at = loyalty::SystemClock().now();
                const httplib::Headers headers{
                    {loyalty::kWebhookSignatureHeader, loyalty::signWebhook(m_secret, at, body)}};
                if (auto res = m_client->Post(m_path, headers, body, "application/json");
                    !res || res->status != 200)
                    std::cerr << "notify serve: receipt of " << id << " not taken\n";
            }
            lock.lock();
        }
    }

    std::string m_secret;
    bool m_twice;
    std::unique_ptr<httplib::Client> m_client;
    std::string m_path;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::string> m_queue;
    bool m_stop = false;
    std::thread m_thread;
};

/// What the provider has accepted: unique message ids, and every copy it dropped.
class Accepted {
  public:
    explicit Accepted(const std::string& logPath) {
        if (!logPath.empty()) m_log.open(logPath, std::ios::app | std::ios::binary);
    }
    /// true when `id` is new.
    bool add(const std::string& id, const Json& message) {
        std::lock_guard lock(m_mutex);
        const bool fresh = m_ids.insert(id).second;
        if (!fresh) ++m_duplicates;
        if (m_log.is_open()) {
            Json line = message;
            line["duplicate"] = !fresh;
            m_log << line.dump() << "\n";
            m_log.flush();
        }
        return fresh;
    }
    Json stats() {
        std::lock_guard lock(m_mutex);
        return Json{{"unique", m_ids.size()}, {"duplicates", m_duplicates}};
    }

  private:
    std::mutex m_mutex;
    std::set<std::string> m_ids;
    std::int64_t m_duplicates = 0;
    std::ofstream m_log;
};

void handleSend(const NotifyServeOptions& o, const std::string& secret, std::atomic<int>& requests,
                Accepted& accepted, ReceiptSender* receipts, const httplib::Request& req,
                httplib::Response& res) {
    if (auto ok = loyalty::verifyWebhook(secret, req.get_header_value(loyalty::kWebhookSignatureHeader),
                                         req.body, loyalty::SystemClock().now());
        !ok) {
        res.status = 401;
        res.set_content(Json{{"error", ok.error()}}.dump(), "application/json");
        return;
    }
    const auto message = Json::parse(req.body, nullptr, false);
    if (message.is_discarded() || !message.is_object() || !message.contains("message_id") ||
        !message["message_id"].is_string() || !message.contains("phone") ||
        !message.contains("template_id")) {
        res.status = 400;
        res.set_content(R"({"error":"message_id, phone and template_id are required"})", "application/json");
        return;
    }
    const int n = ++requests;
    if (n <= o.failFirst) {
        res.status = o.failStatus;
        res.set_content(R"({"error":"failing on purpose"})", "application/json");
        return;
    }
    const auto id = message["message_id"].get<std::string>();
    const bool fresh = accepted.add(id, message);
    if (fresh && receipts) receipts->add(id);
    const int delay = n <= o.failFirst + o.lateNext ? o.lateMs : o.slowMs;
    if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    res.set_content(Json{{"accepted", true}, {"duplicate", !fresh}}.dump(), "application/json");
}

int runNotifyServe(const NotifyServeOptions& o) {
    auto secret = readSmallFile(o.secretFile, 4096);
    if (!secret) {
        std::cerr << "notify serve: " << secret.error() << "\n";
        return 2;
    }
    while (!secret->empty() && std::isspace(static_cast<unsigned char>(secret->back()))) secret->pop_back();
    const auto colon = o.listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "notify serve: --listen must be HOST:PORT\n";
        return 2;
    }
    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Accepted accepted(o.log);
    std::unique_ptr<ReceiptSender> receipts;
    if (!o.callback.empty())
        receipts = std::make_unique<ReceiptSender>(o.callback, *secret, o.duplicateReceipts);
    std::atomic<int> requests{0};
    httplib::Server server;
    // A keep-alive connection holds a thread: as many threads as central has senders, and no limit of
    // requests per connection (httplib's default of 5 would make central reconnect every 5 messages).
    server.new_task_queue = [threads = static_cast<std::size_t>(o.threads)] {
        return new httplib::ThreadPool(threads);
    };
    server.set_keep_alive_max_count(1'000'000);
    server.set_tcp_nodelay(true);
    server.Post("/send", [&](const httplib::Request& req, httplib::Response& res) {
        handleSend(o, *secret, requests, accepted, receipts.get(), req, res);
    });
    server.Get("/stats", [&](const httplib::Request&, httplib::Response& res) {
        auto stats = accepted.stats();
        stats["requests"] = requests.load();
        res.set_content(stats.dump(), "application/json");
    });
    const auto host = o.listen.substr(0, colon);
    int port = std::stoi(o.listen.substr(colon + 1));
    port = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
    if (port < 0) {
        std::cerr << "notify serve: cannot listen on " << o.listen << "\n";
        return 1;
    }
    if (!o.portFile.empty()) std::ofstream(o.portFile) << port << "\n";
    std::cout << "notify serve: listening on " << host << ":" << port << " (POST /send, GET /stats)"
              << std::endl;
    std::thread serving([&server] { server.listen_after_bind(); });
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
    serving.join();
    return 0;
}

}  // namespace

void addNotifyCommands(CLI::App& app, int& exitCode) {
    auto* notify =
        app.add_subcommand("notify", "notifications: a fake ZNS / SMS provider")->require_subcommand(1);
    auto options = std::make_shared<NotifyServeOptions>();
    auto* serve = notify->add_subcommand("serve", "run a fake provider (POST /send) until SIGTERM");
    serve->add_option("--listen", options->listen, "HOST:PORT (port 0 = any free)");
    serve->add_option("--secret-file", options->secretFile, "the secret shared with central")->required();
    serve->add_option("--log", options->log, "append every accepted message as a JSON line");
    serve->add_option("--port-file", options->portFile, "write the port listened on here");
    serve->add_option("--callback", options->callback, "central's /v1/notify/callback URL for receipts");
    serve->add_option("--fail-first", options->failFirst, "answer the first N requests with --fail-status");
    serve->add_option("--fail-status", options->failStatus, "the status of a failed request (default 503)");
    serve->add_option("--late-next", options->lateNext, "then answer N requests after --late-ms");
    serve->add_option("--late-ms", options->lateMs, "the delay of a late answer (default 2000)");
    serve->add_option("--slow-ms", options->slowMs, "answer every other request after this many ms");
    serve->add_option("--threads", options->threads, "connections served at once (default 64)")
        ->check(CLI::Range(1, 1024));
    serve->add_flag("--duplicate-receipts", options->duplicateReceipts, "send each receipt twice");
    serve->callback([options, &exitCode] { exitCode = runNotifyServe(*options); });
}

}  // namespace kioskctl
