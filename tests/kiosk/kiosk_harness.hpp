#pragma once
// Shared pieces of the end-to-end kiosk tests: a configured `kiosk` run under its own virtual display,
// the real `central` with the virtual printer (Backend), receipts signed by `kioskctl` at test time, and
// the automation-socket journeys the tests repeat. Everything blocks the calling (test) thread.

#include <gtest/gtest.h>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "central_launch.hpp"
#include "kiosk_process.hpp"

namespace kiosk::test {

/// The source tree and the build tree the test binary was built from.
extern const std::filesystem::path kSource;
extern const std::filesystem::path kBuild;
/// The staff PIN every KioskRun is configured with.
extern const std::string kStaffPin;

struct KioskOptions {
    std::string language = "vi";
    bool landscape = false;
    std::string renderer = "software";  ///< [screen] renderer: "software" | "gpu"
    std::string centralUrl;
    std::string printerAddress;  ///< a `kioskctl printer serve` port; empty: no printer
    bool trustDevStore = true;
    /// More stores the kiosk trusts offline (store id, public key file), e.g. one central does not know.
    std::vector<std::pair<std::string, std::filesystem::path>> extraStores;
    int chimeVolume = 0;           ///< [sound] chime_volume; 0: not written (no sound)
    std::vector<std::string> env;  ///< more of the kiosk's environment, "NAME=value"
};

/// The real `kiosk` (kiosk id K-DEV-01, data in `dir`/data, log appended to `dir`/kiosk.log, automation
/// socket `dir`/kiosk.sock), started by the constructor. The first client() call connects to its
/// automation socket (waits up to 20 s for it, less if the kiosk dies). Stopped (SIGTERM) when destroyed.
/// Several runs may use the same `dir` one after another: the data dir (outbox, credential) carries over.
class KioskRun {
  public:
    /// On a virtual display of its own.
    KioskRun(const TempDir& dir, const KioskOptions& options);
    /// On `display`, which must outlive the run (one X server for many runs).
    KioskRun(const TempDir& dir, const KioskOptions& options, const VirtualDisplay& display);
    ~KioskRun();
    KioskRun(const KioskRun&) = delete;
    KioskRun& operator=(const KioskRun&) = delete;

    AutomationClient& client();
    [[nodiscard]] std::string log() const;
    [[nodiscard]] std::filesystem::path dataDir() const { return m_dir / "data"; }
    [[nodiscard]] pid_t pid() const { return m_kiosk->pid(); }

    /// Sends SIGKILL to the kiosk at `when`, from a thread of its own, whatever the kiosk is doing then
    /// (the test keeps driving it meanwhile and sees its connection close). Once per run.
    void killAt(std::chrono::steady_clock::time_point when);
    /// After killAt: waits for the kill and reaps the kiosk. True when it was still running until that
    /// SIGKILL ended it (false: it exited or crashed on its own before).
    [[nodiscard]] bool endedByKill();

  private:
    void start(const KioskOptions& options, std::vector<std::string> env);

    std::filesystem::path m_dir;
    std::unique_ptr<VirtualDisplay> m_ownDisplay;
    std::unique_ptr<ChildProcess> m_kiosk;
    std::unique_ptr<AutomationClient> m_client;
    std::thread m_killer;
};

/// The real `central` (test_support::CentralLaunch with development defaults: enrollment code
/// DEV-ENROLL-0001 for kiosk K-DEV-01, OTP file sink, admin token dev-admin-token) and `kioskctl printer
/// serve`, on free loopback ports, with their state and logs in `dir`. The constructor waits for both
/// (central up to 20 s, the printer up to 30 s).
class Backend {
  public:
    explicit Backend(const std::filesystem::path& dir);

    [[nodiscard]] bool ready() const { return m_ready; }
    [[nodiscard]] std::string url() const {
        return "http://127.0.0.1:" + std::to_string(m_central ? m_central->port() : 0);
    }
    [[nodiscard]] std::string printerAddress() const { return "127.0.0.1:" + std::to_string(m_printerPort); }
    [[nodiscard]] std::filesystem::path printedDir() const { return m_dir / "printed"; }

