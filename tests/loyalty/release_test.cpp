// Signed release manifests (loyalty/release.hpp): what a kiosk's update agent accepts and refuses.

#include "loyalty/release.hpp"

#include <gtest/gtest.h>

#include <string>

#include "loyalty/time.hpp"

namespace {

using loyalty::ManifestError;
using loyalty::ReleaseRefusal;
using loyalty::ReleaseVersion;

loyalty::UnixSeconds at(const char* iso) {
    return loyalty::parseIso8601(iso).value();
}

class ReleaseManifestTest : public ::testing::Test {
  protected:
    ReleaseManifestTest() {
        m_manifest.package = "loyalty-kiosk";
        m_manifest.version = {1, 4, 0};
        m_manifest.minimumFrom = {1, 2, 0};
        m_manifest.channel = "stable";
        m_manifest.bundle = "loyalty-kiosk_1.4.0_amd64.deb";
        m_manifest.size = 5'123'456;
        m_manifest.sha256 = std::string(64, 'a');
        m_manifest.issuedAt = at("2026-12-02T08:00:00+07:00");
        m_manifest.expiresAt = at("2027-01-01T00:00:00+07:00");
        m_installed = {"loyalty-kiosk", "stable", {1, 3, 2}, {1, 3, 2}};
    }

    std::string signedText() const { return loyalty::signReleaseManifest(m_manifest, m_releaseKey); }

