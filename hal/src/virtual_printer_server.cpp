#include "hal/virtual_printer_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/core.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

namespace hal {

namespace {

constexpr std::size_t kMaxControlLine = 256;
constexpr std::size_t kMaxControlClients = 8;
constexpr std::string_view kPaperLimit = "paper limit ";
/// 125 m of paper at 8 dots a millimetre: longer than any receipt roll.
constexpr int kMaxPaperLimitDots = 1'000'000;

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

std::string describeState(const PrinterStatus& s) {
    return fmt::format("{}, paper {}, cover {}", s.online ? "online" : "offline",
                       s.paper == PaperLevel::Ok        ? "ok"
                       : s.paper == PaperLevel::NearEnd ? "near-end"
                                                        : "out",
                       s.coverOpen ? "open" : "closed");
}

struct ControlClient {
    int fd = -1;
    std::string buffer;
};

/// `paper limit N|off`: nullopt when applied, else the error reply.
std::optional<std::string> applyPaperLimit(VirtualPrinter& printer, std::string_view value) {
    if (value == "off") {
        printer.setPaperLimit(std::nullopt);
        return std::nullopt;
    }
    int dots = -1;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), dots);
    if (ec != std::errc{} || end != value.data() + value.size() || dots < 0 || dots > kMaxPaperLimitDots)
        return fmt::format("error: paper limit takes a number of dots 0..{} or off", kMaxPaperLimitDots);
    printer.setPaperLimit(dots);
    return std::nullopt;
}

}  // namespace

std::string applyControlCommand(VirtualPrinter& printer, std::string_view command) {
    const std::string c = trim(command);
    if (c.starts_with(kPaperLimit)) {
        if (auto refused = applyPaperLimit(printer, std::string_view(c).substr(kPaperLimit.size())))
            return *refused;
    } else if (c == "paper out")
        printer.setPaper(PaperLevel::Out);
    else if (c == "paper near-end")
        printer.setPaper(PaperLevel::NearEnd);
    else if (c == "paper ok")
        printer.setPaper(PaperLevel::Ok);
    else if (c == "cover open")
        printer.setCoverOpen(true);
    else if (c == "cover closed")
        printer.setCoverOpen(false);
    else if (c == "jobs")
        return fmt::format("ok {}", printer.jobCount());
    else if (c != "status")
        return "error: unknown command; use paper out|paper near-end|paper ok|paper limit N|cover "
               "open|cover closed|status|jobs";
    return "ok " + describeState(printer.state());
}

struct VirtualPrinterServer::Impl {
    std::shared_ptr<VirtualPrinter> printer;
    Options options;
    int listenFd = -1;
    int controlFd = -1;
    std::array<int, 2> wake{-1, -1};
    std::uint16_t port = 0;
    std::thread thread;
    bool stopped = false;

    int hostFd = -1;
    std::chrono::steady_clock::time_point hostLastActive;
    std::vector<ControlClient> controls;

    ~Impl() {
        for (int fd : {listenFd, controlFd, wake[0], wake[1]})
            if (fd >= 0) ::close(fd);
    }

    void say(const std::string& line) const {
        if (options.onLog) options.onLog(line);
    }

    void flushPrinterLog() const {
        for (const auto& line : printer->takeLog()) say(line);
    }

    void closeHost(const char* why) {
        if (hostFd < 0) return;
        // The job is rendered before the socket closes, so a host that sees the close finds its PNG.
        printer->endOfStream();
        ::close(hostFd);
        hostFd = -1;
        say(fmt::format("host disconnected ({})", why));
        flushPrinterLog();
    }

