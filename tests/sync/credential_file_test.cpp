// The kiosk credential file: owner-only, replaced atomically, hostile contents refused.

#include "kiosk/sync/credential_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "read_file.hpp"
#include "temp_dir.hpp"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;

using test_support::readFile;

/// The files in `folder`, to see that no temporary file is left behind.
std::size_t filesIn(const fs::path& folder) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

TEST(CredentialFile, AProposalWaitsBesideTheCredential) {
    EXPECT_EQ(pendingCredentialFile("/var/lib/kiosk/credential"),
              fs::path("/var/lib/kiosk/credential.pending"));
}

TEST(CredentialFile, MissingFileMeansNotEnrolled) {
    TempDir dir;
    auto credential = readCredentialFile(dir.path() / "credential");
    ASSERT_TRUE(credential.has_value()) << credential.error().message;
    EXPECT_EQ(*credential, "");
}

TEST(CredentialFile, WrittenOwnerOnlyWhateverTheUmaskAndReadBack) {
    TempDir dir;
    const auto file = dir.path() / "credential";
    const mode_t old = ::umask(0);  // the most permissive umask: the file must still be 0600
    auto written = writeCredentialFile(file, "kc_first");
    ::umask(old);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(readFile(file), "kc_first\n");
    EXPECT_EQ(readCredentialFile(file).value(), "kc_first");

    // Re-enrollment replaces it whole; no temporary file is left beside it.
    ASSERT_TRUE(writeCredentialFile(file, "kc_second").has_value());
    EXPECT_EQ(readFile(file), "kc_second\n");
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

TEST(CredentialFile, ReadToleratesAHandEditedFile) {
    TempDir dir;
    const auto file = dir.path() / "credential";
    std::ofstream(file) << "kc_typed  \r\nsecond line ignored\n";
    EXPECT_EQ(readCredentialFile(file).value(), "kc_typed");
}

TEST(CredentialFile, RefusesWhatCannotGoIntoAHeaderAndKeepsTheOldFile) {
    TempDir dir;
    const auto file = dir.path() / "credential";
    ASSERT_TRUE(writeCredentialFile(file, "kc_good").has_value());
    for (const std::string& bad :
         {std::string(), std::string("kc\r\nX-Injected: 1"), std::string("kc bad"), std::string("kc\tbad"),
          std::string(600, 'a'), std::string("kc_\xc3\xa9")}) {
        auto written = writeCredentialFile(file, bad);
        ASSERT_FALSE(written.has_value()) << bad;
        EXPECT_EQ(written.error().kind, StoreError::Kind::Invalid);
    }
    EXPECT_EQ(readFile(file), "kc_good\n");
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

TEST(CredentialFile, AFolderThatIsNotThereIsAnIoErrorAndCreatesNothing) {
    TempDir dir;
    auto written = writeCredentialFile(dir.path() / "missing" / "credential", "kc_x");
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().kind, StoreError::Kind::Io);
    EXPECT_NE(written.error().message.find("missing"), std::string::npos) << written.error().message;
    EXPECT_EQ(filesIn(dir.path()), 0u);
    EXPECT_FALSE(writeCredentialFile(fs::path(), "kc_x").has_value());
}

TEST(CredentialFile, AnUnreadableFileIsAnErrorNotANewEnrollment) {
    TempDir dir;
    // A folder where the file should be: it exists but cannot be read as the credential.
    fs::create_directory(dir.path() / "credential");
    auto credential = readCredentialFile(dir.path() / "credential");
    ASSERT_FALSE(credential.has_value());
    EXPECT_EQ(credential.error().kind, StoreError::Kind::Io);
}

}  // namespace
}  // namespace kiosk::sync
