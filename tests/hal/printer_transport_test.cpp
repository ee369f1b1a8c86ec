// EscPosPrinter over its real transports: TCP on loopback, a pty standing in for a serial port and a
// USB printer device, a capture file — plus the driver registry.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <sys/socket.h>
#include <unistd.h>

#include <termios.h>

#include <array>
#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "hal/escpos_printer.hpp"
#include "hal/printer_registry.hpp"
#include "hal/virtual_printer.hpp"
#include "hal/voucher_ticket.hpp"
#include "printer_test_util.hpp"
#include "temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

hal::PrintJob voucherJob(int width) {
    static hal::TextRaster text = *hal::TextRaster::openNoto();
    const hal::VoucherTicket ticket{
        "Phiếu mua hàng",   "50.000 ₫", "Hạn dùng đến 31/12/2026", "Áp dụng tại quầy.", "ABCD-1234",
        "LV1.TEST.PAYLOAD", "",         "Cửa hàng Quận 1"};
    return *ticket.layout(text, width);
}

/// A loopback listening socket on a free port; accepts nothing by itself.
struct Listener {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    std::uint16_t port = 0;
    Listener() {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        EXPECT_EQ(::listen(fd, 4), 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~Listener() { ::close(fd); }
};

hal::PrinterConfig tcpConfig(std::uint16_t port) {
    hal::PrinterConfig config;
    config.driver = "escpos-tcp";
    config.address = "127.0.0.1:" + std::to_string(port);
    config.timeouts = {500ms, 1000ms};
    config.statusTimeout = 300ms;
    return config;
}

TEST(PrinterTransport, TcpNobodyListening) {
    std::uint16_t port = 0;
    {
        const Listener gone;
        port = gone.port;
    }
    auto printer = hal::PrinterRegistry::withBuiltins().create(tcpConfig(port));
    ASSERT_TRUE(printer);
    const auto status = (*printer)->status();
    EXPECT_FALSE(status.online);
    EXPECT_NE(status.error.find("cannot connect"), std::string::npos) << status.error;
    auto printed = (*printer)->print(voucherJob(576));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::NotReady);
}

TEST(PrinterTransport, TcpPeerThatNeverAnswersTimesOut) {
    const Listener silent;  // the kernel completes the handshake; nobody ever reads or answers
    auto printer = hal::PrinterRegistry::withBuiltins().create(tcpConfig(silent.port));
    ASSERT_TRUE(printer);
    const auto started = std::chrono::steady_clock::now();
    const auto status = (*printer)->status();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_FALSE(status.online);
    EXPECT_NE(status.error.find("no answer"), std::string::npos) << status.error;
}

TEST(PrinterTransport, TcpConnectionLostMidJobIsInterrupted) {
    // A printer that answers status like a TM-T20 but drops the connection after 3 KB of the job.
    const Listener listener;
    std::thread peer([&] {
        const int fd = ::accept(listener.fd, nullptr, nullptr);
        auto printer = *hal::VirtualPrinter::create({576, {}});
        std::size_t total = 0;
        std::array<std::uint8_t, 1024> buffer{};
        while (total < 3000) {
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n <= 0) break;
            total += static_cast<std::size_t>(n);
            const auto answer = printer->receive(std::span(buffer.data(), static_cast<std::size_t>(n)));
            if (!answer.empty()) (void)!::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        }
        ::close(fd);
    });
    auto printer = hal::PrinterRegistry::withBuiltins().create(tcpConfig(listener.port));
    ASSERT_TRUE(printer);
    auto printed = (*printer)->print(voucherJob(576));
    peer.join();
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::Interrupted) << printed.error().message;
    EXPECT_FALSE(printed.error().status.online);
}

TEST(PrinterTransport, PaperSensorByGsRWhenDleEot4IsUnanswered) {
    // A compatible that knows DLE EOT 1-3 but not 4, and reports its paper sensor through GS r 1.
    const Listener listener;
    std::thread peer([&] {
        const int fd = ::accept(listener.fd, nullptr, nullptr);
        std::vector<std::uint8_t> seen;
        std::array<std::uint8_t, 64> buffer{};
        for (;;) {
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n <= 0) break;
            seen.insert(seen.end(), buffer.begin(), buffer.begin() + n);
            while (seen.size() >= 3) {
                std::vector<std::uint8_t> answer;
                if (seen[0] == 0x10 && seen[1] == 0x04 && seen[2] >= 1 && seen[2] <= 3) answer = {0x12};
                if (seen[0] == 0x1D && seen[1] == 'r' && seen[2] == 1) answer = {0x0C};
                seen.erase(seen.begin(), seen.begin() + 3);
                if (!answer.empty()) (void)!::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
            }
        }
        ::close(fd);
    });
    auto printer = hal::PrinterRegistry::withBuiltins().create(tcpConfig(listener.port));
    ASSERT_TRUE(printer);
    const auto status = (*printer)->status();
    peer.join();
    EXPECT_TRUE(status.online);
    EXPECT_EQ(status.paper, hal::PaperLevel::Out) << status.describe();
}

