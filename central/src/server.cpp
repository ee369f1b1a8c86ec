#include "central/server.hpp"

#include <sodium.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include <array>
#include <cctype>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "api/notif_api.hpp"
#include "central/bounded_task_queue.hpp"
#include "central/http/server.hpp"
#include "central/http_api.hpp"
#include "central/service.hpp"
#include "loyalty/signing.hpp"
#include "ops/notif_worker.hpp"
#include "store/catalog_store.hpp"

namespace central {
namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Writes `text` to a new owner-only file (created 0600 before the secret is written).
void writeSecretFile(const std::string& path, const std::string& text) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot create " + path);
    }
    ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

/// The server secret keying the hash of stored one-time codes: 32 random bytes, hex, in a 0600 file
/// (created if missing). Several central processes must share one file.
std::string loadOrCreateOtpKey(const std::string& path) {
    if (std::filesystem::exists(path)) {
        auto text = readFile(path);
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
        std::array<unsigned char, crypto_generichash_KEYBYTES> key{};
        std::size_t length = 0;
        if (sodium_hex2bin(key.data(), key.size(), text.data(), text.size(), nullptr, &length, nullptr) !=
                0 ||
            length != key.size())
            throw std::runtime_error("OTP key " + path + ": expected " + std::to_string(key.size() * 2) +
                                     " hex digits");
        return std::string(reinterpret_cast<const char*>(key.data()), key.size());
    }
    std::array<unsigned char, crypto_generichash_KEYBYTES> key{};
    randombytes_buf(key.data(), key.size());
    std::array<char, crypto_generichash_KEYBYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
    writeSecretFile(path, std::string(hex.data()) + "\n");
    spdlog::warn("created a new OTP hash key at {}", path);
    return std::string(reinterpret_cast<const char*>(key.data()), key.size());
}

/// The data directory owner-only, and every file central keeps in it 0600, whatever the umask was
/// when they were made (an older central, a manual copy).
void lockDownDataDir(const std::string& dir) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file())
            fs::permissions(entry.path(), fs::perms::owner_read | fs::perms::owner_write,
                            fs::perm_options::replace);
}

[[noreturn]] void refuse(const std::vector<std::string>& found) {
    std::string message = "development secrets in effect without --demo:";
    for (const auto& one : found) message += "\n  - " + one;
    message +=
        "\nrun `kioskctl central init --out DIR` for a production configuration, or start with --demo "
        "(loopback only) to try central out";
    throw InsecureSettings(message);
}

/// Refuses (InsecureSettings) a production start whose database trusts the DEV001 key (seeded by an
/// earlier --demo run on the same database).
void refuseDevelopmentKeyInDatabase(Database& db) {
    std::vector<std::string> found;
    auto lease = db.lease();
    if (!lease) throw std::runtime_error("database: " + lease.error().message);
    const auto dev = loyalty::parsePublicKey(std::string("LOYALTY-KIOSK ED25519 PUBLIC KEY\n") +
                                             kDevStorePublicKey + "\n");
    if (!dev) throw std::logic_error("the development key constant does not parse");
    auto stores = CatalogStore(**lease).storesTrusting(loyalty::formatPublicKey(*dev));
    if (!stores) throw std::runtime_error("database: " + stores.error().message);
    for (const auto& store : *stores)
        found.push_back("the database trusts the published development key for store " + store +
                        " (replace it: PUT /v1/admin/stores/" + store + ")");
    if (!found.empty()) refuse(found);
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
    writeSecretFile(path, loyalty::formatSecretKey(keys, "central voucher signing key — keep secret"));
    spdlog::warn("created a new voucher signing key at {}", path);
    return keys;
}

/// The OTP notifier: the webhook of otp_webhook_url, or the development file sink in the data dir.
std::unique_ptr<OtpNotifier> makeOtpNotifier(const Settings& settings) {
    if (!settings.otpWebhookUrl.empty()) return std::make_unique<WebhookOtpNotifier>(settings.otpWebhookUrl);
    const auto sink = (std::filesystem::path(settings.dataDir) / "otp-outbox.jsonl").string();
    spdlog::warn("OTP notifier: development file sink {}", sink);
    return std::make_unique<FileOtpNotifier>(sink);
}

/// The notification worker of [notify] (docs/notifications.md), or none when no provider is set.
std::unique_ptr<NotifWorker> startNotifications(const NotifySettings& n, Database& db,
                                                const loyalty::Clock& clock, Service& service) {
    if (n.providerUrl.empty()) {
        spdlog::info("notifications off (no notify.provider_url)");
        return nullptr;
    }
    NotifRules rules;
    rules.maxAttempts = n.maxAttempts;
    rules.backoffBaseSeconds = n.backoffBaseSeconds;
    rules.backoffMaxSeconds = n.backoffMaxSeconds;
    rules.quietStartHour = n.quietStartHour;
    rules.quietEndHour = n.quietEndHour;
    rules.marketingPerWeek = n.marketingPerWeek;
    rules.expiryReminderDays = n.expiryReminderDays;
    rules.voucherReminderDays = n.voucherReminderDays;
    rules.tierRiskDays = n.tierRiskDays;
    rules.batch = static_cast<std::size_t>(n.batch);
    rules.pollMs = n.pollMs;
    const NotifProviderOptions provider{n.providerUrl, n.secret, n.language, n.timeoutMs};
    (void)makeHttpTransport(provider);  // a malformed URL fails the start here, not on the worker thread
    spdlog::info("notifications to {} senders={} batch={}", n.providerUrl, n.senders, n.batch);
    return std::make_unique<NotifWorker>(
        db, clock, rules, static_cast<std::size_t>(n.senders),
        [provider] { return makeHttpTransport(provider); },
        NotifHooks{[&service] {
                       return NotifCampaign{service.pointsExpiryMonths(), service.tierRules()};
                   },
                   [&service] { return service.claimsWaiting(); }});
}

