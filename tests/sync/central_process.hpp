#pragma once
// The real `central` binary of this build tree, started for one test on a free 127.0.0.1 port with a
// throw-away data directory and its development defaults (admin token, store DEV001 and its published
// key), with a test campaign and three enrolled kiosks. Stopped (SIGTERM, then SIGKILL) on destruction.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "central_launch.hpp"
#include "kiosk/sync/local_store.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/signing.hpp"
#include "temp_dir.hpp"

struct KioskCredential {
    std::string id;
    std::string credential;
};

struct TestReceipt {
    std::string receiptId;
    std::string token;
    std::string phone;
    std::int64_t expectedPoints = 0;  ///< what central credits for it under the test campaign
    loyalty::UnixSeconds issuedAt = 0;

    /// The outbox entry a kiosk queues for it (new member, consent "test-v1", accepted at purchase time).
    [[nodiscard]] kiosk::sync::NewClaim claim() const;
};

class CentralProcess {
  public:
    /// Starts central and prepares it; nullptr (see lastError) if it cannot.
    static std::unique_ptr<CentralProcess> start();
    static std::string lastError();

    ~CentralProcess();
    CentralProcess(const CentralProcess&) = delete;
    CentralProcess& operator=(const CentralProcess&) = delete;

    /// Stops central (SIGTERM, then SIGKILL): the kiosks' calls now find nobody listening.
    void stop();
    /// Starts it again on the same port with the same data (stopping it first if it runs); false (see
    /// lastError) if it does not come up — the port may have been taken meanwhile.
    [[nodiscard]] bool restart();

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] const KioskCredential& kiosk(int index) const {
        return m_kiosks.at(static_cast<std::size_t>(index));
    }
    /// `count` distinct receipts of store DEV001 bought within the last week, spread over `phones`
    /// members, signed with the development key.
    [[nodiscard]] std::vector<TestReceipt> makeReceipts(int count, int phones);
    /// The sum of the balances of these receipts' members on central.
    [[nodiscard]] std::expected<std::int64_t, std::string> ledgerTotal(
        const std::vector<TestReceipt>& receipts);
    /// How many receipts central has credited in all (admin report): a receipt credited twice would
    /// show as more claims than distinct receipts.
    [[nodiscard]] std::expected<std::int64_t, std::string> claimCount();

    /// An admin call (admin token) answering 2xx with a JSON body, or a description of what went wrong.
    [[nodiscard]] std::expected<nlohmann::json, std::string> admin(
        const std::string& method, const std::string& path,
        const nlohmann::json& body = nlohmann::json::object());
    /// central's data directory (the development OTP file sink writes otp-outbox.jsonl there).
    [[nodiscard]] std::filesystem::path dataDir() const { return m_dir.path() / "data"; }

  private:
    CentralProcess() = default;
    bool launch();
    bool spawn(const std::string& listen);
    bool setUp();

    TempDir m_dir;
    std::unique_ptr<test_support::CentralLaunch> m_central;
    int m_port = 0;
    int m_batch = 0;
    std::vector<KioskCredential> m_kiosks;
    std::unique_ptr<loyalty::SigningKeyPair> m_storeKeys;
};
