// End to end, as the issue asks: a real voucher printed through the TCP driver to the virtual printer,
// the QR in the rendered PNG decoded by the kiosk's scanner back to the exact payload; paper out and
// cover open reported to the caller with no job started. Also the real `kioskctl printer serve`.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "../integration/run_process.hpp"
#include "hal/frame.hpp"
#include "hal/printer_registry.hpp"
#include "hal/qr_decoder.hpp"
#include "hal/virtual_printer_server.hpp"
#include "hal/voucher_ticket.hpp"
#include "temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

/// Shaped like the signed LV1 voucher token (docs/voucher-qr.md): long, base32 and dots.
const std::string kPayload =
    "LV1.VCH.K3QZ7M2P9XWR4T6YB8NC5DFGHJ.20261231.50000.STORE-Q1.MFRGGZDFMZTWQ2LKNNWG23TPOBYXE4"
    "3UOV3HO6DZPJ2GS3LMNVXXA4DROJZXI5LWO53XQ6L2";

hal::VoucherTicket ticket(const std::string& payload) {
    return {"Phiếu mua hàng 50.000 ₫",
            "50.000 ₫",
            "Hạn dùng đến 31/12/2026",
            "Áp dụng cho hoá đơn từ 200.000 ₫. Không quy đổi thành tiền mặt. Mỗi phiếu dùng một lần.",
            "K3QZ-7M2P-9XWR",
            payload,
            "Khách hàng: 09xx xxx 123",
            "Cửa hàng Quận 1 · Kiosk KIOSK-01"};
}

hal::TextRaster& fonts() {
    static hal::TextRaster raster = *hal::TextRaster::openNoto();
    return raster;
}

std::string decodeQr(const std::filesystem::path& png) {
    auto frame = hal::loadFrameFromFile(png);
    if (!frame) return "cannot load: " + frame.error();
    hal::QrDecoder decoder;
    const auto codes = decoder.decode(*frame, hal::DecodeEffort::Still);
    return codes.size() == 1 ? codes[0].text : "decoded " + std::to_string(codes.size()) + " codes";
}

struct Served {
    TempDir dir;
    std::shared_ptr<hal::VirtualPrinter> printer;
    std::unique_ptr<hal::VirtualPrinterServer> server;
    std::unique_ptr<hal::ReceiptPrinter> driver;

    explicit Served(int width) {
        printer = std::move(*hal::VirtualPrinter::create({width, dir.path() / "out"}));
        hal::VirtualPrinterServer::Options options;
        options.port = 0;
        options.controlSocket = dir.path() / "control.sock";
        server = std::move(*hal::VirtualPrinterServer::start(printer, options));
        hal::PrinterConfig config;
        config.driver = "escpos-tcp";
        config.address = "127.0.0.1:" + std::to_string(server->port());
        config.widthDots = width;
        driver = std::move(*hal::PrinterRegistry::withBuiltins().create(config));
    }

    std::string control(const std::string& command) const {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, (dir.path() / "control.sock").c_str(), sizeof address.sun_path - 1);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(fd);
            return "cannot connect";
        }
        const std::string line = command + "\n";
        (void)!::write(fd, line.data(), line.size());
        std::string reply;
        char c = 0;
        while (::read(fd, &c, 1) == 1 && c != '\n') reply.push_back(c);
        ::close(fd);
        return reply;
    }
};

class VoucherEndToEnd : public ::testing::TestWithParam<int> {};

TEST_P(VoucherEndToEnd, PrintedQrDecodesToTheExactPayload) {
    const int width = GetParam();
    Served served(width);
    EXPECT_TRUE(served.driver->status().ready());
    auto job = ticket(kPayload).layout(fonts(), width, nullptr);
    ASSERT_TRUE(job) << job.error();
    auto printed = served.driver->print(*job);
    ASSERT_TRUE(printed) << printed.error().message;
    // The server renders at the cut, before it answers the driver's final status query.
    const auto jobs = served.printer->jobs();
    ASSERT_EQ(jobs.size(), 1U);
    ASSERT_FALSE(jobs[0].file.empty());
    EXPECT_EQ(jobs[0].page.width(), width);
    EXPECT_TRUE(jobs[0].complete);
    EXPECT_EQ(decodeQr(jobs[0].file), kPayload);
}

INSTANTIATE_TEST_SUITE_P(Paper, VoucherEndToEnd, ::testing::Values(384, 576));

