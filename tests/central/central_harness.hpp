#pragma once
// Test harness for central's integration tests: starts the REAL build/bin/central on a free loopback
// port with a temporary data directory (and, for PostgreSQL, a fresh database of its own), signs
// receipts with the development store key, and talks JSON over HTTP.

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/types.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "central_launch.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/signing.hpp"
#include "temp_dir.hpp"

namespace central_test {

using Json = nlohmann::json;

enum class Backend { Sqlite, Postgres };

/// A fresh PostgreSQL database on the server of KIOSK_TEST_PG_URL, dropped when this dies.
class PgDatabase {
  public:
    /// nullopt when KIOSK_TEST_PG_URL is not set (the caller skips).
    static std::optional<std::string> baseUrl();
    PgDatabase();
    ~PgDatabase();
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;
    [[nodiscard]] const std::string& url() const { return m_url; }
    /// Runs `sql` (statements without results) in this database; throws std::runtime_error on failure.
    void execute(const std::string& sql) const;

  private:
    std::string m_name;
    std::string m_url;
};

/// A test run once per database backend. For the PostgreSQL case SetUp makes a fresh database, or
/// skips the test when KIOSK_TEST_PG_URL is not set; a fixture that overrides SetUp calls this one
/// first and returns when IsSkipped().
class BackendTest : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override;
    /// The `database` central is given: the fresh PostgreSQL database, or "" (SQLite in its data dir).
    [[nodiscard]] std::string databaseUrl() const { return m_pg ? m_pg->url() : ""; }

    std::unique_ptr<PgDatabase> m_pg;
};

struct Response {
    int status = 0;  ///< 0 = no HTTP answer
    Json body;       ///< null if the body is not JSON
    httplib::Headers headers;
    std::string transportError;  ///< why there is no answer, when status is 0
    [[nodiscard]] std::string header(const std::string& name) const;
    [[nodiscard]] std::string code() const;  ///< body.error.code or ""
};

/// One running central process. Stopped with SIGTERM (then SIGKILL) when this dies.
class CentralProcess {
  public:
    struct Options {
        std::string databaseUrl;  ///< empty = SQLite in the data dir
        std::string dataDir;      ///< empty = a directory of the process's own temp dir
        std::string extraToml;    ///< appended to the generated config file
    };
    /// How central is started: --demo (every test's default) or as in production.
    struct Mode {
        /// false: a production start (no --demo) with the admin token kProductionAdmin; extraToml must
        /// then name real [[stores]].
        bool demo = true;
        std::string configFile;  ///< non-empty: this config file as it is, instead of a generated one
    };
    /// Its campaign is test_support::TestCampaign{} (campaign_fixture.hpp).
    explicit CentralProcess(const Options& options, const Mode& mode = Mode{true, ""});
    CentralProcess(const CentralProcess&) = delete;
    CentralProcess& operator=(const CentralProcess&) = delete;

    [[nodiscard]] int port() const { return m_central->port(); }
    [[nodiscard]] const std::string& dataDir() const { return m_dataDir; }
    [[nodiscard]] std::string log() const { return m_central->log(); }
    [[nodiscard]] bool running() const { return m_central->running(); }
    [[nodiscard]] pid_t pid() const { return m_central->pid(); }
    /// SIGTERM, then waits for the exit (SIGKILL after 10 s); the destructor does the same.
    void stop() { m_central->stop(); }

    /// Sends a request; `auth` is the bearer secret ("" = none). `body` as given (raw text).
    Response request(const std::string& method, const std::string& path, const std::string& auth,
                     const std::string& body = "", const std::string& contentType = "application/json",
                     const httplib::Headers& headers = {}) const;
    Response get(const std::string& path, const std::string& auth) const {
        return request("GET", path, auth);
    }
    Response post(const std::string& path, const std::string& auth, const Json& body) const {
        return request("POST", path, auth, body.dump());
    }
    Response put(const std::string& path, const std::string& auth, const Json& body) const {
        return request("PUT", path, auth, body.dump());
    }

    /// The last OTP code the file sink wrote for `phoneE164`.
    [[nodiscard]] std::string lastOtp(const std::string& phoneE164) const;

  private:
    TempDir m_temp;
    std::string m_dataDir;
    std::unique_ptr<test_support::CentralLaunch> m_central;
};

inline constexpr const char* kAdmin = "test-admin-token";
/// The admin token of a production start (Options::demo = false): 32 characters or more.
inline constexpr const char* kProductionAdmin = "test-production-admin-token-0123456789abcdefghijklmnop";

/// Signs a receipt of the development store DEV001 (assets/samples/DEV001.key).
std::string signReceipt(const std::string& number, std::int64_t amountDong, loyalty::UnixSeconds issuedAt,
                        const std::string& store = "DEV001");
std::string signReceipt(const loyalty::Receipt& receipt, const loyalty::SigningKeyPair& keys);
[[nodiscard]] loyalty::UnixSeconds now();
/// A unique idempotency key.
[[nodiscard]] std::string newKey();
/// A receipt number no other test uses: 20 upper-case characters of a fresh key.
[[nodiscard]] std::string uniqueNumber();

/// Enrolls the development kiosk K-DEV-01 with the seeded code; returns its credential.
[[nodiscard]] std::string enrollDevKiosk(const CentralProcess& central);
/// A new one-time enrollment code for `kioskId` at store DEV001 (admin call); throws when refused.
[[nodiscard]] std::string newEnrollmentCode(const CentralProcess& central, const std::string& kioskId);
/// Admin creates an enrollment code for `kioskId` at DEV001 and the kiosk enrolls; its credential.
[[nodiscard]] std::string enrollKiosk(const CentralProcess& central, const std::string& kioskId);

/// Runs `work(i)` on `n` threads released together; returns when all are done.
void race(int n, const std::function<void(int)>& work);

/// A claim body for one receipt.
[[nodiscard]] Json claimBody(const std::string& token, const std::string& phone, bool join = true,
                             const std::string& key = newKey());

}  // namespace central_test
