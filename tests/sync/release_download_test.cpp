// net::downloadRanges and net::fetchText against the real central (docs/api.md, "Releases and
// rollouts"): a bundle fetched in 256 KiB ranges into a staging file, resumed after the client stops
// and after central itself is killed mid-download; the size cap, a size that is not the manifest's and
// a path outside /v1/releases/ refused before anything is written.

#include <gtest/gtest.h>

#include "network/release_download.hpp"
#include "release_fixture.hpp"

namespace update_test {
namespace {

namespace fs = std::filesystem;

class ReleaseDownload : public ::testing::Test {
  protected:
    void SetUp() override {
        m_central = std::make_unique<CentralProcess>(
            CentralProcess::Options{"", (fs::path(m_dir.path()) / "central").string(), ""});
        m_bundle = tarBundle(m_dir.path(), "1.1.0", false, 700'000);
        ASSERT_GT(m_bundle.size(), 2u * 262'144);  // three ranges at least
        m_release = publish(*m_central, m_bundle, signedManifest(m_bundle, "1.1.0", m_key));
        ASSERT_GT(m_release, 0);
        m_credential = central_test::enrollKiosk(*m_central, "K-DL-01");
    }

    [[nodiscard]] std::string bundlePath() const {
        return "/v1/releases/" + std::to_string(m_release) + "/bundle";
    }
    [[nodiscard]] fs::path staging() const { return fs::path(m_dir.path()) / "staging.bin"; }

    TempDir m_dir;
    std::unique_ptr<CentralProcess> m_central;
    loyalty::SigningKeyPair m_key = loyalty::SigningKeyPair::generate();
    std::string m_bundle;
    std::int64_t m_release = 0;
    std::string m_credential;
};

TEST_F(ReleaseDownload, StopsAfterARangeAndResumesWhereTheFileEnds) {
    const auto client = clientFor(*m_central, "K-DL-01", m_credential);
    net::RangedDownload options;
    options.maxBytes = 1u << 20;
    options.expectedSize = m_bundle.size();
    int ranges = 0;
    options.progress = [&ranges](std::uint64_t, std::uint64_t) { return ++ranges < 1; };
    auto first = net::downloadRanges(client, bundlePath(), staging(), options);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_FALSE(first->complete());
    EXPECT_EQ(first->bytes, 262'144u);
    EXPECT_EQ(fs::file_size(staging()), 262'144u);

    options.progress = nullptr;
    auto second = net::downloadRanges(client, bundlePath(), staging(), options);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_TRUE(second->complete());
    EXPECT_EQ(readFile(staging()), m_bundle);
    // A complete file asks nothing more.
    auto again = net::downloadRanges(client, bundlePath(), staging(), options);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->complete());
}

TEST_F(ReleaseDownload, ResumesAfterCentralIsKilledMidway) {
    net::RangedDownload options;
    options.maxBytes = 1u << 20;
    options.expectedSize = m_bundle.size();
    options.progress = [](std::uint64_t have, std::uint64_t) { return have < 262'144; };
    {
        const auto client = clientFor(*m_central, "K-DL-01", m_credential);
        ASSERT_TRUE(net::downloadRanges(client, bundlePath(), staging(), options).has_value());
    }
    m_central->stop();
    {
        const auto client = clientFor(*m_central, "K-DL-01", m_credential);
        auto cut = net::downloadRanges(client, bundlePath(), staging(), options);
        ASSERT_FALSE(cut.has_value());
        EXPECT_FALSE(cut.error().definitive()) << cut.error().message;
        EXPECT_EQ(fs::file_size(staging()), 262'144u);  // what arrived whole stays, nothing half-written
    }
    // The same data on a new central process (another port): the download goes on from the cut.
    m_central = std::make_unique<CentralProcess>(
        CentralProcess::Options{"", (fs::path(m_dir.path()) / "central").string(), ""});
    const auto client = clientFor(*m_central, "K-DL-01", m_credential);
    options.progress = nullptr;
    auto resumed = net::downloadRanges(client, bundlePath(), staging(), options);
    ASSERT_TRUE(resumed.has_value()) << resumed.error().message;
    EXPECT_TRUE(resumed->complete());
    EXPECT_EQ(sha256Of(readFile(staging())), sha256Of(m_bundle));
}

TEST_F(ReleaseDownload, RefusesOverTheCapOrAnotherSizeBeforeWritingAnything) {
    const auto client = clientFor(*m_central, "K-DL-01", m_credential);
    net::RangedDownload capped;
    capped.maxBytes = 500'000;
    auto tooLarge = net::downloadRanges(client, bundlePath(), staging(), capped);
    ASSERT_FALSE(tooLarge.has_value());
    EXPECT_EQ(tooLarge.error().kind, net::ErrorKind::TooLarge) << tooLarge.error().message;
    EXPECT_EQ(fs::file_size(staging()), 0u);

    net::RangedDownload otherSize;
    otherSize.maxBytes = 1u << 20;
    otherSize.expectedSize = m_bundle.size() - 1;  // a manifest that does not describe these bytes
    auto mismatch = net::downloadRanges(client, bundlePath(), staging(), otherSize);
    ASSERT_FALSE(mismatch.has_value());
    EXPECT_EQ(mismatch.error().kind, net::ErrorKind::BadResponse) << mismatch.error().message;
    EXPECT_EQ(fs::file_size(staging()), 0u);

    // A staging file longer than the bundle is not appended to.
    std::ofstream(staging(), std::ios::binary) << std::string(m_bundle.size() + 1, 'x');
    net::RangedDownload exact;
    exact.maxBytes = 1u << 20;
    exact.expectedSize = m_bundle.size();
    auto longer = net::downloadRanges(client, bundlePath(), staging(), exact);
    ASSERT_FALSE(longer.has_value());
    EXPECT_EQ(longer.error().code, "staging_too_large");
}

TEST_F(ReleaseDownload, FetchesOnlyReleasePathsWithTheKioskCredential) {
    const auto client = clientFor(*m_central, "K-DL-01", m_credential);
    auto manifest = net::fetchText(client, "/v1/releases/" + std::to_string(m_release) + "/manifest", 4096);
    ASSERT_TRUE(manifest.has_value()) << manifest.error().message;
    EXPECT_TRUE(manifest->starts_with("LOYALTY-KIOSK RELEASE 1\n"));
    EXPECT_NE(manifest->find("version=1.1.0\n"), std::string::npos);

    auto outside = net::fetchText(client, "/v1/admin/releases", 4096);
    ASSERT_FALSE(outside.has_value());
    EXPECT_EQ(outside.error().kind, net::ErrorKind::InvalidRequest);
    EXPECT_FALSE(net::isReleasePath("/v1/releases/../admin/releases"));
    EXPECT_FALSE(net::isReleasePath("//evil.example/v1/releases/1"));

    const auto stranger = clientFor(*m_central, "K-DL-01", "not-a-credential");
    auto refused = net::fetchText(stranger, "/v1/releases/" + std::to_string(m_release) + "/manifest", 4096);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().kind, net::ErrorKind::Unauthorized);
}

}  // namespace
}  // namespace update_test
