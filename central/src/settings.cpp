#include "central/settings.hpp"

#include <toml++/toml.h>
#include <CLI/CLI.hpp>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "central/http/forwarded.hpp"
#include "loyalty/toml_fields.hpp"

namespace central {
namespace {

void parseListen(const std::string& text, Settings& s) {
    const auto colon = text.rfind(':');
    int port = -1;
    if (colon == std::string::npos || colon == 0 ||
        std::from_chars(text.data() + colon + 1, text.data() + text.size(), port).ec != std::errc{} ||
        port < 0 || port > 65535)
        throw std::runtime_error("listen must be HOST:PORT (e.g. 127.0.0.1:8080), got \"" + text + "\"");
    s.listenHost = text.substr(0, colon);
    s.listenPort = port;
}

/// central.toml's integers are counts and sizes: 1 to this, unless a key says otherwise.
constexpr std::int64_t kMaxCount = 100'000'000;

/// Throws the reader's first error ("http.max_connections must be between ..."), naming the file.
void check(const loyalty::TomlFields& fields, const std::string& path) {
    if (fields.error()) throw std::runtime_error("config " + path + ": " + *fields.error());
}

void readLimit(loyalty::TomlFields& t, const std::string& name, RateLimit& limit, double perMinuteScale = 1) {
    std::int64_t perMinute = 0;
    std::int64_t burst = 0;
    t.read(name + "_per_" + (perMinuteScale == 1 ? "minute" : "hour"), perMinute, 1, kMaxCount);
    t.read(name + "_burst", burst, 1, kMaxCount);
    if (perMinute > 0) limit.perMinute = static_cast<double>(perMinute) * perMinuteScale;
    if (burst > 0) limit.burst = static_cast<double>(burst);
}

void applyLimits(const toml::table& table, RateLimits& limits, const std::string& path) {
    loyalty::TomlFields t(table, "rate_limits");
    t.allowOnly({"lookup_per_minute", "lookup_burst", "otp_per_minute", "otp_burst", "redeem_per_minute",
                 "redeem_burst", "consume_per_minute", "consume_burst", "enroll_per_minute", "enroll_burst",
                 "per_address_per_minute", "per_address_burst", "consume_guesses_per_hour",
                 "consume_guesses_burst"});
    readLimit(t, "lookup", limits.lookup);
    readLimit(t, "otp", limits.otp);
    readLimit(t, "redeem", limits.redeem);
    readLimit(t, "consume", limits.consume);
    readLimit(t, "enroll", limits.enroll);
    readLimit(t, "per_address", limits.perAddress);
    readLimit(t, "consume_guesses", limits.consumeGuesses, 1.0 / 60);
    check(t, path);
}

void applyTrustedProxies(loyalty::TomlFields& t, http::ServerOptions& http) {
    const toml::array* proxies = t.optionalArray("trusted_proxies", "addresses");
    if (proxies == nullptr) return;
    http.trustedProxies.clear();
    for (const auto& entry : *proxies) {
        const auto address =
            entry.is_string() ? http::canonicalAddress(entry.as_string()->get()) : std::nullopt;
        if (!address) {
            t.fail("trusted_proxies", (entry.is_string() ? "entry \"" + entry.as_string()->get() + "\""
                                                         : std::string("entry (not text)")) +
                                          " is not an IPv4 or IPv6 address (no port, no name, no range)");
            return;
        }
        http.trustedProxies.push_back(*address);
    }
}

void applyHttp(const toml::table& table, http::ServerOptions& http, const std::string& path) {
    loyalty::TomlFields t(table, "http");
    t.allowOnly({"max_connections", "max_connections_per_address", "header_buffer_bytes", "max_headers",
                 "event_threads", "listen_backlog", "keep_alive_max_requests", "keep_alive_timeout_seconds",
                 "read_timeout_seconds", "write_timeout_seconds", "trusted_proxies"});
    t.read("max_connections", http.maxConnections, 1, 1'000'000);
    t.read("max_connections_per_address", http.maxConnectionsPerAddress, 1,
           static_cast<std::int64_t>(http.maxConnections));
    t.read("header_buffer_bytes", http.connectionBufferBytes, 4096, 16 << 20);
    t.read("max_headers", http.maxHeaders, 1, 10'000);
    t.read("event_threads", http.eventThreads, 2, 64);
    t.read("listen_backlog", http.listenBacklog, 1, 65'535);
    t.read("keep_alive_max_requests", http.keepAliveMaxCount, 1, 1'000'000);
    t.read("keep_alive_timeout_seconds", http.keepAliveTimeoutSeconds, 1, 3600);
    t.read("read_timeout_seconds", http.readTimeoutSeconds, 1, 3600);
    t.read("write_timeout_seconds", http.writeTimeoutSeconds, 1, 3600);
    applyTrustedProxies(t, http);
    check(t, path);
}

void applyNotify(const toml::table& table, NotifySettings& n, const std::string& path) {
    loyalty::TomlFields t(table, "notify");
    t.allowOnly({"provider_url", "secret_file", "language", "timeout_ms", "max_attempts",
                 "backoff_base_seconds", "backoff_max_seconds", "senders", "batch", "poll_ms",
                 "quiet_start_hour", "quiet_end_hour", "marketing_per_week", "expiry_reminder_days",
                 "voucher_reminder_days", "tier_risk_days"});
    t.read("provider_url", n.providerUrl);
    t.read("secret_file", n.secretFile);
    t.read("language", n.language);
    if (n.language != "vi" && n.language != "en") t.fail("language", "must be \"vi\" or \"en\"");
    if (!n.providerUrl.empty() && !n.providerUrl.starts_with("http://") &&
        !n.providerUrl.starts_with("https://"))
        t.fail("provider_url", "must start with http:// or https://");
    t.read("timeout_ms", n.timeoutMs, 50, 60'000);
    t.read("max_attempts", n.maxAttempts, 1, 100);
    t.read("backoff_base_seconds", n.backoffBaseSeconds, 1, 3600);
    t.read("backoff_max_seconds", n.backoffMaxSeconds, n.backoffBaseSeconds, 86'400);
    t.read("senders", n.senders, 1, 64);
    t.read("batch", n.batch, 1, 5000);
    t.read("poll_ms", n.pollMs, 10, 60'000);
    t.read("quiet_start_hour", n.quietStartHour, 0, 23);
    t.read("quiet_end_hour", n.quietEndHour, 0, 23);
    t.read("marketing_per_week", n.marketingPerWeek, 0, 100);
    t.read("expiry_reminder_days", n.expiryReminderDays, 1, 90);
    t.read("voucher_reminder_days", n.voucherReminderDays, 1, 90);
    t.read("tier_risk_days", n.tierRiskDays, 1, 90);
    if (!n.providerUrl.empty() && n.secretFile.empty())
        t.fail("secret_file", "is required with notify.provider_url");
    check(t, path);
}

/// [dev_enrollment] (code, kiosk_id, store) and [[stores]] (id, public_key_file).
void applyEnrollment(loyalty::TomlFields& root, Settings& s, const std::string& path) {
    if (const toml::table* table = root.optionalTable("dev_enrollment")) {
        loyalty::TomlFields dev(*table, "dev_enrollment");
        std::string code = kDevEnrollmentCode;
        dev.read("code", code);
        s.devEnrollmentCode = code;
        dev.read("kiosk_id", s.devKioskId);
        dev.read("store", s.devStore);
        check(dev, path);
    }
    const toml::array* stores = root.arrayOfTables("stores", false);
    check(root, path);
    if (stores == nullptr) return;
    s.stores.clear();
    for (std::size_t i = 0; i < stores->size(); ++i) {
        loyalty::TomlFields store(*(*stores)[i].as_table(), "stores[" + std::to_string(i) + "]");
        std::string id = store.text("id");
        std::string file = store.text("public_key_file");
        check(store, path);
        s.stores.emplace_back(std::move(id), std::move(file));
    }
}

void applyToml(const std::string& path, Settings& s) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const auto parsed = loyalty::parseTomlText(text.str());
    if (!parsed) throw std::runtime_error("config " + path + ": " + parsed.error());
    loyalty::TomlFields t(*parsed, "");
    t.allowOnly({"listen",          "data_dir",      "database",     "admin_token",    "assets_dir",
                 "console_dir",     "campaign_file", "tiers_file",   "rewards_file",   "voucher_key_file",
                 "otp_webhook_url", "workers",       "max_queued",   "max_body_bytes", "log_level",
                 "dev_enrollment",  "stores",        "otp_key_file", "rate_limits",    "http",
                 "notify"});
    std::string listen;
    t.read("listen", listen);
    t.read("data_dir", s.dataDir);
    t.read("database", s.database);
    t.read("admin_token", s.adminToken);
    t.read("assets_dir", s.assetsDir);
    t.read("console_dir", s.consoleDir);
    t.read("campaign_file", s.campaignFile);
    t.read("tiers_file", s.tiersFile);
    t.read("rewards_file", s.rewardsFile);
    t.read("voucher_key_file", s.voucherKeyFile);
    t.read("otp_webhook_url", s.otpWebhookUrl);
    t.read("otp_key_file", s.otpKeyFile);
    t.read("workers", s.workers, 1, kMaxCount);
    t.read("max_queued", s.maxQueued, 1, kMaxCount);
    t.read("max_body_bytes", s.maxBodyBytes, 1, kMaxCount);
    t.read("log_level", s.logLevel);
    const toml::table* limits = t.optionalTable("rate_limits");
    const toml::table* httpTable = t.optionalTable("http");
    const toml::table* notify = t.optionalTable("notify");
    check(t, path);
    if (!listen.empty()) parseListen(listen, s);
    applyEnrollment(t, s, path);
    if (limits != nullptr) applyLimits(*limits, s.limits, path);
    if (httpTable != nullptr) applyHttp(*httpTable, s.http, path);
    if (notify != nullptr) applyNotify(*notify, s.notify, path);
}

bool isLoopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

Settings loadSettings(int argc, char** argv) {
    Settings s;
    CLI::App app{"central — the loyalty chain's ledger and fleet service (HTTP/JSON, docs/api.md)"};
    std::string config, listen, data, db;
    app.add_option("--config", config, "TOML configuration file (see assets/config/central.toml)")
        ->check(CLI::ExistingFile);
    app.add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any free)");
    app.add_option("--data", data, "data directory (default ./central-data)");
    app.add_flag("--demo", s.demo,
                 "demonstration mode: development secrets allowed, loopback only (never in production)");
    app.add_option("--db", db, "database: postgresql://… or sqlite:/path (default SQLite in the data dir)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        std::exit(app.exit(e));
    }
    if (!config.empty()) applyToml(config, s);
    if (!listen.empty()) parseListen(listen, s);
    if (!data.empty()) s.dataDir = data;
    if (!db.empty()) s.database = db;
    if (s.demo && !isLoopback(s.listenHost))
        throw InsecureSettings("--demo listens on loopback only (127.0.0.1, ::1, localhost), not on " +
                               s.listenHost + ": drop --demo and configure real secrets to listen there");
    if (!s.devEnrollmentCode) s.devEnrollmentCode = s.demo ? kDevEnrollmentCode : "";
    return s;
}

std::vector<std::string> developmentSecrets(const Settings& s) {
    std::vector<std::string> found;
    if (s.adminToken.empty())
        found.push_back("admin_token is not set (the development token \"" + std::string(kDevAdminToken) +
                        "\" would be used)");
    else if (s.adminToken == kDevAdminToken)
        found.push_back("admin_token is the published development token");
    else if (s.adminToken.size() < kMinAdminTokenChars)
        found.push_back("admin_token has " + std::to_string(s.adminToken.size()) + " characters; at least " +
                        std::to_string(kMinAdminTokenChars) + " random ones are required");
    if (s.devEnrollmentCode && !s.devEnrollmentCode->empty())
        found.push_back("dev_enrollment.code is set (\"" + *s.devEnrollmentCode +
                        "\"); enrollment codes come from kioskctl enroll-code");
    if (s.stores.empty())
        found.push_back("no [[stores]] configured (only the development store DEV001 would be)");
    for (const auto& [id, file] : s.stores)
        if (readText(file).find(kDevStorePublicKey) != std::string::npos)
            found.push_back("[[stores]] " + id + " uses the published development key of DEV001 (" + file +
                            ")");
    return found;
}

void resolveDefaults(Settings& s) {
    namespace fs = std::filesystem;
    if (s.assetsDir.empty()) s.assetsDir = KIOSK_ASSETS_DIR;
    if (s.consoleDir.empty()) s.consoleDir = KIOSK_CONSOLE_DIR;
    const fs::path assets(s.assetsDir);
    auto under = [&](std::string& file, const fs::path& fallback) {
        if (file.empty())
            file = fallback.string();
        else if (fs::path(file).is_relative() && !fs::exists(file))
            file = (assets / file).string();
    };
    under(s.campaignFile, assets / "config/campaign.toml");
    under(s.tiersFile, assets / "config/tiers.toml");
    under(s.rewardsFile, assets / "config/rewards.toml");
    if (s.stores.empty() && s.demo) s.stores.emplace_back("DEV001", "samples/DEV001.pub");
    for (auto& [id, file] : s.stores) under(file, assets / file);
    if (s.database.empty()) s.database = "sqlite:" + (fs::path(s.dataDir) / "central.db").string();
    if (s.voucherKeyFile.empty()) s.voucherKeyFile = (fs::path(s.dataDir) / "voucher.key").string();
    if (s.otpKeyFile.empty()) s.otpKeyFile = (fs::path(s.dataDir) / "otp.key").string();
    if (!s.notify.providerUrl.empty()) {
        if (!fs::exists(s.notify.secretFile))
            throw std::runtime_error("missing notify.secret_file " + s.notify.secretFile);
        s.notify.secret = readText(s.notify.secretFile);
        while (!s.notify.secret.empty() && std::isspace(static_cast<unsigned char>(s.notify.secret.back())))
            s.notify.secret.pop_back();
        if (s.notify.secret.size() < 32)
            throw std::runtime_error("notify.secret_file " + s.notify.secretFile +
                                     ": the shared secret must be at least 32 characters");
    }
    for (const auto* file : {&s.campaignFile, &s.tiersFile})
        if (!fs::exists(*file)) throw std::runtime_error("missing file " + *file);
    for (const auto& [id, file] : s.stores)
        if (!fs::exists(file))
            throw std::runtime_error("missing public key file of store " + id + ": " + file);
}

}  // namespace central
