#pragma once
// The automation socket (docs/automation.md): a Unix socket taking one JSON command per line and
// answering one JSON line. Off unless `kiosk --automation PATH` is given.
//
// Threads: a listener thread accepts one client at a time, reads lines and hands each command to the
// UI thread (take() from the UI loop); the UI thread answers with Command::reply(), which may happen
// frames later (a tap takes a few frames). The listener waits for the answer before reading the next
// line. A line over 64 KiB or not JSON is answered with an error, never a crash.

#include <atomic>
#include <deque>
#include <expected>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

namespace kiosk {

class AutomationServer {
  public:
    struct Command {
        nlohmann::json request;
        std::shared_ptr<std::promise<nlohmann::json>> answer;
        void reply(nlohmann::json response) const { answer->set_value(std::move(response)); }
    };

    /// Creates the socket (replacing a stale one), mode 0600. `wake` is called after a command was
    /// queued. Error: a message naming the path.
    [[nodiscard]] static std::expected<std::unique_ptr<AutomationServer>, std::string> start(
        const std::filesystem::path& path, std::function<void()> wake);
    ~AutomationServer();
    AutomationServer(const AutomationServer&) = delete;
    AutomationServer& operator=(const AutomationServer&) = delete;

    /// UI thread: the next command, if any.
    [[nodiscard]] std::optional<Command> take();

  private:
    AutomationServer(std::filesystem::path path, int listenFd, std::function<void()> wake);
    void run();
    void serve(int client);

    std::filesystem::path m_path;
    int m_listenFd;
    std::function<void()> m_wake;
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::deque<Command> m_queue;
    std::thread m_thread;
};

}  // namespace kiosk
