// The real kioskctl binary, end to end: keygen -> receipt sign --qr -> zbarimg reads the PNG back ->
// receipt verify accepts; a changed character or a wrong key is refused with its reason.

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_process.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using kiosk_test::ProcessResult;
using test_support::readFile;

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

class ReceiptCli : public ::testing::Test {
  protected:
    ProcessResult kioskctl(std::vector<std::string> args) {
        args.insert(args.begin(), m_kioskctl);
        return kiosk_test::runProcess(args, m_dir.path());
    }

    /// keygen DEV001 into the temp dir, then sign one receipt; returns the token.
    std::string signedToken(const fs::path& qr) {
        const ProcessResult keygen = kioskctl({"keygen", "--store", "DEV001", "--out", keys().string()});
        EXPECT_EQ(keygen.exitCode, 0) << keygen.err;
        const ProcessResult sign =
            kioskctl({"receipt", "sign", "--key", (keys() / "DEV001.key").string(), "--store", "DEV001",
                      "--receipt", "R-0001", "--amount", "256.000", "--items", "4", "--time",
                      "2026-11-23T14:05:00+07:00", "--qr", qr.string()});
        EXPECT_EQ(sign.exitCode, 0) << sign.err;
        return firstLine(sign.out);
    }

    fs::path keys() const { return m_dir.path() / "keys"; }

    TempDir m_dir;
    std::string m_kioskctl = std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl";
};

}  // namespace

