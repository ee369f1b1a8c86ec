#include "central/server.hpp"

#include <httplib.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "central/bounded_task_queue.hpp"
#include "central/http_api.hpp"
#include "central/service.hpp"
#include "loyalty/signing.hpp"

namespace central {
namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

loyalty::SigningKeyPair loadOrCreateVoucherKey(const std::string& path) {
    if (std::filesystem::exists(path)) {
        auto keys = loyalty::parseSecretKey(readFile(path));
        if (!keys)
            throw std::runtime_error("voucher key " + path + ": " +
                                     std::string(loyalty::describe(keys.error())));
        return *keys;
    }
    auto keys = loyalty::SigningKeyPair::generate();
    {
        // Created owner-only before the secret is written.
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot create voucher key " + path);
    }
    ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << loyalty::formatSecretKey(keys, "central voucher signing key — keep secret");
    if (!out) throw std::runtime_error("cannot write voucher key " + path);
    spdlog::warn("created a new voucher signing key at {}", path);
    return keys;
}

/// cpp-httplib 0.11 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
/// shared library). A burst of connections overflowed it and clients saw resets instead of answers
/// (or 503s); calling listen() again on the bound socket widens the backlog (Linux allows it).
class CentralHttpServer final : public httplib::Server {
  public:
    void widenBacklog(int backlog) { ::listen(svr_sock_, backlog); }
};

constexpr int kListenBacklog = 1024;

}  // namespace

int runCentral(Settings settings) {
    auto logger = spdlog::stdout_logger_mt("central");
    logger->set_pattern("%l %v");  // journald timestamps each line itself
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(settings.logLevel));
    spdlog::flush_on(spdlog::level::info);

    resolveDefaults(settings);
    std::filesystem::create_directories(settings.dataDir);

    // Block the termination signals in every thread; one thread waits for them and stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto db = Database::open(settings.database);
    const char* backend = db->backend() == Backend::Postgres ? "postgresql" : "sqlite";
    spdlog::info("database backend={} schema_version={}", backend, db->schemaVersion());
    sd_notifyf(0, "STATUS=database open (%s), loading the campaign", backend);

    ServiceOptions options;
    options.campaignToml = readFile(settings.campaignFile);
    options.tiersToml = readFile(settings.tiersFile);
    if (std::filesystem::exists(settings.rewardsFile)) options.rewardsToml = readFile(settings.rewardsFile);
    for (const auto& [id, file] : settings.stores) options.seedStoreKeys.emplace_back(id, readFile(file));
    options.seedEnrollmentCode = settings.devEnrollmentCode;
    options.seedEnrollmentKiosk = settings.devKioskId;
    options.seedEnrollmentStore = settings.devStore;
    if (!settings.devEnrollmentCode.empty())
        spdlog::warn(
            "development enrollment code in use for kiosk {} (set dev_enrollment.code = \"\" in production)",
            settings.devKioskId);
    options.adminToken = settings.adminToken;
    if (options.adminToken.empty()) {
        options.adminToken = kDevAdminToken;
        spdlog::warn("no admin_token configured: using the DEVELOPMENT admin token");
    }

    std::unique_ptr<OtpNotifier> notifier;
    if (settings.otpWebhookUrl.empty()) {
        const auto sink = (std::filesystem::path(settings.dataDir) / "otp-outbox.jsonl").string();
        spdlog::warn("OTP notifier: development file sink {}", sink);
        notifier = std::make_unique<FileOtpNotifier>(sink);
    } else {
        notifier = std::make_unique<WebhookOtpNotifier>(settings.otpWebhookUrl);
    }

    Service service(*db, std::move(options), loadOrCreateVoucherKey(settings.voucherKeyFile),
                    std::move(notifier));
    Metrics metrics;
    CentralHttpServer server;
    BoundedTaskQueue* queue = nullptr;
    server.new_task_queue = [&settings, &queue, &metrics] {
        queue = new BoundedTaskQueue(settings.workers, settings.maxQueued);
        metrics.setQueueDepthSource([queue] { return queue->depth(); });
        return queue;
    };
    installHttpApi(server, service, metrics, HttpOptions{settings.maxBodyBytes, "0.1.0", backend});

    int port = settings.listenPort;
    if (port == 0)
        port = server.bind_to_any_port(settings.listenHost);
    else if (!server.bind_to_port(settings.listenHost, port))
        port = -1;
    if (port <= 0)
        throw std::runtime_error("cannot listen on " + settings.listenHost + ":" +
                                 std::to_string(settings.listenPort));

    server.widenBacklog(kListenBacklog);

    std::thread waiter([&server, signals] {
        int received = 0;
        sigwait(&signals, &received);
        spdlog::info("signal={} stopping", received);
        sd_notify(0, "STOPPING=1\nSTATUS=stopping");
        server.stop();
    });
    spdlog::info("listening on {}:{} workers={} max_queued={}", settings.listenHost, port, settings.workers,
                 settings.maxQueued);
    // The socket listens already (bind_to_port): connections queue until listen_after_bind serves them.
    sd_notifyf(0, "READY=1\nSTATUS=serving on %s:%d (%s)", settings.listenHost.c_str(), port, backend);
    const bool ok = server.listen_after_bind();
    if (waiter.joinable()) {
        // listen ended without a signal (an accept error): wake the waiter so it can be joined.
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
    }
    metrics.setQueueDepthSource(nullptr);
    spdlog::info("stopped");
    return ok ? 0 : 1;
}

}  // namespace central
