#include "automation_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace kiosk {
namespace {

constexpr std::size_t kMaxLine = 64 * 1024;
constexpr auto kAnswerTimeout = std::chrono::seconds{30};

bool writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

nlohmann::json error(const std::string& message) {
    return {{"ok", false}, {"error", message}};
}

}  // namespace

std::expected<std::unique_ptr<AutomationServer>, std::string> AutomationServer::start(
    const std::filesystem::path& path, std::function<void()> wake) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.empty() || text.size() >= sizeof(address.sun_path)) {
        return std::unexpected("automation socket path '" + text + "' is empty or too long");
    }
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return std::unexpected("socket: " + std::string(std::strerror(errno)));
    }
    ::unlink(text.c_str());
    // Only the kiosk's own user may drive it: the socket is created 0600.
    const mode_t old = ::umask(0177);
    const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    ::umask(old);
    if (bound != 0 || ::listen(fd, 4) != 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return std::unexpected("cannot listen on " + text + ": " + reason);
    }
    return std::unique_ptr<AutomationServer>(new AutomationServer(path, fd, std::move(wake)));
}

AutomationServer::AutomationServer(std::filesystem::path path, int listenFd, std::function<void()> wake)
    : m_path(std::move(path)), m_listenFd(listenFd), m_wake(std::move(wake)), m_thread([this] { run(); }) {}

AutomationServer::~AutomationServer() {
    m_stop = true;
    ::shutdown(m_listenFd, SHUT_RDWR);
    m_thread.join();
    ::close(m_listenFd);
    ::unlink(m_path.c_str());
    std::lock_guard lock(m_mutex);
    for (auto& command : m_queue) {
        command.reply(error("kiosk is shutting down"));
    }
}

std::optional<AutomationServer::Command> AutomationServer::take() {
    std::lock_guard lock(m_mutex);
    if (m_queue.empty()) {
        return std::nullopt;
    }
    Command command = std::move(m_queue.front());
    m_queue.pop_front();
    return command;
}

void AutomationServer::run() {
    while (!m_stop) {
        pollfd p{m_listenFd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) {
            continue;
        }
        const int client = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        serve(client);
        ::close(client);
    }
}

void AutomationServer::serve(int client) {
    std::string buffer;
    char chunk[4096];
    while (!m_stop) {
        const auto newline = buffer.find('\n');
        if (newline == std::string::npos) {
            if (buffer.size() > kMaxLine) {
                writeAll(client, error("line longer than 64 KiB").dump() + "\n");
                return;
            }
            pollfd p{client, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) {
                continue;
            }
            const ssize_t n = ::recv(client, chunk, sizeof(chunk), 0);
            if (n <= 0) {
                return;
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        const std::string line = buffer.substr(0, newline);
        buffer.erase(0, newline + 1);
        nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
        nlohmann::json response;
        if (request.is_discarded() || !request.is_object() || !request.contains("cmd") ||
            !request["cmd"].is_string()) {
            response = error("expected one JSON object with a string \"cmd\" per line");
        } else {
            Command command{std::move(request), std::make_shared<std::promise<nlohmann::json>>()};
            auto future = command.answer->get_future();
            {
                std::lock_guard lock(m_mutex);
                m_queue.push_back(std::move(command));
            }
            m_wake();
            // Waits in slices so a shutdown never waits for a UI loop that has already stopped.
            const auto deadline = std::chrono::steady_clock::now() + kAnswerTimeout;
            while (!m_stop && std::chrono::steady_clock::now() < deadline &&
                   future.wait_for(std::chrono::milliseconds{200}) != std::future_status::ready) {
            }
            response =
                future.wait_for(std::chrono::seconds{0}) == std::future_status::ready
                    ? future.get()
                    : error(m_stop ? "the kiosk is shutting down" : "the kiosk did not answer within 30 s");
        }
        if (!writeAll(client, response.dump() + "\n")) {
            return;
        }
    }
}

}  // namespace kiosk
