#include "central_launch.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace test_support {

CentralLaunch::CentralLaunch(const CentralArgs& args, std::filesystem::path logFile)
    : m_logFile(std::move(logFile)) {
    std::vector<std::string> argv{KIOSK_BINARY_DIR "/bin/central"};
    if (args.demo) argv.emplace_back("--demo");
    if (!args.config.empty()) argv.insert(argv.end(), {"--config", args.config.string()});
    argv.insert(argv.end(), {"--listen", args.listen, "--data", args.dataDir.string()});
    if (!args.databaseUrl.empty()) argv.insert(argv.end(), {"--db", args.databaseUrl});

    std::error_code ec;
    const auto size = std::filesystem::file_size(m_logFile, ec);
    m_logStart = ec ? 0 : size;  // a restart appends to the same log: read only what follows
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, m_logFile.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, m_logFile.parent_path().c_str());
    std::vector<char*> pointers;
    for (auto& a : argv) pointers.push_back(a.data());
    pointers.push_back(nullptr);
    const int rc = posix_spawn(&m_pid, pointers[0], &actions, nullptr, pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        m_pid = -1;
        throw std::runtime_error("cannot start " + argv[0]);
    }

    static const std::regex kListening(R"(listening on 127\.0\.0\.1:([0-9]+))");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch match;
        const auto text = log();
        if (std::regex_search(text, match, kListening)) {
            m_port = std::stoi(match[1]);
            return;
        }
        if (!running()) throw std::runtime_error("central exited at start-up:\n" + text);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    throw std::runtime_error("central did not start listening in time:\n" + log());
}

CentralLaunch::~CentralLaunch() {
    stop();
}

void CentralLaunch::stop() {
    if (m_pid <= 0) return;
    const pid_t pid = std::exchange(m_pid, -1);
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 2000; ++i) {
        if (::waitpid(pid, nullptr, WNOHANG) != 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

std::string CentralLaunch::log() const {
    std::ifstream in(m_logFile, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(m_logStart));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool CentralLaunch::running() const {
    if (m_pid <= 0) return false;
    if (::waitpid(m_pid, nullptr, WNOHANG) == 0) return true;
    m_pid = -1;
    return false;
}

}  // namespace test_support