    /// The newest one-time code the development file sink wrote for `e164`.
    [[nodiscard]] std::string lastOtp(const std::string& e164) const;
    /// One command on the virtual printer's control channel ("paper out", "paper ok", ...).
    std::string printerControl(const std::string& command) const;
    /// POST /v1/vouchers/{code}/consume with the development admin token; the HTTP status.
    [[nodiscard]] int consumeVoucher(const std::string& code) const;
    /// An admin call (development admin token, POST unless `method` says otherwise) with a JSON body;
    /// the answer's JSON (discarded when not JSON).
    nlohmann::json admin(const std::string& path, const nlohmann::json& body,
                         const std::string& method = "POST") const;
    /// GET a kiosk API path the way the kiosk does (its credential is in the kiosk's data dir).
    [[nodiscard]] nlohmann::json asKiosk(const std::filesystem::path& kioskData,
                                         const std::string& path) const;
    /// The member's balance in points as central reports it; -1 when central does not answer.
    [[nodiscard]] std::int64_t balance(const std::filesystem::path& kioskData,
                                       const std::string& phone) const;
    /// A read-only query on central's own SQLite database (its ledger as it is on disk, not as its API
    /// reports it): queryDatabase of its file.
    [[nodiscard]] std::expected<nlohmann::json, std::string> query(const std::string& sql) const;

  private:
    std::filesystem::path m_dir;
    int m_printerPort;
    std::unique_ptr<test_support::CentralLaunch> m_central;
    std::unique_ptr<ChildProcess> m_printer;
    bool m_ready = false;
};

/// The end-to-end fixture: the real central and virtual printer (a Backend in the test's own TempDir)
/// and one kiosk pointed at them. SetUp skips the test when central is not built and fails it when the
/// backend does not start; a derived SetUp calls it first and returns when it did not get through
/// (`IsSkipped() || HasFatalFailure()`), then starts the kiosk with startKiosk.
class KioskWithBackend : public ::testing::Test {
  protected:
    void SetUp() override;
    /// (Re)starts the kiosk with `options`, its central URL and printer address set to the backend's;
    /// a fatal failure when it does not answer on its automation socket.
    void startKiosk(KioskOptions options = {});
    /// startKiosk, then waits until the kiosk is enrolled and online ("Đã kết nối"); a fatal failure
    /// otherwise.
    void startConnectedKiosk(KioskOptions options = {});
    AutomationClient& kiosk() { return m_kiosk->client(); }
    /// PUT /v1/admin/games/{id} on the backend's central; a test failure unless it answers 200.
    void configureGame(const std::string& id, const nlohmann::json& game) const;

    TempDir m_dir;
    std::unique_ptr<Backend> m_backend;
    std::unique_ptr<KioskRun> m_kiosk;
};

/// Signs a receipt of the development store, issued now, and writes its QR PNG. Returns the PNG path
/// (empty when kioskctl failed).
std::filesystem::path signReceipt(
    const std::filesystem::path& dir, const std::string& number, const std::string& amount,
    const std::string& keyFile = (kSource / "assets/samples/DEV001.key").string(),
    const std::string& store = "DEV001");

/// A promo game of the development store as central's admin API takes it: live from an hour ago for a
/// day, the Decree 81 fields, a play per receipt of at least `minReceiptDong`, five plays a day, one prize.
nlohmann::json promoGame(const std::string& type, const std::string& nameVi, const std::string& nameEn,
                         std::int64_t minReceiptDong, const nlohmann::json& prize);

/// A receipt number no other test run uses: `prefix`-pid-clock.
std::string uniqueNumber(const std::string& prefix);

/// <build>/screenshots/<language>-<orientation>/, created.
std::filesystem::path screenshotDir(const KioskOptions& options);

/// What the QR of a printed PNG decodes to ("" if none).
std::string decodeQr(const std::filesystem::path& png);

/// A read-only query on a SQLite database another process writes (central's own, in WAL mode): one JSON
/// array per row (integers, text, null), or what went wrong.
[[nodiscard]] std::expected<nlohmann::json, std::string> queryDatabase(const std::filesystem::path& file,
                                                                       const std::string& sql);

/// From Attract: the hidden corner tapped five times, then `pin` on the keypad. The state after OK.
nlohmann::json enterStaffMode(AutomationClient& kiosk, const std::string& pin);

/// A PNG of `width` x `height` as base64 (what central's theme and reward calls take): white, with a
/// block of 0xRRGGBB `rgb` over its middle half.
std::string pngBase64(int width, int height, std::uint32_t rgb);

/// Polls the automation state until its status line is `status`; the last state.
nlohmann::json waitForStatus(AutomationClient& kiosk, const std::string& status,
                             std::chrono::milliseconds timeout);

/// Attract -> receipt -> phone -> (consent for a new member) -> credited points on central.
nlohmann::json earn(AutomationClient& kiosk, const std::filesystem::path& receipt, const std::string& phone);

/// Result -> Rewards -> the first affordable reward -> the one-time code central sent to `e164` -> the
/// voucher screen (its state; another screen's state when a step failed).
nlohmann::json redeemFirstReward(AutomationClient& kiosk, const Backend& backend, const std::string& e164);

}  // namespace kiosk::test
