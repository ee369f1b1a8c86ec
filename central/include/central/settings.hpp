#pragma once
// central's configuration: a TOML file (assets/config/central.toml documents every key) overridden by
// command-line flags. Loading happens at start-up only and throws std::runtime_error with a message
// naming the key or flag on any error.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "central/http/server.hpp"

namespace central {

/// A token bucket: `burst` requests at once, refilled at `perMinute` (docs/api.md, "Limits").
struct RateLimit {
    double perMinute = 60;
    double burst = 30;
};

/// The limits of [rate_limits] in central.toml. Per credential (kiosk or admin token) unless named
/// per address; `consumeGuesses` is charged only by a consume of an unknown code (a guess).
struct RateLimits {
    RateLimit lookup{120, 300};
    RateLimit otp{20, 10};
    RateLimit redeem{60, 30};
    RateLimit consume{120, 60};
    RateLimit enroll{60, 120};                ///< per address (enrollment has no credential yet)
    RateLimit perAddress{1200, 600};          ///< every limited route of one client address together
    RateLimit consumeGuesses{20.0 / 60, 20};  ///< refill 20 per hour
};

/// [notify] (docs/notifications.md): member notifications through a ZNS / SMS provider. Off while
/// provider_url is empty.
struct NotifySettings {
    std::string providerUrl;
    std::string secretFile;  ///< the shared HMAC secret (required with provider_url; 32+ characters)
    std::string secret;      ///< read from secretFile by resolveDefaults
    std::string language = "vi";
    int timeoutMs = 5000;
    int maxAttempts = 10;
    int backoffBaseSeconds = 2;
    int backoffMaxSeconds = 900;
    int senders = 16;
    int batch = 500;
    int pollMs = 200;
    int quietStartHour = 21;
    int quietEndHour = 8;
    int marketingPerWeek = 2;
    int expiryReminderDays = 7;
    int voucherReminderDays = 3;
    int tierRiskDays = 14;
};

struct Settings {
    /// --demo: development secrets allowed, loopback only. Without it a development secret in effect
    /// refuses the start (InsecureSettings).
    bool demo = false;
    std::string listenHost = "127.0.0.1";
    int listenPort = 8080;  ///< 0 = any free port (logged as "listening on HOST:PORT")
    std::string dataDir = "./central-data";
    std::string database;    ///< empty = "sqlite:<dataDir>/central.db"
    std::string adminToken;  ///< empty = the development token, with a warning
    std::string assetsDir;   ///< empty = the source tree's assets/ (development builds)
    std::string consoleDir;  ///< the console's static files; empty = the source tree's console/
    std::string campaignFile;
    std::string tiersFile;
    std::string rewardsFile;
    std::string voucherKeyFile;  ///< empty = <dataDir>/voucher.key, created if missing
    std::string otpWebhookUrl;   ///< empty = file sink <dataDir>/otp-outbox.jsonl
    std::string otpKeyFile;      ///< empty = <dataDir>/otp.key (keyed hash of stored codes), created 0600
    /// Stores seeded into an empty database: (store id, public key file).
    std::vector<std::pair<std::string, std::string>> stores;
    /// Unset: "DEV-ENROLL-0001" with --demo, none otherwise. A code set outside --demo is refused.
    std::optional<std::string> devEnrollmentCode;
    std::string devKioskId = "K-DEV-01";
    std::string devStore = "DEV001";
    std::size_t workers = 32;     ///< threads serving connections (one connection each at a time)
    std::size_t maxQueued = 256;  ///< connections waiting for a worker; beyond: 503 + Retry-After
    std::size_t maxBodyBytes = 1u << 20;
    std::string logLevel = "info";
    RateLimits limits;
    http::ServerOptions http;  ///< [http]: connection caps, deadlines, header caps, trusted proxies
    NotifySettings notify;     ///< [notify]
};

inline constexpr const char* kDevAdminToken = "dev-admin-token";
inline constexpr const char* kDevEnrollmentCode = "DEV-ENROLL-0001";
/// The published DEVELOPMENT key of store DEV001 (assets/samples/DEV001.pub), refused outside --demo.
inline constexpr const char* kDevStorePublicKey = "YVAMID267267OFQCCQTSVWU6TVOORKKBIHE2MH3Y7CRPCTEX4A3A";
inline constexpr std::size_t kMinAdminTokenChars = 32;
/// central's exit code when it refuses to start on development secrets (sysexits EX_CONFIG).
inline constexpr int kExitInsecure = 78;

/// Thrown at start-up when a development secret is in effect without --demo; what() lists each one.
class InsecureSettings : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Reads `--config FILE` (if given) then applies the flags. `--help` prints usage and exits 0.
[[nodiscard]] Settings loadSettings(int argc, char** argv);

/// Without --demo: the development secrets in effect, one message each naming its setting (empty =
/// none). Call after resolveDefaults (it reads the [[stores]] key files).
[[nodiscard]] std::vector<std::string> developmentSecrets(const Settings& settings);

/// Fills every empty default (database URL, files under assets/ and the data dir). Throws if a file
/// named explicitly does not exist.
void resolveDefaults(Settings& settings);

}  // namespace central