TEST(PrinterEndToEnd, PaperOutIsReportedAndNoJobStarts) {
    Served served(576);
    served.printer->setPaper(hal::PaperLevel::Out);
    const auto status = served.driver->status();
    EXPECT_EQ(status.paper, hal::PaperLevel::Out);
    EXPECT_FALSE(status.ready());
    auto printed = served.driver->print(*ticket(kPayload).layout(fonts(), 576));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::NotReady);
    EXPECT_EQ(printed.error().status.paper, hal::PaperLevel::Out);
    EXPECT_NE(printed.error().message.find("out of paper"), std::string::npos);
    EXPECT_EQ(served.printer->jobCount(), 0U);
    EXPECT_FALSE(std::filesystem::exists(served.dir.path() / "out" / "job-0001.png"));

    served.printer->setPaper(hal::PaperLevel::NearEnd);
    EXPECT_EQ(served.driver->status().paper, hal::PaperLevel::NearEnd);
    EXPECT_TRUE(served.driver->print(*ticket(kPayload).layout(fonts(), 576))) << "near end still prints";
}

TEST(PrinterEndToEnd, CoverOpenThroughTheControlSocket) {
    Served served(384);
    EXPECT_EQ(served.control("cover open"), "ok offline, paper ok, cover open");
    const auto status = served.driver->status();
    EXPECT_TRUE(status.coverOpen);
    auto printed = served.driver->print(*ticket(kPayload).layout(fonts(), 384));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::NotReady);
    EXPECT_TRUE(printed.error().status.coverOpen);
    EXPECT_EQ(served.printer->jobCount(), 0U);
    EXPECT_EQ(served.control("cover closed"), "ok online, paper ok, cover closed");
    EXPECT_TRUE(served.driver->print(*ticket(kPayload).layout(fonts(), 384)));
    EXPECT_EQ(served.control("jobs"), "ok 1");
    EXPECT_EQ(served.control("paper empty").rfind("error: unknown command", 0), 0U);
}

TEST(PrinterEndToEnd, PaperRunningOutMidJobIsInterrupted) {
    Served served(576);
    served.printer->setPaperLimit(300);  // dots: the roll ends inside the voucher
    auto printed = served.driver->print(*ticket(kPayload).layout(fonts(), 576));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::Interrupted);
    EXPECT_EQ(printed.error().status.paper, hal::PaperLevel::Out);
}

TEST(PrinterEndToEnd, PaperLimitThroughTheControlSocketInterruptsTheNextJob) {
    Served served(384);
    EXPECT_EQ(served.control("paper limit 300"), "ok online, paper ok, cover closed");
    EXPECT_TRUE(served.driver->status().ready()) << "the roll runs out only once the job is printing";
    auto printed = served.driver->print(*ticket(kPayload).layout(fonts(), 384));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::Interrupted);
    EXPECT_EQ(served.control("status"), "ok offline, paper out, cover closed");
    EXPECT_EQ(served.control("paper ok"), "ok online, paper ok, cover closed");
    ASSERT_TRUE(served.driver->print(*ticket(kPayload).layout(fonts(), 384)));
    EXPECT_EQ(decodeQr(served.printer->jobs().back().file), kPayload);
}

TEST(PrinterEndToEnd, VirtualDriverNameReachesTheServerOrRunsInProcess) {
    // The kiosk config says driver "virtual": with HOST:PORT it is `kioskctl printer serve`.
    Served served(576);
    hal::PrinterConfig config;
    config.driver = "virtual";
    config.address = "127.0.0.1:" + std::to_string(served.server->port());
    auto remote = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(remote);
    ASSERT_TRUE((*remote)->print(*ticket(kPayload).layout(fonts(), 576)));
    EXPECT_EQ(served.printer->jobCount(), 1U);
    // With a directory it runs inside the process and writes the PNG there.
    const TempDir dir;
    config.address = (dir.path() / "pngs").string();
    auto local = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(local);
    ASSERT_TRUE((*local)->print(*ticket(kPayload).layout(fonts(), 576)));
    EXPECT_EQ(decodeQr(dir.path() / "pngs" / "job-0001.png"), kPayload);
}

TEST(PrinterEndToEnd, ServerSurvivesHostileControlInputAndServesOneHostAtATime) {
    Served served(384);
    // Garbage and an over-long line on the control socket: the connection is dropped, nothing else.
    EXPECT_EQ(served.control(std::string("\x00\xFF\x1B@ paper out", 13)).rfind("error:", 0), 0U);
    EXPECT_EQ(served.control(std::string(4096, 'x')), "");
    EXPECT_EQ(served.control("status"), "ok online, paper ok, cover closed");

    // While one host holds the printer, a second one waits (its status query goes unanswered).
    auto first = hal::openTcpTransport("127.0.0.1", served.server->port(), {});
    ASSERT_TRUE(first);
    const std::vector<std::uint8_t> query{0x10, 0x04, 0x01};
    ASSERT_TRUE((*first)->write(query));
    std::array<std::uint8_t, 1> answer{};
    ASSERT_EQ((*first)->read(answer, 2s).value_or(0), 1U);
    hal::PrinterConfig config;
    config.driver = "escpos-tcp";
    config.address = "127.0.0.1:" + std::to_string(served.server->port());
    config.statusTimeout = 200ms;
    auto second = hal::PrinterRegistry::withBuiltins().create(config);
    ASSERT_TRUE(second);
    EXPECT_FALSE((*second)->status().online) << "busy with the first host";
    first->reset();
    EXPECT_TRUE((*second)->status().ready()) << "free again once the first host is gone";
}

