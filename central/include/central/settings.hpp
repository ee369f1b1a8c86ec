#pragma once
// central's configuration: a TOML file (assets/config/central.toml documents every key) overridden by
// command-line flags. Loading happens at start-up only and throws std::runtime_error with a message
// naming the key or flag on any error.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace central {

struct Settings {
    std::string listenHost = "127.0.0.1";
    int listenPort = 8080;  ///< 0 = any free port (logged as "listening on HOST:PORT")
    std::string dataDir = "./central-data";
    std::string database;    ///< empty = "sqlite:<dataDir>/central.db"
    std::string adminToken;  ///< empty = the development token, with a warning
    std::string assetsDir;   ///< empty = the source tree's assets/ (development builds)
    std::string campaignFile;
    std::string tiersFile;
    std::string rewardsFile;
    std::string voucherKeyFile;  ///< empty = <dataDir>/voucher.key, created if missing
    std::string otpWebhookUrl;   ///< empty = file sink <dataDir>/otp-outbox.jsonl
    /// Stores seeded into an empty database: (store id, public key file).
    std::vector<std::pair<std::string, std::string>> stores;
    std::string devEnrollmentCode = "DEV-ENROLL-0001";  ///< empty = none
    std::string devKioskId = "K-DEV-01";
    std::string devStore = "DEV001";
    std::size_t workers = 32;     ///< threads serving connections (one connection each at a time)
    std::size_t maxQueued = 256;  ///< connections waiting for a worker; beyond: 503 + Retry-After
    std::size_t maxBodyBytes = 1u << 20;
    std::string logLevel = "info";
};

inline constexpr const char* kDevAdminToken = "dev-admin-token";

/// Reads `--config FILE` (if given) then applies the flags. `--help` prints usage and exits 0.
[[nodiscard]] Settings loadSettings(int argc, char** argv);

/// Fills every empty default (database URL, files under assets/ and the data dir). Throws if a file
/// named explicitly does not exist.
void resolveDefaults(Settings& settings);

}  // namespace central
