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

template <typename T>
void read(const toml::table& t, const char* key, T& out) {
    const auto* node = t.get(key);
    if (!node) return;
    if constexpr (std::is_same_v<T, std::string>) {
        if (!node->is_string()) throw std::runtime_error(std::string(key) + " must be a string");
        out = node->as_string()->get();
    } else {
        if (!node->is_integer() || node->as_integer()->get() < 1 || node->as_integer()->get() > 100'000'000)
            throw std::runtime_error(std::string(key) + " must be a positive integer");
        out = static_cast<T>(node->as_integer()->get());
    }
}

void readLimit(const toml::table& t, const std::string& name, RateLimit& limit, double perMinuteScale = 1) {
    std::size_t perMinute = 0, burst = 0;
    read(t, (name + "_per_" + (perMinuteScale == 1 ? "minute" : "hour")).c_str(), perMinute);
    read(t, (name + "_burst").c_str(), burst);
    if (perMinute > 0) limit.perMinute = static_cast<double>(perMinute) * perMinuteScale;
    if (burst > 0) limit.burst = static_cast<double>(burst);
}

void applyLimits(const toml::node* node, RateLimits& limits) {
    if (!node) return;
    if (!node->is_table()) throw std::runtime_error("rate_limits must be a table");
    const auto& t = *node->as_table();
    static const std::vector<std::string> kKnown{
        "lookup_per_minute",        "lookup_burst",         "otp_per_minute",         "otp_burst",
        "redeem_per_minute",        "redeem_burst",         "consume_per_minute",     "consume_burst",
        "enroll_per_minute",        "enroll_burst",         "per_address_per_minute", "per_address_burst",
        "consume_guesses_per_hour", "consume_guesses_burst"};
    for (const auto& [key, value] : t)
        if (std::find(kKnown.begin(), kKnown.end(), std::string(key.str())) == kKnown.end())
            throw std::runtime_error("rate_limits: unknown key " + std::string(key.str()));
    readLimit(t, "lookup", limits.lookup);
    readLimit(t, "otp", limits.otp);
    readLimit(t, "redeem", limits.redeem);
    readLimit(t, "consume", limits.consume);
    readLimit(t, "enroll", limits.enroll);
    readLimit(t, "per_address", limits.perAddress);
    readLimit(t, "consume_guesses", limits.consumeGuesses, 1.0 / 60);
}

/// An integer key of [http] within [least, most].
template <typename T>
void readBounded(const toml::table& t, const char* key, long long least, long long most, T& out,
                 const std::string& table = "http") {
    const auto* node = t.get(key);
    if (!node) return;
    if (!node->is_integer() || node->as_integer()->get() < least || node->as_integer()->get() > most)
        throw std::runtime_error(table + "." + std::string(key) + " must be an integer from " +
                                 std::to_string(least) + " to " + std::to_string(most));
    out = static_cast<T>(node->as_integer()->get());
}

