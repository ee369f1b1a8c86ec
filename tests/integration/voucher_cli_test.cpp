// The real kioskctl binary: `kioskctl voucher verify` on payloads signed with a voucher key made here
// (the way central signs them), through a public key FILE like a POS integrator has.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "loyalty/time.hpp"
#include "loyalty/voucher.hpp"
#include "run_process.hpp"
#include "temp_dir.hpp"

namespace {

class VoucherCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::ofstream(pubkeyFile()) << loyalty::formatPublicKey(m_keys.publicKey(), "test voucher key");
        loyalty::Reward reward;
        reward.id = "CAFE-20K";
        reward.value = loyalty::Dong{20'000};
        reward.voucherValidityDays = 30;
        const auto code = loyalty::makeVoucherCode(std::array<std::uint8_t, 5>{9, 8, 7, 6, 5});
        const auto voucher = loyalty::issueVoucher(
            reward, code, loyalty::parseIso8601("2026-11-23T10:00:00+07:00").value(), std::nullopt);
        m_code = code.text();
        m_payload = loyalty::encodeVoucherPayload(voucher, m_keys).value();
    }

    kiosk_test::ProcessResult kioskctl(std::vector<std::string> args) {
        args.insert(args.begin(), std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl");
        return kiosk_test::runProcess(args, m_dir.path());
    }

    std::string pubkeyFile() const { return (m_dir.path() / "vouchers.pub").string(); }

    TempDir m_dir;
    loyalty::SigningKeyPair m_keys = loyalty::SigningKeyPair::generate();
    std::string m_code;
    std::string m_payload;
};

}  // namespace

TEST_F(VoucherCli, ValidPayloadPrintsItsFields) {
    const auto r = kioskctl(
        {"voucher", "verify", m_payload, "--pubkey", pubkeyFile(), "--now", "2026-11-24T09:00:00+07:00"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("code:     " + m_code), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("reward:   CAFE-20K"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("20000 dong"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("valid through 23/12/2026"), std::string::npos) << r.out;
}

TEST_F(VoucherCli, RefusalsExitOneWithTheReason) {
    std::string altered = m_payload;
    altered[altered.size() - 10] = altered[altered.size() - 10] == 'A' ? 'B' : 'A';
    const auto tampered = kioskctl(
        {"voucher", "verify", altered, "--pubkey", pubkeyFile(), "--now", "2026-11-24T09:00:00+07:00"});
    EXPECT_EQ(tampered.exitCode, 1);
    EXPECT_NE(tampered.err.find("voucher_bad_signature"), std::string::npos) << tampered.err;

    const auto expired = kioskctl(
        {"voucher", "verify", m_payload, "--pubkey", pubkeyFile(), "--now", "2026-12-24T00:00:00+07:00"});
    EXPECT_EQ(expired.exitCode, 1);
    EXPECT_NE(expired.err.find("voucher_expired"), std::string::npos) << expired.err;

    const auto receipt = kioskctl({"voucher", "verify", "LK1AAAA", "--pubkey", pubkeyFile()});
    EXPECT_EQ(receipt.exitCode, 1);
    EXPECT_NE(receipt.err.find("voucher_not_voucher"), std::string::npos) << receipt.err;
}

TEST_F(VoucherCli, BadInputExitsTwo) {
    EXPECT_EQ(kioskctl({"voucher", "verify", m_payload, "--pubkey", pubkeyFile() + ".missing"}).exitCode, 2);
    EXPECT_EQ(
        kioskctl({"voucher", "verify", m_payload, "--pubkey", pubkeyFile(), "--now", "tomorrow"}).exitCode,
        2);
    std::ofstream((m_dir.path() / "secret.key").string()) << loyalty::formatSecretKey(m_keys);
    const auto secret =
        kioskctl({"voucher", "verify", m_payload, "--pubkey", (m_dir.path() / "secret.key").string()});
    EXPECT_EQ(secret.exitCode, 2);
    EXPECT_NE(kioskctl({"voucher", "verify", m_payload}).exitCode, 0);  // --pubkey is required
}
