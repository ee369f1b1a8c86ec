// hal::writeFileAtomically, the tree's one atomic file write: exact mode, whole replacement or none,
// Keep never replaces, and no temporary file is ever left behind.

#include "hal/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "read_file.hpp"
#include "temp_dir.hpp"

namespace hal {
namespace {

namespace fs = std::filesystem;

using test_support::readFile;

std::size_t filesIn(const fs::path& folder) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

mode_t modeOf(const fs::path& file) {
    struct stat info {};
    EXPECT_EQ(::stat(file.c_str(), &info), 0);
    return info.st_mode & 0777;
}

TEST(AtomicFile, WritesTheExactModeWhateverTheUmaskAndReplacesWhole) {
    TempDir dir;
    const auto file = dir.path() / "out.txt";
    const mode_t old = ::umask(0);
    const auto first = writeFileAtomically(file, std::string("first\0binary", 12), 0640);
    ::umask(old);
    ASSERT_TRUE(first.has_value()) << first.error();
    EXPECT_EQ(modeOf(file), 0640u);
    EXPECT_EQ(readFile(file), std::string("first\0binary", 12));

    ASSERT_TRUE(writeFileAtomically(file, "second", 0600).has_value());
    EXPECT_EQ(readFile(file), "second");
    EXPECT_EQ(modeOf(file), 0600u);
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

TEST(AtomicFile, KeepRefusesAnExistingFileAndLeavesItUntouched) {
    TempDir dir;
    const auto file = dir.path() / "secret.key";
    ASSERT_TRUE(writeFileAtomically(file, "original", 0600, Existing::Keep).has_value());
    const auto again = writeFileAtomically(file, "intruder", 0644, Existing::Keep);
    ASSERT_FALSE(again.has_value());
    EXPECT_NE(again.error().find(file.string()), std::string::npos) << again.error();
    EXPECT_EQ(readFile(file), "original");
    EXPECT_EQ(modeOf(file), 0600u);
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

TEST(AtomicFile, AFailureNamesTheFileAndLeavesNothing) {
    TempDir dir;
    const auto missing = dir.path() / "no-such-folder" / "out.txt";
    const auto written = writeFileAtomically(missing, "x", 0644);
    ASSERT_FALSE(written.has_value());
    EXPECT_NE(written.error().find("no-such-folder"), std::string::npos) << written.error();

    // A folder where the file should be: the rename fails, the temporary goes.
    fs::create_directory(dir.path() / "taken");
    fs::create_directory(dir.path() / "taken" / "inside");
    ASSERT_FALSE(writeFileAtomically(dir.path() / "taken", "x", 0644).has_value());
    EXPECT_EQ(filesIn(dir.path()), 1u);
    EXPECT_FALSE(writeFileAtomically(dir.path() / "", "x", 0644).has_value());
}

}  // namespace
}  // namespace hal
