#pragma once
// The central the fault suite syncs with, behind one small interface: where it listens, the kiosks
// enrolled on it, receipts it will accept, and what its ledger says afterwards.

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "loyalty/receipt.hpp"

struct KioskCredential {
    std::string id;
    std::string credential;
};

struct TestReceipt {
    std::string receiptId;
    std::string token;
    std::string phone;
    std::int64_t expectedPoints = 0;  ///< what central credits for it
    loyalty::UnixSeconds issuedAt = 0;
};

class CentralUnderTest {
  public:
    /// Starts a fresh central with three enrolled kiosks; nullptr (see lastError) if it cannot.
    static std::unique_ptr<CentralUnderTest> start();
    static std::string lastError();

    virtual ~CentralUnderTest() = default;
    [[nodiscard]] virtual int port() const = 0;
    [[nodiscard]] virtual const KioskCredential& kiosk(int index) const = 0;
    /// `count` distinct valid receipts spread over `phones` members.
    [[nodiscard]] virtual std::vector<TestReceipt> makeReceipts(int count, int phones) = 0;
    /// Points central credited for these receipts in total.
    [[nodiscard]] virtual std::expected<std::int64_t, std::string> ledgerTotal(
        const std::vector<TestReceipt>& receipts) = 0;
    /// How many receipts central has credited in all (each receipt can earn once: a double credit
    /// would show as more claims than distinct receipts).
    [[nodiscard]] virtual std::expected<std::int64_t, std::string> claimCount() = 0;
};
