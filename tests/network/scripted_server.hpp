#pragma once
// A raw TCP server on 127.0.0.1 for answers no well-behaved HTTP library would send: bodies cut
// mid-way, endless chunked streams, silence. Each connection: read one request, then run the script.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

class ScriptedServer {
  public:
    /// `script(fd)` writes whatever it likes to the connected socket; the server closes it afterwards.
    explicit ScriptedServer(std::function<void(int fd)> script) : m_script(std::move(script)) {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof addr;
        if (m_listen < 0 || ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(m_listen, 16) != 0 ||
            ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &length) != 0)
            throw std::runtime_error("ScriptedServer: cannot listen on 127.0.0.1");
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~ScriptedServer() {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        m_thread.join();
    }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    /// Writes all of `data`; false once the peer has gone.
    static bool sendAll(int fd, const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

  private:
    void serve() {
        while (!m_stop) {
            const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) return;
            readRequest(fd);
            m_script(fd);
            ::close(fd);
        }
    }

    // Reads headers and a Content-Length body, so the client sees its request fully sent.
    static void readRequest(int fd) {
        std::string request;
        char buffer[4096];
        std::size_t bodyStart = std::string::npos;
        std::size_t contentLength = 0;
        while (true) {
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) return;
            request.append(buffer, static_cast<std::size_t>(n));
            if (bodyStart == std::string::npos) {
                const auto end = request.find("\r\n\r\n");
                if (end == std::string::npos) continue;
                bodyStart = end + 4;
                for (const char* name : {"Content-Length: ", "content-length: "}) {
                    const auto at = request.find(name);
                    if (at != std::string::npos && at < end)
                        contentLength = std::stoul(request.substr(at + std::char_traits<char>::length(name)));
                }
            }
            if (request.size() >= bodyStart + contentLength) return;
        }
    }

    std::function<void(int)> m_script;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

/// A loopback port that is bound but never listens: connecting to it is refused at once, and no other
/// test can take it while this object lives.
class RefusingPort {
  public:
    RefusingPort() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0)
            throw std::runtime_error("RefusingPort: cannot bind 127.0.0.1");
        m_port = ntohs(addr.sin_port);
    }
    ~RefusingPort() { ::close(m_fd); }
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

  private:
    int m_fd = -1;
    int m_port = 0;
};
