// CentralUnderTest backed by the in-test FakeCentral: used until the real `central` can take claims.

#include <random>

#include "central_under_test.hpp"
#include "fake_central.hpp"

namespace {

class FakeCentralUnderTest final : public CentralUnderTest {
  public:
    FakeCentralUnderTest() {
        for (int k = 0; k < 3; ++k)
            m_kiosks.push_back({"K-" + std::to_string(k), "credential-" + std::to_string(k)});
    }
    int port() const override { return m_central.port(); }
    const KioskCredential& kiosk(int index) const override {
        return m_kiosks.at(static_cast<std::size_t>(index));
    }

    std::vector<TestReceipt> makeReceipts(int count, int phones) override {
        std::vector<TestReceipt> receipts;
        std::mt19937 random(static_cast<std::uint32_t>(count));
        for (int i = 0; i < count; ++i) {
            TestReceipt r;
            r.receiptId = "T" + std::to_string(m_batch) + "/" + std::to_string(i);
            r.expectedPoints = std::uniform_int_distribution<std::int64_t>(1, 500)(random);
            r.token = "FAKE:" + r.receiptId + ":" + std::to_string(r.expectedPoints);
            r.phone = "09" + std::to_string(10'000'000 + i % phones);
            r.issuedAt = 1'790'000'000;
            receipts.push_back(r);
        }
        ++m_batch;
        return receipts;
    }

    std::expected<std::int64_t, std::string> ledgerTotal(const std::vector<TestReceipt>& receipts) override {
        const auto ledger = m_central.ledger();
        std::int64_t total = 0;
        for (const auto& r : receipts)
            if (const auto it = ledger.find(r.receiptId); it != ledger.end()) total += it->second.points;
        return total;
    }

    // The fake holds one ledger row per receipt by construction; a second claim under a new key is
    // refused (and visible as a refusal in the kiosk's audit), as central does.
    std::expected<std::int64_t, std::string> claimCount() override {
        return static_cast<std::int64_t>(m_central.ledger().size());
    }

  private:
    FakeCentral m_central;
    std::vector<KioskCredential> m_kiosks;
    int m_batch = 0;
};

}  // namespace

std::unique_ptr<CentralUnderTest> CentralUnderTest::start() {
    return std::make_unique<FakeCentralUnderTest>();
}

std::string CentralUnderTest::lastError() {
    return {};
}