TEST(PrinterEndToEnd, SilentHostIsDisconnectedAndItsJobFinished) {
    const TempDir dir;
    std::shared_ptr<hal::VirtualPrinter> printer = std::move(*hal::VirtualPrinter::create({384, dir.path()}));
    hal::VirtualPrinterServer::Options options;
    options.port = 0;
    options.idleTimeout = 300ms;
    auto server = hal::VirtualPrinterServer::start(printer, options);
    ASSERT_TRUE(server);
    auto host = hal::openTcpTransport("127.0.0.1", (*server)->port(), {});
    ASSERT_TRUE(host);
    const std::string text = "half a receipt, then silence\n";
    ASSERT_TRUE((*host)->write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
    std::array<std::uint8_t, 1> byte{};
    const auto got = (*host)->read(byte, 3s);
    EXPECT_FALSE(got) << "the server hung up on the silent host";
    EXPECT_EQ(printer->jobCount(), 1U);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "job-0001.png"));
}

/// `kioskctl printer serve` as a child process, stopped with SIGTERM.
class ServeProcess {
  public:
    ServeProcess(const std::filesystem::path& dir, const std::vector<std::string>& extra)
        : m_log(dir / "serve.out") {
        std::vector<std::string> argv{std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl", "printer", "serve",
                                      "--port", "0"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addopen(&actions, 2, (dir / "serve.err").c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        posix_spawn(&m_pid, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        const std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+)");
        for (int i = 0; i < 100 && m_port == 0; ++i) {
            std::ifstream in(m_log);
            std::stringstream text;
            text << in.rdbuf();
            const std::string s = text.str();
            if (std::smatch m; std::regex_search(s, m, listening))
                m_port = std::stoi(m[1]);
            else
                std::this_thread::sleep_for(50ms);
        }
    }
    ~ServeProcess() {
        if (m_pid > 0 && m_exit < -1) (void)stop();
    }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;
    [[nodiscard]] int port() const { return m_port; }
    int stop() {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return m_exit;
    }

  private:
    std::filesystem::path m_log;
    pid_t m_pid = -1;
    int m_port = 0;
    int m_exit = -2;
};

TEST(KioskctlPrinter, ServeTestStatusAndRender) {
    const TempDir dir;
    const std::string kioskctl = std::string(KIOSK_BINARY_DIR) + "/bin/kioskctl";
    const std::string control = (dir.path() / "ctl.sock").string();
    ServeProcess serve(dir.path(),
                       {"--out", (dir.path() / "out").string(), "--width", "384", "--control", control});
    ASSERT_GT(serve.port(), 0) << "serve did not start";
    const std::string address = "127.0.0.1:" + std::to_string(serve.port());

    auto r = kiosk_test::runProcess(
        {kioskctl, "printer", "test", "--address", address, "--width", "384", "--qr", kPayload, "--logo",
         std::string(KIOSK_SOURCE_DIR) + "/assets/images/logo.png"},
        dir.path());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(decodeQr(dir.path() / "out" / "job-0001.png"), kPayload);

    r = kiosk_test::runProcess({kioskctl, "printer", "status", "--address", address}, dir.path());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "online\n");

    // The control socket from outside, the way the kiosk's end-to-end tests use it.
    r = kiosk_test::runProcess({"python3", "-c",
                                "import socket,sys;s=socket.socket(socket.AF_UNIX);s.connect(sys.argv[1]);"
                                "s.sendall(b'paper out\\n');print(s.recv(100).decode().strip())",
                                control},
                               dir.path());
    EXPECT_EQ(r.out, "ok offline, paper out, cover closed\n") << r.err;
    r = kiosk_test::runProcess({kioskctl, "printer", "status", "--address", address}, dir.path());
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "offline, paper out\n");
    r = kiosk_test::runProcess({kioskctl, "printer", "test", "--address", address}, dir.path());
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("out of paper"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "job-0002.png"));
    EXPECT_EQ(serve.stop(), 0);
    EXPECT_FALSE(std::filesystem::exists(control)) << "control socket removed on stop";

    // A capture rendered offline gives the same voucher.
    const std::string capture = (dir.path() / "voucher.bin").string();
    r = kiosk_test::runProcess(
        {kioskctl, "printer", "test", "--driver", "escpos-file", "--address", capture, "--qr", kPayload},
        dir.path());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    r = kiosk_test::runProcess({kioskctl, "escpos", "render", capture, (dir.path() / "render.png").string()},
                               dir.path());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(decodeQr(dir.path() / "render.png"), kPayload);
    r = kiosk_test::runProcess({kioskctl, "escpos", "render", (dir.path() / "missing.bin").string(),
                                (dir.path() / "x.png").string()},
                               dir.path());
    EXPECT_EQ(r.exitCode, 2);
}

}  // namespace