TEST_F(ReceiptCli, KeygenWritesAPrivateSecretAndAPublicKey) {
    const ProcessResult keygen = kioskctl({"keygen", "--store", "DEV001", "--out", keys().string()});
    ASSERT_EQ(keygen.exitCode, 0) << keygen.err;
    struct stat info {};
    ASSERT_EQ(stat((keys() / "DEV001.key").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    EXPECT_NE(readFile(keys() / "DEV001.key").find("LOYALTY-KIOSK ED25519 SECRET KEY"), std::string::npos);
    EXPECT_NE(readFile(keys() / "DEV001.pub").find("LOYALTY-KIOSK ED25519 PUBLIC KEY"), std::string::npos);
    // No temporary files left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(keys()), fs::directory_iterator()), 2);

    const std::string before = readFile(keys() / "DEV001.key");
    const ProcessResult again = kioskctl({"keygen", "--store", "DEV001", "--out", keys().string()});
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_NE(again.err.find("refusing to replace"), std::string::npos) << again.err;
    EXPECT_EQ(readFile(keys() / "DEV001.key"), before);

    const ProcessResult badStore = kioskctl({"keygen", "--store", "dev/001", "--out", keys().string()});
    EXPECT_EQ(badStore.exitCode, 2);
}

TEST_F(ReceiptCli, SignedQrScansBackAndVerifies) {
    const fs::path qr = m_dir.path() / "r.png";
    const std::string token = signedToken(qr);
    ASSERT_TRUE(token.starts_with("LK1")) << token;
    ASSERT_TRUE(fs::exists(qr));

    const ProcessResult scan = kiosk_test::runProcess({"zbarimg", "--raw", "-q", qr.string()}, m_dir.path());
    ASSERT_EQ(scan.exitCode, 0) << "zbarimg (package zbar-tools) failed: " << scan.err;
    EXPECT_EQ(firstLine(scan.out), token);

    const ProcessResult verify =
        kioskctl({"receipt", "verify", firstLine(scan.out), "--pubkey", (keys() / "DEV001.pub").string(),
                  "--now", "2026-11-24T09:00:00+07:00"});
    EXPECT_EQ(verify.exitCode, 0) << verify.err;
    EXPECT_NE(verify.out.find("id:       DEV001/R-0001"), std::string::npos) << verify.out;
    EXPECT_NE(verify.out.find("256000 dong"), std::string::npos) << verify.out;
    EXPECT_NE(verify.out.find("items:    4"), std::string::npos) << verify.out;
    EXPECT_NE(verify.out.find("2026-11-23T14:05:00+07:00"), std::string::npos) << verify.out;
}

TEST_F(ReceiptCli, OneChangedCharacterIsRefusedWithItsReason) {
    const std::string token = signedToken(m_dir.path() / "r.png");
    const std::string pub = (keys() / "DEV001.pub").string();
    // A character inside the signature: still well-formed, so the signature check must catch it.
    std::string flipped = token;
    const std::size_t at = token.size() - 20;
    flipped[at] = token[at] == 'A' ? 'B' : 'A';
    const ProcessResult verify =
        kioskctl({"receipt", "verify", flipped, "--pubkey", pub, "--now", "2026-11-24T09:00:00+07:00"});
    EXPECT_EQ(verify.exitCode, 1);
    EXPECT_NE(verify.err.find("token_bad_signature"), std::string::npos) << verify.err;
    EXPECT_EQ(verify.out, "");

    // Every other position too: each is refused (the reason varies with what the change breaks).
    for (std::size_t i = 3; i < token.size(); i += 11) {
        std::string changed = token;
        changed[i] = token[i] == '7' ? '6' : '7';
        const ProcessResult r =
            kioskctl({"receipt", "verify", changed, "--pubkey", pub, "--now", "2026-11-24T09:00:00+07:00"});
        EXPECT_EQ(r.exitCode, 1) << "position " << i;
        EXPECT_NE(r.err.find("refused: "), std::string::npos) << r.err;
    }
}

TEST_F(ReceiptCli, VerifyRefusesExpiredFutureAndForeignTokens) {
    const std::string token = signedToken(m_dir.path() / "r.png");
    const std::string pub = (keys() / "DEV001.pub").string();
    const ProcessResult expired = kioskctl({"receipt", "verify", token, "--pubkey", pub, "--now",
                                            "2026-12-01T14:05:01+07:00", "--max-age-days", "7"});
    EXPECT_EQ(expired.exitCode, 1);
    EXPECT_NE(expired.err.find("token_expired"), std::string::npos) << expired.err;
    const ProcessResult future =
        kioskctl({"receipt", "verify", token, "--pubkey", pub, "--now", "2026-11-23T06:00:00Z"});
    EXPECT_EQ(future.exitCode, 1);
    EXPECT_NE(future.err.find("token_future_dated"), std::string::npos) << future.err;
    const ProcessResult otherStore = kioskctl({"receipt", "verify", token, "--pubkey", pub, "--store",
                                               "HCM001", "--now", "2026-11-24T09:00:00+07:00"});
    EXPECT_EQ(otherStore.exitCode, 1);
    EXPECT_NE(otherStore.err.find("token_unknown_store"), std::string::npos) << otherStore.err;
    const ProcessResult notOurs = kioskctl({"receipt", "verify", "https://example.vn", "--pubkey", pub});
    EXPECT_EQ(notOurs.exitCode, 1);
    EXPECT_NE(notOurs.err.find("token_not_receipt"), std::string::npos) << notOurs.err;

    // Someone else's key: a second store key pair.
    ASSERT_EQ(kioskctl({"keygen", "--store", "OTHER", "--out", keys().string()}).exitCode, 0);
    const ProcessResult wrongKey =
        kioskctl({"receipt", "verify", token, "--pubkey", (keys() / "OTHER.pub").string(), "--now",
                  "2026-11-24T09:00:00+07:00"});
    EXPECT_EQ(wrongKey.exitCode, 1);
    EXPECT_NE(wrongKey.err.find("token_bad_signature"), std::string::npos) << wrongKey.err;
}

TEST_F(ReceiptCli, BadArgumentsAreRefusedWithoutWritingAnything) {
    ASSERT_EQ(kioskctl({"keygen", "--store", "DEV001", "--out", keys().string()}).exitCode, 0);
    const std::string key = (keys() / "DEV001.key").string();
    const fs::path qr = m_dir.path() / "never.png";
    for (const std::vector<std::string>& args : {
             std::vector<std::string>{"--amount", "12,5", "--time", "2026-11-23T14:05:00Z"},
             std::vector<std::string>{"--amount", "-5", "--time", "2026-11-23T14:05:00Z"},
             std::vector<std::string>{"--amount", "1000", "--time", "23/11/2026"},
             std::vector<std::string>{"--amount", "1000", "--time", "2026-02-30T10:00:00Z"},
             std::vector<std::string>{"--amount", "1000", "--items", "10000"},
         }) {
        std::vector<std::string> full = {"receipt", "sign",      "--key", key,    "--store",
                                         "DEV001",  "--receipt", "R1",    "--qr", qr.string()};
        full.insert(full.end(), args.begin(), args.end());
        const ProcessResult r = kioskctl(full);
        EXPECT_EQ(r.exitCode, 2) << args[1] << " " << r.err;
        EXPECT_FALSE(r.err.empty());
    }
    EXPECT_FALSE(fs::exists(qr));
    // A public key where the secret key belongs, and the other way round.
    const ProcessResult swapped = kioskctl({"receipt", "sign", "--key", (keys() / "DEV001.pub").string(),
                                            "--store", "DEV001", "--receipt", "R1", "--amount", "1000"});
    EXPECT_EQ(swapped.exitCode, 2);
    EXPECT_NE(swapped.err.find("not the expected kind of key"), std::string::npos) << swapped.err;
    const ProcessResult missing =
        kioskctl({"receipt", "verify", "LK1AAAA", "--pubkey", (m_dir.path() / "none.pub").string()});
    EXPECT_EQ(missing.exitCode, 2);
}

TEST_F(ReceiptCli, SamplePngsScanToTheirListedTokensAndVerify) {
    const fs::path samples = fs::path(KIOSK_SOURCE_DIR) / "assets" / "samples";
    std::ifstream list(samples / "receipts.tsv");
    ASSERT_TRUE(list) << "assets/samples/receipts.tsv missing";
    std::string line;
    std::getline(list, line);  // header
    int rows = 0;
    while (std::getline(list, line)) {
        std::vector<std::string> fields;
        std::stringstream row(line);
        for (std::string field; std::getline(row, field, '\t');) fields.push_back(field);
        ASSERT_EQ(fields.size(), 7U) << line;
        const std::string& token = fields[6];
        const ProcessResult scan =
            kiosk_test::runProcess({"zbarimg", "--raw", "-q", (samples / fields[0]).string()}, m_dir.path());
        EXPECT_EQ(firstLine(scan.out), token) << fields[0];
        // Judged at their issue time, so the samples never expire for this test.
        const ProcessResult verify =
            kioskctl({"receipt", "verify", token, "--pubkey", (samples / "DEV001.pub").string(),
                      "--max-age-days", "1", "--now", fields[5]});
        EXPECT_EQ(verify.exitCode, 0) << fields[0] << ": " << verify.err;
        EXPECT_NE(verify.out.find("id:       DEV001/" + fields[2]), std::string::npos) << verify.out;
        EXPECT_NE(verify.out.find("(" + fields[3] + " dong)"), std::string::npos) << verify.out;
        ++rows;
    }
    EXPECT_GE(rows, 5);
}