void applyHttp(const toml::node* node, http::ServerOptions& http) {
    if (!node) return;
    if (!node->is_table()) throw std::runtime_error("http must be a table");
    const auto& t = *node->as_table();
    static const std::vector<std::string> kKnown{"max_connections",         "max_connections_per_address",
                                                 "header_buffer_bytes",     "max_headers",
                                                 "event_threads",           "listen_backlog",
                                                 "keep_alive_max_requests", "keep_alive_timeout_seconds",
                                                 "read_timeout_seconds",    "write_timeout_seconds",
                                                 "trusted_proxies"};
    for (const auto& [key, value] : t)
        if (std::find(kKnown.begin(), kKnown.end(), std::string(key.str())) == kKnown.end())
            throw std::runtime_error("http: unknown key " + std::string(key.str()));
    readBounded(t, "max_connections", 1, 1'000'000, http.maxConnections);
    readBounded(t, "max_connections_per_address", 1, http.maxConnections, http.maxConnectionsPerAddress);
    readBounded(t, "header_buffer_bytes", 4096, 16 << 20, http.connectionBufferBytes);
    readBounded(t, "max_headers", 1, 10'000, http.maxHeaders);
    readBounded(t, "event_threads", 2, 64, http.eventThreads);
    readBounded(t, "listen_backlog", 1, 65'535, http.listenBacklog);
    readBounded(t, "keep_alive_max_requests", 1, 1'000'000, http.keepAliveMaxCount);
    readBounded(t, "keep_alive_timeout_seconds", 1, 3600, http.keepAliveTimeoutSeconds);
    readBounded(t, "read_timeout_seconds", 1, 3600, http.readTimeoutSeconds);
    readBounded(t, "write_timeout_seconds", 1, 3600, http.writeTimeoutSeconds);
    if (const auto* proxies = t.get("trusted_proxies")) {
        if (!proxies->is_array())
            throw std::runtime_error("http.trusted_proxies must be an array of addresses");
        http.trustedProxies.clear();
        for (const auto& entry : *proxies->as_array()) {
            const auto address =
                entry.is_string() ? http::canonicalAddress(entry.as_string()->get()) : std::nullopt;
            if (!address)
                throw std::runtime_error(
                    "http.trusted_proxies: " +
                    (entry.is_string() ? "\"" + entry.as_string()->get() + "\"" : "an entry") +
                    " is not an IPv4 or IPv6 address (no port, no name, no range)");
            http.trustedProxies.push_back(*address);
        }
    }
}

void applyNotify(const toml::node* node, NotifySettings& n) {
    if (!node) return;
    if (!node->is_table()) throw std::runtime_error("notify must be a table");
    const auto& t = *node->as_table();
    static const std::vector<std::string> kKnown{"provider_url",
                                                 "secret_file",
                                                 "language",
                                                 "timeout_ms",
                                                 "max_attempts",
                                                 "backoff_base_seconds",
                                                 "backoff_max_seconds",
                                                 "senders",
                                                 "batch",
                                                 "poll_ms",
                                                 "quiet_start_hour",
                                                 "quiet_end_hour",
                                                 "marketing_per_week",
                                                 "expiry_reminder_days",
                                                 "voucher_reminder_days",
                                                 "tier_risk_days"};
    for (const auto& [key, value] : t)
        if (std::find(kKnown.begin(), kKnown.end(), std::string(key.str())) == kKnown.end())
            throw std::runtime_error("notify: unknown key " + std::string(key.str()));
    read(t, "provider_url", n.providerUrl);
    read(t, "secret_file", n.secretFile);
    read(t, "language", n.language);
    if (n.language != "vi" && n.language != "en")
        throw std::runtime_error("notify.language must be \"vi\" or \"en\"");
    if (!n.providerUrl.empty() && !n.providerUrl.starts_with("http://") &&
        !n.providerUrl.starts_with("https://"))
        throw std::runtime_error("notify.provider_url must start with http:// or https://");
    readBounded(t, "timeout_ms", 50, 60'000, n.timeoutMs, "notify");
    readBounded(t, "max_attempts", 1, 100, n.maxAttempts, "notify");
    readBounded(t, "backoff_base_seconds", 1, 3600, n.backoffBaseSeconds, "notify");
    readBounded(t, "backoff_max_seconds", n.backoffBaseSeconds, 86'400, n.backoffMaxSeconds, "notify");
    readBounded(t, "senders", 1, 64, n.senders, "notify");
    readBounded(t, "batch", 1, 5000, n.batch, "notify");
    readBounded(t, "poll_ms", 10, 60'000, n.pollMs, "notify");
    readBounded(t, "quiet_start_hour", 0, 23, n.quietStartHour, "notify");
    readBounded(t, "quiet_end_hour", 0, 23, n.quietEndHour, "notify");
    readBounded(t, "marketing_per_week", 0, 100, n.marketingPerWeek, "notify");
    readBounded(t, "expiry_reminder_days", 1, 90, n.expiryReminderDays, "notify");
    readBounded(t, "voucher_reminder_days", 1, 90, n.voucherReminderDays, "notify");
    readBounded(t, "tier_risk_days", 1, 90, n.tierRiskDays, "notify");
    if (!n.providerUrl.empty() && n.secretFile.empty())
        throw std::runtime_error("notify.secret_file is required with notify.provider_url");
}

void applyToml(const std::string& path, Settings& s) {
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw std::runtime_error("config " + path + ": " + std::string(e.description()));
    }
    static const std::vector<std::string> kKnown{
        "listen",          "data_dir",      "database",     "admin_token",    "assets_dir",
        "console_dir",     "campaign_file", "tiers_file",   "rewards_file",   "voucher_key_file",
        "otp_webhook_url", "workers",       "max_queued",   "max_body_bytes", "log_level",
        "dev_enrollment",  "stores",        "otp_key_file", "rate_limits",    "http",
        "notify",
    };
    for (const auto& [key, value] : t)
        if (std::find(kKnown.begin(), kKnown.end(), std::string(key.str())) == kKnown.end())
            throw std::runtime_error("config " + path + ": unknown key " + std::string(key.str()));
    std::string listen;
    read(t, "listen", listen);
    if (!listen.empty()) parseListen(listen, s);
    read(t, "data_dir", s.dataDir);
    read(t, "database", s.database);
    read(t, "admin_token", s.adminToken);
    read(t, "assets_dir", s.assetsDir);
    read(t, "console_dir", s.consoleDir);
    read(t, "campaign_file", s.campaignFile);
    read(t, "tiers_file", s.tiersFile);
    read(t, "rewards_file", s.rewardsFile);
    read(t, "voucher_key_file", s.voucherKeyFile);
    read(t, "otp_webhook_url", s.otpWebhookUrl);
    read(t, "otp_key_file", s.otpKeyFile);
    read(t, "workers", s.workers);
    read(t, "max_queued", s.maxQueued);
    read(t, "max_body_bytes", s.maxBodyBytes);
    read(t, "log_level", s.logLevel);
    if (const auto* dev = t.get("dev_enrollment")) {
        if (!dev->is_table()) throw std::runtime_error("dev_enrollment must be a table");
        std::string code = kDevEnrollmentCode;
        read(*dev->as_table(), "code", code);
        s.devEnrollmentCode = code;
        read(*dev->as_table(), "kiosk_id", s.devKioskId);
        read(*dev->as_table(), "store", s.devStore);
    }
    if (const auto* stores = t.get("stores")) {
        if (!stores->is_array_of_tables())
            throw std::runtime_error("stores must be an array of tables [[stores]]");
        s.stores.clear();
        for (const auto& node : *stores->as_array()) {
            std::string id, file;
            read(*node.as_table(), "id", id);
            read(*node.as_table(), "public_key_file", file);
            if (id.empty() || file.empty())
                throw std::runtime_error("each [[stores]] needs id and public_key_file");
            s.stores.emplace_back(id, file);
        }
    }
    applyLimits(t.get("rate_limits"), s.limits);
    applyHttp(t.get("http"), s.http);
    applyNotify(t.get("notify"), s.notify);
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