    loyalty::SigningKeyPair m_releaseKey = loyalty::SigningKeyPair::generate();
    loyalty::ReleaseManifest m_manifest;
    loyalty::InstalledState m_installed;
};

TEST(ReleaseVersionTest, ParsesAndOrdersNumerically) {
    EXPECT_EQ(loyalty::parseReleaseVersion("1.10.0").value(), (ReleaseVersion{1, 10, 0}));
    EXPECT_GT(loyalty::parseReleaseVersion("1.10.0").value(), loyalty::parseReleaseVersion("1.9.99").value());
    EXPECT_EQ(loyalty::formatReleaseVersion({2, 0, 7}), "2.0.7");
    for (const char* bad :
         {"", "1", "1.2", "1.2.3.4", "1.2.x", "01.2.3", "1..3", "-1.2.3", "1.2.3 ", "100000.0.0"})
        EXPECT_FALSE(loyalty::parseReleaseVersion(bad).has_value()) << bad;
}

TEST_F(ReleaseManifestTest, ASignedManifestVerifiesToTheSameFields) {
    const auto text = signedText();
    EXPECT_TRUE(text.starts_with("LOYALTY-KIOSK RELEASE 1\npackage=loyalty-kiosk\nversion=1.4.0\n")) << text;
    const auto back = loyalty::verifyReleaseManifest(text, m_releaseKey.publicKey());
    ASSERT_TRUE(back.has_value()) << back.error().detail;
    EXPECT_EQ(back->bundle, m_manifest.bundle);
    EXPECT_EQ(back->size, m_manifest.size);
    EXPECT_EQ(back->sha256, m_manifest.sha256);
    EXPECT_EQ(back->version, m_manifest.version);
    EXPECT_EQ(back->minimumFrom, m_manifest.minimumFrom);
    EXPECT_EQ(back->expiresAt, m_manifest.expiresAt);
}

TEST_F(ReleaseManifestTest, AnyAlteredByteOrAnotherKeyIsRefused) {
    const auto text = signedText();
    const auto other = loyalty::SigningKeyPair::generate();
    EXPECT_EQ(loyalty::verifyReleaseManifest(text, other.publicKey()).error().error,
              ManifestError::BadSignature);

    std::string raised = text;
    raised.replace(raised.find("version=1.4.0"), 13, "version=9.4.0");
    EXPECT_EQ(loyalty::verifyReleaseManifest(raised, m_releaseKey.publicKey()).error().error,
              ManifestError::BadSignature);
    std::string otherHash = text;
    otherHash[otherHash.find("sha256=") + 7] = 'b';
    EXPECT_EQ(loyalty::verifyReleaseManifest(otherHash, m_releaseKey.publicKey()).error().error,
              ManifestError::BadSignature);
}

TEST_F(ReleaseManifestTest, MalformedTextIsRefusedWithTheLineNamed) {
    const auto text = signedText();
    const auto key = m_releaseKey.publicKey();
    const auto problem = [&](std::string bad) { return loyalty::verifyReleaseManifest(bad, key).error(); };

    EXPECT_EQ(problem("").error, ManifestError::Malformed);
    EXPECT_EQ(problem(text.substr(0, text.size() - 1)).error, ManifestError::Malformed);  // no final LF
    EXPECT_EQ(problem(text + "extra=1\n").detail, "text after the signature line");
    std::string crlf = text;
    crlf.insert(crlf.find('\n'), "\r");
    EXPECT_EQ(problem(crlf).error, ManifestError::Malformed);
    std::string swapped = text;
    swapped.replace(swapped.find("channel=stable\n"), 15, "");
    swapped.insert(swapped.find("package="), "channel=stable\n");
    EXPECT_NE(problem(swapped).detail.find("expected line package="), std::string::npos)
        << problem(swapped).detail;
    std::string badSize = text;
    badSize.replace(badSize.find("size=5123456"), 12, "size=5e6");
    EXPECT_NE(problem(badSize).detail.find("size:"), std::string::npos);
    EXPECT_EQ(problem(std::string(loyalty::kMaxManifestBytes + 1, 'x')).error, ManifestError::TooLarge);
}

TEST_F(ReleaseManifestTest, SigningRefusesFieldsThatWouldNotParseBack) {
    m_manifest.bundle = "../../etc/passwd";
    EXPECT_THROW((void)signedText(), std::invalid_argument);
    m_manifest.bundle = "ok.deb";
    m_manifest.channel = "stable\nsize=1";
    EXPECT_THROW((void)signedText(), std::invalid_argument);
    m_manifest.channel = "stable";
    m_manifest.expiresAt = m_manifest.issuedAt;
    EXPECT_THROW((void)signedText(), std::invalid_argument);
}

TEST_F(ReleaseManifestTest, ANewerReleaseForThisKioskApplies) {
    EXPECT_TRUE(
        loyalty::checkReleaseApplies(m_manifest, m_installed, at("2026-12-10T00:00:00+07:00")).has_value());
}

TEST_F(ReleaseManifestTest, RefusalsSayWhy) {
    const auto now = at("2026-12-10T00:00:00+07:00");
    const auto refusal = [&](const loyalty::InstalledState& installed, loyalty::UnixSeconds when) {
        return loyalty::checkReleaseApplies(m_manifest, installed, when).error();
    };
    EXPECT_EQ(refusal(m_installed, m_manifest.expiresAt), ReleaseRefusal::Expired);

    auto same = m_installed;
    same.running = same.highestInstalled = {1, 4, 0};
    EXPECT_EQ(refusal(same, now), ReleaseRefusal::NotNewer);
    // After a rollback the kiosk runs 1.3.2 but once installed 1.5.0: 1.4.0 would be a downgrade.
    auto rolledBack = m_installed;
    rolledBack.highestInstalled = {1, 5, 0};
    EXPECT_EQ(refusal(rolledBack, now), ReleaseRefusal::NotNewer);

    auto old = m_installed;
    old.running = old.highestInstalled = {1, 1, 9};
    EXPECT_EQ(refusal(old, now), ReleaseRefusal::TooOldToUpdate);

    auto pilot = m_installed;
    pilot.channel = "pilot";
    EXPECT_EQ(refusal(pilot, now), ReleaseRefusal::WrongChannel);
    auto central = m_installed;
    central.package = "loyalty-central";
    EXPECT_EQ(refusal(central, now), ReleaseRefusal::WrongPackage);
    EXPECT_EQ(loyalty::code(ReleaseRefusal::TooOldToUpdate), "too_old_to_update");
}

TEST(Sha256Test, MatchesTheKnownDigestInPieces) {
    loyalty::Sha256 whole;
    const std::string abc = "abc";
    whole.update(std::span(reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()));
    EXPECT_EQ(whole.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    loyalty::Sha256 pieces;
    for (char c : abc) pieces.update(std::span(reinterpret_cast<const std::uint8_t*>(&c), 1));
    EXPECT_EQ(pieces.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
