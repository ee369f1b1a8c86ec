#include "fd_transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace hal {

namespace {

std::string errnoText() {
    return std::strerror(errno);
}

int toPollMs(std::chrono::milliseconds ms) {
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(ms.count(), 0, 600'000));
}

}  // namespace

FdTransport::FdTransport(int fd, std::string description, TransportTimeouts timeouts, bool readable,
                         bool isSocket)
    : m_fd(fd),
      m_description(std::move(description)),
      m_timeouts(timeouts),
      m_readable(readable),
      m_isSocket(isSocket) {}

FdTransport::~FdTransport() {
    if (m_fd >= 0) ::close(m_fd);
}

std::expected<void, std::string> FdTransport::write(std::span<const std::uint8_t> bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        pollfd pfd{m_fd, POLLOUT, 0};
        const int ready = ::poll(&pfd, 1, toPollMs(m_timeouts.io));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return std::unexpected(fmt::format("{}: {}", m_description, errnoText()));
        if (ready == 0)
            return std::unexpected(
                fmt::format("{}: printer accepted no data for {} ms", m_description, m_timeouts.io.count()));
        if ((pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 && (pfd.revents & POLLOUT) == 0)
            return std::unexpected(fmt::format("{}: connection lost", m_description));
        const std::size_t chunk = bytes.size() - sent;
        // MSG_NOSIGNAL: a printer that hangs up must be an error value, not a SIGPIPE.
        const ssize_t n = m_isSocket ? ::send(m_fd, bytes.data() + sent, chunk, MSG_NOSIGNAL)
                                     : ::write(m_fd, bytes.data() + sent, chunk);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            return std::unexpected(fmt::format("{}: connection lost ({})", m_description, errnoText()));
        }
        sent += static_cast<std::size_t>(n);
    }
    return {};
}

std::expected<std::size_t, std::string> FdTransport::read(std::span<std::uint8_t> into,
                                                          std::chrono::milliseconds timeout) {
    if (!m_readable || into.empty()) return 0;
    for (;;) {
        pollfd pfd{m_fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, toPollMs(timeout));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return std::unexpected(fmt::format("{}: {}", m_description, errnoText()));
        if (ready == 0) return 0;
        const ssize_t n = ::read(m_fd, into.data(), into.size());
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return std::unexpected(fmt::format("{}: connection lost ({})", m_description, errnoText()));
        }
        if (n == 0) {
            if (m_isSocket)
                return std::unexpected(fmt::format("{}: printer closed the connection", m_description));
            return 0;
        }
        return static_cast<std::size_t>(n);
    }
}

TransportResult openTcpTransport(const std::string& host, std::uint16_t port, TransportTimeouts timeouts) {
    const std::string description = fmt::format("tcp {}:{}", host, port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
        return std::unexpected(fmt::format("{}: cannot resolve host ({})", description, ::gai_strerror(rc)));
    std::string lastError = "no address";
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        const int fd =
            ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            lastError = errnoText();
            continue;
        }
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc < 0 && errno == EINPROGRESS) {
            pollfd pfd{fd, POLLOUT, 0};
            rc = ::poll(&pfd, 1, toPollMs(timeouts.connect));
            if (rc == 0) {
                lastError = fmt::format("no answer within {} ms", timeouts.connect.count());
                ::close(fd);
                continue;
            }
            int soError = 0;
            socklen_t len = sizeof soError;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len);
            rc = soError == 0 && rc > 0 ? 0 : -1;
            if (soError != 0) errno = soError;
        }
        if (rc < 0) {
            lastError = errnoText();
            ::close(fd);
            continue;
        }
        // Small status queries must not wait for Nagle's delayed ACK dance.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::freeaddrinfo(found);
        return std::make_unique<FdTransport>(fd, description, timeouts, true, true);
    }
    ::freeaddrinfo(found);
    return std::unexpected(fmt::format("{}: cannot connect ({}); is the printer on and on the network?",
                                       description, lastError));
}

TransportResult openDeviceTransport(const std::filesystem::path& path, TransportTimeouts timeouts) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::unexpected(
            fmt::format("{}: no such device ({}); is the printer plugged in and switched on?", path.string(),
                        errnoText()));
    if (!S_ISCHR(st.st_mode)) return std::unexpected(fmt::format("{}: not a printer device", path.string()));
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return std::unexpected(fmt::format("{}: cannot open ({}); may this user use it (group lp)?",
                                           path.string(), errnoText()));
    return std::make_unique<FdTransport>(fd, path.string(), timeouts, true, false);
}

TransportResult openCaptureTransport(const std::filesystem::path& path, TransportTimeouts timeouts) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) return std::unexpected(fmt::format("{}: cannot open ({})", path.string(), errnoText()));
    return std::make_unique<FdTransport>(fd, path.string(), timeouts, false, false);
}

TransportResult openSerialTransport(const std::filesystem::path& path, int baud, TransportTimeouts timeouts) {
    static constexpr std::array<std::pair<int, speed_t>, 8> kBauds{{{1200, B1200},
                                                                    {2400, B2400},
                                                                    {4800, B4800},
                                                                    {9600, B9600},
                                                                    {19200, B19200},
                                                                    {38400, B38400},
                                                                    {57600, B57600},
                                                                    {115200, B115200}}};
    const auto speed =
        std::find_if(kBauds.begin(), kBauds.end(), [&](const auto& b) { return b.first == baud; });
    if (speed == kBauds.end())
        return std::unexpected(
            fmt::format("{}: unsupported baud {} (1200, 2400, 4800, 9600, 19200, 38400, "
                        "57600 or 115200)",
                        path.string(), baud));
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return std::unexpected(fmt::format("{}: cannot open ({})", path.string(), errnoText()));
    termios tio{};
    if (::tcgetattr(fd, &tio) != 0) {
        const std::string why = errnoText();
        ::close(fd);
        return std::unexpected(fmt::format("{}: not a serial port ({})", path.string(), why));
    }
    ::cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS);
    tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    ::cfsetispeed(&tio, speed->second);
    ::cfsetospeed(&tio, speed->second);
    if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
        const std::string why = errnoText();
        ::close(fd);
        return std::unexpected(fmt::format("{}: cannot configure ({})", path.string(), why));
    }
    return std::make_unique<FdTransport>(fd, fmt::format("{} @{}", path.string(), baud), timeouts, true,
                                         false);
}

}  // namespace hal
