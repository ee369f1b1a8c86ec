#include "kiosk_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kiosk::test {

using namespace std::chrono_literals;

namespace {

pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv,
            const std::filesystem::path& out, const std::filesystem::path& err) {
    std::vector<char*> argv;
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<std::string> envStrings;
    for (char** e = environ; *e != nullptr; ++e) {
        envStrings.emplace_back(*e);
    }
    for (const auto& e : extraEnv) {
        envStrings.push_back(e);
    }
    std::vector<char*> envp;
    for (auto& e : envStrings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv,
                           const std::filesystem::path& log)
    : m_pid(spawn(args, extraEnv, log, log)) {}

ChildProcess::~ChildProcess() {
    stop();
}

bool ChildProcess::running() {
    if (m_pid <= 0) {
        return false;
    }
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return false;
    }
    return true;
}

bool ChildProcess::alive() const {
    if (m_pid <= 0) {
        return false;
    }
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
}

int ChildProcess::wait() {
    if (m_pid <= 0) {
        return -1;
    }
    int status = 0;
    const pid_t reaped = ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return reaped > 0 ? status : -1;
}

int ChildProcess::stop() {
    if (m_pid <= 0) {
        return -1;
    }
    ::kill(m_pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(50ms);
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return -1;
}

std::string runCommand(const std::vector<std::string>& args) {
    TempDir dir;
    const auto out = dir.path() / "out";
    const auto err = dir.path() / "err";
    const pid_t pid = spawn(args, {}, out, err);
    if (pid <= 0) {
        return {};
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return {};
    }
    std::ifstream in(out);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!bound) throw std::runtime_error("no free port on 127.0.0.1");
    return ntohs(address.sin_port);
}

bool portOpen(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return open;
}

AutomationClient::AutomationClient(const std::filesystem::path& socket, std::chrono::milliseconds timeout,
                                   const std::function<bool()>& keepTrying) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket.c_str(), sizeof(address.sun_path) - 1);
    while (std::chrono::steady_clock::now() < deadline && (!keepTrying || keepTrying())) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
            m_fd = fd;
            return;
        }
        ::close(fd);
        std::this_thread::sleep_for(50ms);
    }
}

AutomationClient::~AutomationClient() {
    disconnect();
}

void AutomationClient::disconnect() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

nlohmann::json AutomationClient::send(const nlohmann::json& command) {
    const std::string line = command.dump() + "\n";
    if (m_fd < 0 ||
        ::send(m_fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
        disconnect();
        return {{"ok", false}, {"error", "not connected"}};
    }
    for (;;) {
        const auto newline = m_buffer.find('\n');
        if (newline != std::string::npos) {
            const std::string answer = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            auto parsed = nlohmann::json::parse(answer, nullptr, false);
            return parsed.is_discarded() ? nlohmann::json{{"ok", false}, {"error", "bad answer: " + answer}}
                                         : parsed;
        }
        char chunk[4096];
        const ssize_t n = ::recv(m_fd, chunk, sizeof(chunk), 0);
        if (n <= 0) {
            disconnect();
            return {{"ok", false}, {"error", "connection closed"}};
        }
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

nlohmann::json AutomationClient::waitForScreen(const std::string& screen, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    nlohmann::json state;
    do {
        state = send({{"cmd", "state"}});
        if (!connected() || state.value("screen", "") == screen) {
            break;
        }
        std::this_thread::sleep_for(30ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return state;
}

nlohmann::json AutomationClient::waitForText(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    nlohmann::json state;
    do {
        state = send({{"cmd", "state"}});
        if (!connected() || hasText(state, needle)) {
            break;
        }
        std::this_thread::sleep_for(30ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return state;
}

nlohmann::json AutomationClient::waitForStill(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    nlohmann::json state;
    do {
        state = send({{"cmd", "state"}});
        if (!connected() || !state.value("animating", true)) {
            break;
        }
        std::this_thread::sleep_for(30ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return state;
}

VirtualDisplay::VirtualDisplay(const std::filesystem::path& workDir, int width, int height) {
    if (runCommand({"sh", "-c", "command -v Xvfb"}).empty()) {
        return;
    }
    // -displayfd: Xvfb picks a free display number itself and writes it, so parallel tests never clash.
    // The file goes first: a kiosk started again in the same work dir gets a new Xvfb, and until the
    // shell below has truncated the file the loop would read the number of the server just stopped
    // ("SDL_Init: x11 not available" in the restart tests, slow starts under the sanitizers).
    const auto numberFile = workDir / "xvfb-display";
    std::filesystem::remove(numberFile);
    const std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
    m_server = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            "sh", "-c",
            "exec Xvfb -displayfd 3 -screen 0 " + screen + " -nolisten tcp 3>" + numberFile.string()},
        std::vector<std::string>{}, workDir / "xvfb.log");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(numberFile);
        std::string number;
        if (std::getline(in, number) && !number.empty()) {
            m_display = ":" + number;
            return;
        }
        std::this_thread::sleep_for(20ms);
    }
    m_server.reset();
}

std::vector<std::string> VirtualDisplay::env() const {
    if (m_display.empty()) {
        return {"SDL_VIDEODRIVER=dummy"};
    }
    return {"DISPLAY=" + m_display, "SDL_VIDEODRIVER=x11"};
}

bool hasText(const nlohmann::json& state, const std::string& needle) {
    if (!state.contains("texts")) {
        return false;
    }
    for (const auto& text : state["texts"]) {
        if (text.is_string() && text.get<std::string>().find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

const nlohmann::json* controlOf(const nlohmann::json& state, const std::string& id) {
    const auto controls = state.find("controls");
    if (controls == state.end() || !controls->is_array()) {
        return nullptr;
    }
    for (const auto& control : *controls) {
        if (control.value("id", "") == id) {
            return &control;
        }
    }
    return nullptr;
}

}  // namespace kiosk::test