    void serveHost() {
        std::array<std::uint8_t, 16384> buffer{};
        const ssize_t n = ::recv(hostFd, buffer.data(), buffer.size(), 0);
        if (n == 0) return closeHost("closed");
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) return;
            return closeHost(std::strerror(errno));
        }
        hostLastActive = std::chrono::steady_clock::now();
        const auto answer = printer->receive(std::span(buffer.data(), static_cast<std::size_t>(n)));
        if (!answer.empty() && ::send(hostFd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0)
            return closeHost("send failed");
        flushPrinterLog();
    }

    void serveControl(ControlClient& client) {
        std::array<char, 512> buffer{};
        const ssize_t n = ::recv(client.fd, buffer.data(), buffer.size(), 0);
        if (n <= 0) {
            ::close(client.fd);
            client.fd = -1;
            return;
        }
        client.buffer.append(buffer.data(), static_cast<std::size_t>(n));
        std::size_t newline;
        while ((newline = client.buffer.find('\n')) != std::string::npos) {
            const std::string command = client.buffer.substr(0, newline);
            client.buffer.erase(0, newline + 1);
            const std::string reply = applyControlCommand(*printer, command) + "\n";
            say(fmt::format("control: {} -> {}", trim(command), trim(reply.substr(0, reply.size() - 1))));
            if (::send(client.fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) break;
        }
        if (client.buffer.size() > kMaxControlLine) {
            ::close(client.fd);
            client.fd = -1;
        }
    }

    void run() {
        for (;;) {
            std::vector<pollfd> fds;
            fds.push_back({wake[0], POLLIN, 0});
            // Like a printer: the next host is accepted only when the current one is done.
            fds.push_back({hostFd >= 0 ? -1 : listenFd, POLLIN, 0});
            fds.push_back({hostFd, POLLIN, 0});
            fds.push_back({controls.size() < kMaxControlClients ? controlFd : -1, POLLIN, 0});
            for (const auto& c : controls) fds.push_back({c.fd, POLLIN, 0});
            const int ready = ::poll(fds.data(), fds.size(), 500);
            if (ready < 0 && errno != EINTR) {
                say(fmt::format("poll failed: {}", std::strerror(errno)));
                break;
            }
            if ((fds[0].revents & POLLIN) != 0) break;
            if ((fds[1].revents & POLLIN) != 0) {
                sockaddr_in peer{};
                socklen_t len = sizeof peer;
                hostFd = ::accept4(listenFd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
                if (hostFd >= 0) {
                    hostLastActive = std::chrono::steady_clock::now();
                    std::array<char, INET_ADDRSTRLEN> text{};
                    ::inet_ntop(AF_INET, &peer.sin_addr, text.data(), text.size());
                    say(fmt::format("host connected from {}:{}", text.data(), ntohs(peer.sin_port)));
                }
            }
            if (hostFd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) != 0) serveHost();
            if (hostFd >= 0 && std::chrono::steady_clock::now() - hostLastActive > options.idleTimeout)
                closeHost("idle timeout");
            if (controlFd >= 0 && (fds[3].revents & POLLIN) != 0) {
                const int fd = ::accept4(controlFd, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd >= 0) controls.push_back({fd, {}});
            }
            for (std::size_t i = 4; i < fds.size(); ++i)
                if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) serveControl(controls[i - 4]);
            std::erase_if(controls, [](const ControlClient& c) { return c.fd < 0; });
        }
        closeHost("server stopping");
        for (auto& c : controls) ::close(c.fd);
        controls.clear();
    }
};

VirtualPrinterServer::VirtualPrinterServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

VirtualPrinterServer::~VirtualPrinterServer() {
    stop();
}

std::uint16_t VirtualPrinterServer::port() const {
    return m_impl->port;
}

void VirtualPrinterServer::stop() {
    if (m_impl->stopped) return;
    m_impl->stopped = true;
    const char byte = 1;
    (void)!::write(m_impl->wake[1], &byte, 1);
    if (m_impl->thread.joinable()) m_impl->thread.join();
    if (!m_impl->options.controlSocket.empty()) {
        std::error_code ec;
        std::filesystem::remove(m_impl->options.controlSocket, ec);
    }
}

std::expected<std::unique_ptr<VirtualPrinterServer>, std::string> VirtualPrinterServer::start(
    std::shared_ptr<VirtualPrinter> printer, Options options) {
    auto impl = std::make_unique<Impl>();
    impl->printer = std::move(printer);
    impl->options = std::move(options);
    auto fail = [](std::string what) {
        return std::unexpected(fmt::format("{}: {}", what, std::strerror(errno)));
    };

    if (::pipe2(impl->wake.data(), O_CLOEXEC) != 0) return fail("virtual printer: pipe");
    impl->listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (impl->listenFd < 0) return fail("virtual printer: socket");
    const int one = 1;
    ::setsockopt(impl->listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(impl->options.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only: a test printer is nobody's business
    if (::bind(impl->listenFd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return fail(fmt::format("virtual printer: cannot listen on 127.0.0.1:{}", impl->options.port));
    if (::listen(impl->listenFd, 8) != 0) return fail("virtual printer: listen");
    socklen_t len = sizeof address;
    ::getsockname(impl->listenFd, reinterpret_cast<sockaddr*>(&address), &len);
    impl->port = ntohs(address.sin_port);

    if (const auto& path = impl->options.controlSocket; !path.empty()) {
        sockaddr_un unixAddress{};
        unixAddress.sun_family = AF_UNIX;
        if (path.native().size() >= sizeof unixAddress.sun_path)
            return std::unexpected(
                fmt::format("virtual printer: control socket path too long: {}", path.string()));
        std::strncpy(unixAddress.sun_path, path.c_str(), sizeof unixAddress.sun_path - 1);
        std::error_code ec;
        if (std::filesystem::is_socket(path, ec))
            std::filesystem::remove(path, ec);  // left by a killed server
        impl->controlFd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (impl->controlFd < 0) return fail("virtual printer: control socket");
        if (::bind(impl->controlFd, reinterpret_cast<sockaddr*>(&unixAddress), sizeof unixAddress) != 0)
            return fail(fmt::format("virtual printer: cannot bind control socket {}", path.string()));
        if (::listen(impl->controlFd, 4) != 0) return fail("virtual printer: control listen");
    }
    Impl* raw = impl.get();
    impl->thread = std::thread([raw] { raw->run(); });
    return std::unique_ptr<VirtualPrinterServer>(new VirtualPrinterServer(std::move(impl)));
}

}  // namespace hal
