#pragma once
// Test helpers: run a real binary and capture its exit code, stdout and stderr (through files in a
// test's own temp dir, so parallel tests never share them); read back a file it wrote.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "read_file.hpp"

namespace kiosk_test {

struct ProcessResult {
    int exitCode = -1;  ///< -1 if it could not start or did not exit normally
    std::string out;
    std::string err;
};

using test_support::readFile;

/// Runs `argv` (argv[0] looked up in PATH) to completion.
inline ProcessResult runProcess(const std::vector<std::string>& argv, const std::filesystem::path& dir) {
    const std::filesystem::path outPath = dir / "stdout.txt";
    const std::filesystem::path errPath = dir / "stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    ProcessResult result;
    const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        result.err = "cannot start " + argv[0];
        return result;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = readFile(outPath);
    result.err = readFile(errPath);
    return result;
}

}  // namespace kiosk_test
