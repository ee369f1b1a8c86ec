#pragma once
// Test harness for end-to-end kiosk tests: runs a real binary as a child process (output to a log
// file) and talks to the kiosk's automation socket. Everything lives in a private temp dir.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace kiosk::test {

/// The shared temporary folder of tests/support.
using TempDir = ::TempDir;

/// A child process; killed (SIGTERM, then SIGKILL) when destroyed.
class ChildProcess {
  public:
    ChildProcess(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv,
                 const std::filesystem::path& log);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    [[nodiscard]] bool running();
    /// True until the process has ended. Unlike running() it does not reap it, so another thread may
    /// still signal `pid()` safely meanwhile.
    [[nodiscard]] bool alive() const;
    /// SIGTERM and wait; the exit status (or -1).
    int stop();
    /// Waits until the process ends and reaps it; its raw wait status (or -1 when there is none).
    int wait();
    [[nodiscard]] pid_t pid() const { return m_pid; }

  private:
    pid_t m_pid = -1;
};

/// Runs a command to completion; its stdout, or an empty string when it failed.
std::string runCommand(const std::vector<std::string>& args);

/// A TCP port on 127.0.0.1 that was free a moment ago.
int freePort();
/// True when something accepts TCP connections on 127.0.0.1:`port`.
bool portOpen(int port);

class AutomationClient {
  public:
    /// Connects, retrying until `timeout` (the kiosk creates the socket during start-up) or until
    /// `keepTrying` (when given) says the kiosk is gone.
    AutomationClient(const std::filesystem::path& socket, std::chrono::milliseconds timeout,
                     const std::function<bool()>& keepTrying = {});
    ~AutomationClient();
    AutomationClient(const AutomationClient&) = delete;
    AutomationClient& operator=(const AutomationClient&) = delete;

    /// False before a connection was made and once the kiosk closed it (e.g. it died).
    [[nodiscard]] bool connected() const { return m_fd >= 0; }
    /// Sends one command, returns the answer ({"ok":false,...} on a broken connection).
    nlohmann::json send(const nlohmann::json& command);
    /// Polls "state" until the screen is `screen` or the connection is lost; the last state either way.
    nlohmann::json waitForScreen(const std::string& screen, std::chrono::milliseconds timeout);
    /// Polls "state" until one of its texts contains `needle` or the connection is lost; the last state
    /// either way.
    nlohmann::json waitForText(const std::string& needle, std::chrono::milliseconds timeout);
    /// Polls "state" until the screen stops moving by itself ("animating" false: the success moment
    /// ended) or the connection is lost; the last state either way.
    nlohmann::json waitForStill(std::chrono::milliseconds timeout);

  private:
    void disconnect();

    int m_fd = -1;
    std::string m_buffer;
};

/// True when any text of `state` contains `needle`.
bool hasText(const nlohmann::json& state, const std::string& needle);
/// The control of `state` with this id (in `state`, so valid while it lives), or nullptr.
const nlohmann::json* controlOf(const nlohmann::json& state, const std::string& id);

}  // namespace kiosk::test

namespace kiosk::test {

/// A private X server (Xvfb) on a display number it picked itself; stopped when destroyed. When Xvfb
/// is not installed, `env()` selects SDL's dummy video driver instead (slower software rendering).
class VirtualDisplay {
  public:
    VirtualDisplay(const std::filesystem::path& workDir, int width, int height);
    /// Environment entries for a child process that should draw on this display.
    [[nodiscard]] std::vector<std::string> env() const;

  private:
    std::unique_ptr<ChildProcess> m_server;
    std::string m_display;
};

}  // namespace kiosk::test