/// What the Service is seeded with and its secrets, from the settings and the files they name.
ServiceOptions serviceOptions(const Settings& settings) {
    ServiceOptions options;
    options.campaignToml = readFile(settings.campaignFile);
    options.tiersToml = readFile(settings.tiersFile);
    if (std::filesystem::exists(settings.rewardsFile)) options.rewardsToml = readFile(settings.rewardsFile);
    for (const auto& [id, file] : settings.stores) options.seedStoreKeys.emplace_back(id, readFile(file));
    options.seedEnrollmentCode = settings.devEnrollmentCode.value_or("");
    options.seedEnrollmentKiosk = settings.devKioskId;
    options.seedEnrollmentStore = settings.devStore;
    options.otpKey = loadOrCreateOtpKey(settings.otpKeyFile);
    if (!options.seedEnrollmentCode.empty())
        spdlog::warn("development enrollment code in use for kiosk {} (--demo only)", settings.devKioskId);
    options.adminToken = settings.adminToken;
    if (options.adminToken.empty()) {
        options.adminToken = kDevAdminToken;
        spdlog::warn("no admin_token configured: using the DEVELOPMENT admin token");
    }
    options.notifications = !settings.notify.providerUrl.empty();
    return options;
}

}  // namespace

int runCentral(Settings settings) {
    auto logger = spdlog::stdout_logger_mt("central");
    logger->set_pattern("%l %v");  // journald timestamps each line itself
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(settings.logLevel));
    spdlog::flush_on(spdlog::level::info);

    // Everything central creates (database, WAL, outbox, keys) is owner-only, whatever umask it got.
    ::umask(S_IRWXG | S_IRWXO);
    resolveDefaults(settings);
    if (!settings.demo)
        if (auto found = developmentSecrets(settings); !found.empty()) refuse(found);
    lockDownDataDir(settings.dataDir);

    // Block the termination signals in every thread; one thread waits for them and stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // The system clock; only a --demo run lets a test move it forward (POST /v1/admin/clock/advance).
    loyalty::SteppableClock clock;
    auto db = Database::open(settings.database, clock);
    const char* backend = db->backend() == Backend::Postgres ? "postgresql" : "sqlite";
    spdlog::info("database backend={} schema_version={}", backend, db->schemaVersion());
    if (settings.demo)
        spdlog::warn(
            "DEMO mode: development secrets allowed, listening on loopback only; never in production");
    else
        refuseDevelopmentKeyInDatabase(*db);
    sd_notifyf(0, "STATUS=database open (%s), loading the campaign", backend);

    auto options = serviceOptions(settings);
    Service service(*db, clock, std::move(options), loadOrCreateVoucherKey(settings.voucherKeyFile),
                    makeOtpNotifier(settings));
    const auto notify = startNotifications(settings.notify, *db, clock, service);
    Metrics metrics;
    BoundedTaskQueue queue(settings.workers, settings.maxQueued);
    metrics.setQueueDepthSource([&queue] { return queue.depth(); });
    http::Router router;
    installHttpApi(
        router, service, metrics,
        HttpOptions{settings.maxBodyBytes, "0.1.0", backend, settings.limits,
                    settings.demo ? &clock : nullptr, settings.consoleDir, settings.notify.secret});
    http::Server server(router, queue, settings.http);
    const int port = server.start(settings.listenHost, settings.listenPort);
    spdlog::info("listening on {}:{} workers={} max_queued={}", settings.listenHost, port, settings.workers,
                 settings.maxQueued);
    std::string proxies;
    for (const auto& proxy : settings.http.trustedProxies) proxies += (proxies.empty() ? "" : ",") + proxy;
    spdlog::info("http max_connections={} per_address={} read_timeout_s={} trusted_proxies=\"{}\"",
                 settings.http.maxConnections, settings.http.maxConnectionsPerAddress,
                 settings.http.readTimeoutSeconds, proxies);
    sd_notifyf(0, "READY=1\nSTATUS=serving on %s:%d (%s)", settings.listenHost.c_str(), port, backend);

    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal={} stopping", received);
    sd_notify(0, "STOPPING=1\nSTATUS=stopping");
    // Answers in flight get a second; a SIGTERM must end the process within systemd's patience (2 s).
    server.stop(std::chrono::milliseconds(1000));
    metrics.setQueueDepthSource(nullptr);
    spdlog::info("stopped");
    return 0;
}

}  // namespace central
