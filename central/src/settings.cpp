#include "central/settings.hpp"

#include <toml++/toml.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

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

void applyToml(const std::string& path, Settings& s) {
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw std::runtime_error("config " + path + ": " + std::string(e.description()));
    }
    static const std::vector<std::string> kKnown{
        "listen",           "data_dir",        "database",       "admin_token",
        "assets_dir",       "campaign_file",   "tiers_file",     "rewards_file",
        "voucher_key_file", "otp_webhook_url", "workers",        "max_queued",
        "max_body_bytes",   "log_level",       "dev_enrollment", "stores"};
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
    read(t, "campaign_file", s.campaignFile);
    read(t, "tiers_file", s.tiersFile);
    read(t, "rewards_file", s.rewardsFile);
    read(t, "voucher_key_file", s.voucherKeyFile);
    read(t, "otp_webhook_url", s.otpWebhookUrl);
    read(t, "workers", s.workers);
    read(t, "max_queued", s.maxQueued);
    read(t, "max_body_bytes", s.maxBodyBytes);
    read(t, "log_level", s.logLevel);
    if (const auto* dev = t.get("dev_enrollment")) {
        if (!dev->is_table()) throw std::runtime_error("dev_enrollment must be a table");
        read(*dev->as_table(), "code", s.devEnrollmentCode);
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
    return s;
}

void resolveDefaults(Settings& s) {
    namespace fs = std::filesystem;
    if (s.assetsDir.empty()) s.assetsDir = KIOSK_ASSETS_DIR;
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
    if (s.stores.empty()) s.stores.emplace_back("DEV001", "samples/DEV001.pub");
    for (auto& [id, file] : s.stores) under(file, assets / file);
    if (s.database.empty()) s.database = "sqlite:" + (fs::path(s.dataDir) / "central.db").string();
    if (s.voucherKeyFile.empty()) s.voucherKeyFile = (fs::path(s.dataDir) / "voucher.key").string();
    for (const auto* file : {&s.campaignFile, &s.tiersFile})
        if (!fs::exists(*file)) throw std::runtime_error("missing file " + *file);
    for (const auto& [id, file] : s.stores)
        if (!fs::exists(file))
            throw std::runtime_error("missing public key file of store " + id + ": " + file);
}

}  // namespace central