TEST(PrinterTransport, SerialPortThroughAPty) {
    printer_test::PtyPrinter pty;
    hal::PrinterConfig config;
    config.driver = "escpos-serial";
    config.address = pty.slavePath + "@115200";
    config.widthDots = 384;
    auto printer = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(printer);
    EXPECT_TRUE((*printer)->status().ready()) << (*printer)->status().describe();
    auto printed = (*printer)->print(voucherJob(384));
    ASSERT_TRUE(printed) << printed.error().message;
    ASSERT_EQ(pty.printer->jobCount(), 1U);
    EXPECT_TRUE(pty.printer->jobs()[0].complete);
    EXPECT_GT(pty.printer->jobs()[0].page.height(), 500);

    pty.printer->setPaper(hal::PaperLevel::Out);
    auto refused = (*printer)->print(voucherJob(384));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, hal::PrintErrorKind::NotReady);
    EXPECT_EQ(pty.printer->jobCount(), 1U);

    config.address = pty.slavePath + "@12345";
    auto badBaud = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(badBaud);
    EXPECT_NE((*badBaud)->status().error.find("unsupported baud"), std::string::npos);
}

TEST(PrinterTransport, UsbDeviceNodeThroughAPty) {
    // /dev/usb/lp* is a character device read and written like this pty slave.
    printer_test::PtyPrinter pty;
    // The device transport does not set a line discipline (a USB printer has none): make it raw here.
    termios tio{};
    ::tcgetattr(pty.slave, &tio);
    ::cfmakeraw(&tio);
    ::tcsetattr(pty.slave, TCSANOW, &tio);
    hal::PrinterConfig config;
    config.driver = "escpos-usb";
    config.address = pty.slavePath;
    config.widthDots = 384;
    auto printer = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(printer);
    pty.printer->setCoverOpen(true);
    const auto status = (*printer)->status();
    EXPECT_TRUE(status.coverOpen);
    EXPECT_FALSE(status.ready());
    pty.printer->setCoverOpen(false);
    auto printed = (*printer)->print(voucherJob(384));
    ASSERT_TRUE(printed) << printed.error().message;
    EXPECT_EQ(pty.printer->jobCount(), 1U);

    config.address = "/nonexistent/usb/lp7";
    auto missing = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(missing);
    EXPECT_NE((*missing)->status().error.find("no such device"), std::string::npos);
    const TempDir dir;
    config.address = dir.path().string();
    EXPECT_NE(
        (*hal::PrinterRegistry::withBuiltins().create(config))->status().error.find("not a printer device"),
        std::string::npos);
}

TEST(PrinterTransport, CaptureFileRendersLikeThePrinter) {
    const TempDir dir;
    hal::PrinterConfig config;
    config.driver = "escpos-file";
    config.address = (dir.path() / "capture.bin").string();
    auto printer = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(printer);
    EXPECT_TRUE((*printer)->status().ready()) << "a file has no back channel: assumed ready";
    const hal::PrintJob job = voucherJob(576);
    ASSERT_TRUE((*printer)->print(job));

    std::ifstream in(dir.path() / "capture.bin", std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    const auto jobs = hal::renderEscPos(bytes, 576);
    ASSERT_TRUE(jobs);
    ASSERT_EQ(jobs->size(), 1U);

    auto direct = hal::VirtualPrinter::create({576, {}});
    ASSERT_TRUE(direct);
    std::shared_ptr<hal::VirtualPrinter> shared = std::move(*direct);
    hal::EscPosPrinter inProcess(
        [shared]() -> hal::TransportResult { return hal::openVirtualTransport(shared); }, {});
    ASSERT_TRUE(inProcess.print(job));
    ASSERT_EQ(shared->jobCount(), 1U);
    EXPECT_EQ(shared->jobs()[0].page.height(), (*jobs)[0].page.height());
    EXPECT_EQ(shared->jobs()[0].page.blackCount(), (*jobs)[0].page.blackCount());
}

TEST(PrinterRegistry, UnknownDriverListsTheValidOnes) {
    hal::PrinterConfig config;
    config.driver = "epson-magic";
    auto printer = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_FALSE(printer);
    for (const char* name : {"escpos-tcp", "escpos-usb", "escpos-serial", "escpos-file", "virtual"})
        EXPECT_NE(printer.error().find(name), std::string::npos) << printer.error();
}

TEST(PrinterRegistry, BadAddressesAndWidths) {
    const auto registry = hal::PrinterRegistry::withBuiltins();
    hal::PrinterConfig config;
    config.driver = "escpos-tcp";
    for (const char* address : {"printer:0", "printer:99999", "printer:90x", ":9100", ""}) {
        config.address = address;
        EXPECT_FALSE(registry.create(config)) << address;
    }
    config.address = "[::1]:9100";
    EXPECT_TRUE(registry.create(config));
    config.address = "127.0.0.1";
    config.widthDots = 500;
    EXPECT_FALSE(registry.create(config));
    config.driver = "escpos-serial";
    config.widthDots = 576;
    config.address = "/dev/ttyS0@fast";
    EXPECT_FALSE(registry.create(config));
}

}  // namespace
