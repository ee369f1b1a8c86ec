#pragma once
// The listening end of systemd's notify protocol for tests: an AF_UNIX datagram socket in a private
// temporary directory, as systemd opens for a Type=notify service. Whatever the process under test
// sends with sd_notify(3) — "READY=1\nSTATUS=…", "WATCHDOG=1" — arrives here as one datagram.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace packaging_test {

class NotifySocket {
  public:
    NotifySocket() {
        char dirTemplate[] = "/tmp/notify-test-XXXXXX";
        if (::mkdtemp(dirTemplate) == nullptr) throw std::runtime_error("mkdtemp failed");
        m_dir = dirTemplate;
        m_path = (m_dir / "notify.sock").string();
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, m_path.c_str(), sizeof(address.sun_path) - 1);
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
            throw std::runtime_error("cannot bind the notify socket " + m_path);
    }
    ~NotifySocket() {
        ::close(m_fd);
        std::filesystem::remove_all(m_dir);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    /// The value for NOTIFY_SOCKET.
    [[nodiscard]] const std::string& path() const { return m_path; }

    /// The next datagram, or nullopt if none arrives within `timeout`.
    [[nodiscard]] std::optional<std::string> receive(std::chrono::milliseconds timeout) const {
        pollfd ready{m_fd, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
        char buffer[4096];
        const auto n = ::recv(m_fd, buffer, sizeof(buffer), 0);
        if (n < 0) return std::nullopt;
        return std::string(buffer, static_cast<std::size_t>(n));
    }

    /// Datagrams until one contains `needle` (returned), or nullopt after `timeout` in all.
    [[nodiscard]] std::optional<std::string> waitFor(const std::string& needle,
                                                     std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            auto message = receive(left);
            if (message && message->find(needle) != std::string::npos) return message;
        }
        return std::nullopt;
    }

  private:
    std::filesystem::path m_dir;
    std::string m_path;
    int m_fd = -1;
};

}  // namespace packaging_test
