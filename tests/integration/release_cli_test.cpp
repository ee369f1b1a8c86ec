// The real kioskctl binary: `release keygen`, `release sign` on a bundle file and `release verify` with
// every check a kiosk's update agent runs (signature, bundle size and hash, expiry, anti-rollback).

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "run_process.hpp"
#include "temp_dir.hpp"

namespace {

class ReleaseCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::ofstream(bundle(), std::ios::binary) << std::string(300'000, 'x') << "payload";
        const auto keygen = kioskctl({"release", "keygen", "--out", keysDir()});
        ASSERT_EQ(keygen.exitCode, 0) << keygen.err;
    }

    kiosk_test::ProcessResult kioskctl(std::vector<std::string> args) {
        args.insert(args.begin(), std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl");
        return kiosk_test::runProcess(args, m_dir.path());
    }

    kiosk_test::ProcessResult sign(const std::string& version = "1.4.0",
                                   const std::string& minimumFrom = "1.2.0",
                                   const std::string& validDays = "30") {
        return kioskctl({"release", "sign", bundle(), "--key", keysDir() + "/release.key", "--version",
                         version, "--minimum-from", minimumFrom, "--valid-days", validDays});
    }

    kiosk_test::ProcessResult verify(std::vector<std::string> extra) {
        std::vector<std::string> args = {
            "release", "verify", manifest(), "--pubkey", keysDir() + "/release.pub", "--bundle", bundle()};
        args.insert(args.end(), extra.begin(), extra.end());
        return kioskctl(args);
    }

    std::string keysDir() const { return (m_dir.path() / "keys").string(); }
    std::string bundle() const { return (m_dir.path() / "loyalty-kiosk_1.4.0_amd64.deb").string(); }
    std::string manifest() const { return bundle() + ".manifest"; }

    TempDir m_dir;
};

TEST_F(ReleaseCli, KeygenWritesAPrivateSecretKeyAndRefusesToReplaceIt) {
    struct stat info {};
    ASSERT_EQ(::stat((keysDir() + "/release.key").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    const auto again = kioskctl({"release", "keygen", "--out", keysDir()});
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_NE(again.err.find("refusing to replace"), std::string::npos) << again.err;
}

TEST_F(ReleaseCli, ASignedBundleVerifiesForAnOlderKiosk) {
    const auto signedOut = sign();
    ASSERT_EQ(signedOut.exitCode, 0) << signedOut.err;
    const auto text = kiosk_test::readFile(manifest());
    EXPECT_NE(text.find("size=300007\n"), std::string::npos) << text;
    EXPECT_NE(text.find("bundle=loyalty-kiosk_1.4.0_amd64.deb\n"), std::string::npos) << text;

    const auto ok = verify({"--running", "1.3.0"});
    EXPECT_EQ(ok.exitCode, 0) << ok.err;
    EXPECT_NE(ok.out.find("signature, size and sha256 ok"), std::string::npos) << ok.out;
}

TEST_F(ReleaseCli, EveryRefusalSaysWhyAndExitsOne) {
    ASSERT_EQ(sign().exitCode, 0);
    const auto refusal = [&](std::vector<std::string> extra) {
        const auto r = verify(extra);
        EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
        return r.err;
    };
    EXPECT_NE(refusal({"--running", "1.4.0"}).find("(not_newer)"), std::string::npos);
    EXPECT_NE(refusal({"--running", "1.3.0", "--highest", "1.5.0"}).find("(not_newer)"), std::string::npos);
    EXPECT_NE(refusal({"--running", "1.1.0"}).find("(too_old_to_update)"), std::string::npos);
    EXPECT_NE(refusal({"--running", "1.3.0", "--now", "2099-01-01T00:00:00+07:00"}).find("(expired)"),
              std::string::npos);
    EXPECT_NE(refusal({"--running", "1.3.0", "--channel", "pilot"}).find("(wrong_channel)"),
              std::string::npos);

    std::ofstream(bundle(), std::ios::binary | std::ios::app) << "appended by an attacker";
    EXPECT_NE(refusal({"--running", "1.3.0"}).find("(bundle_mismatch)"), std::string::npos);
    std::filesystem::resize_file(bundle(), 1000);
    EXPECT_NE(refusal({"--running", "1.3.0"}).find("(bundle_mismatch)"), std::string::npos);
}

TEST_F(ReleaseCli, ATamperedManifestOrAnotherKeyIsRefused) {
    ASSERT_EQ(sign().exitCode, 0);
    auto text = kiosk_test::readFile(manifest());
    text.replace(text.find("minimum_from=1.2.0"), 18, "minimum_from=0.0.0");
    std::ofstream(manifest(), std::ios::binary | std::ios::trunc) << text;
    const auto tampered = verify({"--running", "1.1.0"});
    EXPECT_EQ(tampered.exitCode, 1);
    EXPECT_NE(tampered.err.find("signature does not verify"), std::string::npos) << tampered.err;

    ASSERT_EQ(sign().exitCode, 0);
    ASSERT_EQ(kioskctl({"release", "keygen", "--out", (m_dir.path() / "other").string()}).exitCode, 0);
    const auto wrongKey = kioskctl({"release", "verify", manifest(), "--pubkey",
                                    (m_dir.path() / "other/release.pub").string(), "--running", "1.3.0"});
    EXPECT_EQ(wrongKey.exitCode, 1);
    EXPECT_NE(wrongKey.err.find("signature does not verify"), std::string::npos) << wrongKey.err;
}

TEST_F(ReleaseCli, BadInputExitsTwo) {
    EXPECT_EQ(sign("1.4").exitCode, 2);
    EXPECT_EQ(sign("1.4.0", "2.0.0").exitCode, 2);  // minimum_from above the version itself
    EXPECT_EQ(sign("1.4.0", "1.2.0", "0").exitCode, 2);
    EXPECT_EQ(
        kioskctl({"release", "sign", bundle(), "--key", keysDir() + "/release.pub", "--version", "1.4.0"})
            .exitCode,
        2);
}

}  // namespace
