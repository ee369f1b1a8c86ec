// kioskctl printer serve | printer status | printer test | escpos render — the receipt printer from
// the command line: the virtual printer for tests and demos, and a field technician's checks of a
// real one. docs/escpos.md describes the bytes and the control channel.
//
// Exit codes: 0 success; 1 the printer refused or failed (not ready, interrupted); 2 bad input or a
// file that cannot be read or written.

#include <signal.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hal/printer_registry.hpp"
#include "hal/virtual_printer.hpp"
#include "hal/virtual_printer_server.hpp"
#include "hal/voucher_ticket.hpp"

namespace kioskctl {

namespace {

namespace fs = std::filesystem;

constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
/// A captured job of a few metres of paper is a few MB; anything larger is not a receipt stream.
constexpr std::uintmax_t kMaxStreamBytes = 64ULL * 1024 * 1024;

struct ServeOptions {
    int port = 9100;
    std::string outDir;
    int width = hal::kPaper80mmDots;
    std::string control;
};

struct PrinterOptions {
    std::string driver = "escpos-tcp";
    std::string address = "127.0.0.1:9100";
    int baud = 38400;
    int width = hal::kPaper80mmDots;
    std::string logo;
    std::string qr = "VOUCHER-TEST-0001";
};

struct RenderOptions {
    std::string in;
    std::string out;
    int width = hal::kPaper80mmDots;
};

int runServe(const ServeOptions& o) {
    if (o.port < 0 || o.port > 65535) {
        std::cerr << "printer serve: --port must be 0..65535\n";
        return kExitBadInput;
    }
    auto printer = hal::VirtualPrinter::create({o.width, o.outDir});
    if (!printer) {
        std::cerr << "printer serve: " << printer.error() << "\n";
        return kExitBadInput;
    }
    // Block the stop signals before the server thread starts, so only sigwait below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    hal::VirtualPrinterServer::Options serverOptions;
    serverOptions.port = static_cast<std::uint16_t>(o.port);
    serverOptions.controlSocket = o.control;
    serverOptions.onLog = [](const std::string& line) { std::cerr << "printer: " << line << std::endl; };
    auto server = hal::VirtualPrinterServer::start(std::shared_ptr<hal::VirtualPrinter>(std::move(*printer)),
                                                   std::move(serverOptions));
    if (!server) {
        std::cerr << "printer serve: " << server.error() << "\n";
        return kExitBadInput;
    }
    // One line on stdout, flushed, so a script started with --port 0 can learn the port.
    std::cout << fmt::format("listening on 127.0.0.1:{} width {} out {}{}", (*server)->port(), o.width,
                             o.outDir, o.control.empty() ? "" : " control " + o.control)
              << std::endl;
    int signal = 0;
    sigwait(&stopSignals, &signal);
    (*server)->stop();
    return 0;
}

std::expected<std::unique_ptr<hal::ReceiptPrinter>, std::string> makePrinter(const PrinterOptions& o) {
    hal::PrinterConfig config;
    config.driver = o.driver;
    config.address = o.address;
    config.baud = o.baud;
    config.widthDots = o.width;
    return hal::PrinterRegistry::withBuiltins().create(config);
}

int runStatus(const PrinterOptions& o) {
    auto printer = makePrinter(o);
    if (!printer) {
        std::cerr << "printer status: " << printer.error() << "\n";
        return kExitBadInput;
    }
    const hal::PrinterStatus status = (*printer)->status();
    std::cout << status.describe() << "\n";
    return status.ready() ? 0 : kExitFailed;
}

int runTest(const PrinterOptions& o) {
    auto printer = makePrinter(o);
    if (!printer) {
        std::cerr << "printer test: " << printer.error() << "\n";
        return kExitBadInput;
    }
    auto text = hal::TextRaster::openNoto();
    if (!text) {
        std::cerr << "printer test: " << text.error() << "\n";
        return kExitBadInput;
    }
    std::optional<hal::Bitmap> logo;
    if (!o.logo.empty()) {
        auto loaded = hal::loadBitmap(o.logo, o.width * 2 / 3);
        if (!loaded) {
            std::cerr << "printer test: " << loaded.error() << "\n";
            return kExitBadInput;
        }
        logo = std::move(*loaded);
    }
    const hal::VoucherTicket ticket{
        .title = "Phiếu mua hàng — bản in thử",
        .valueText = "50.000 ₫",
        .expiryText = "Hạn dùng đến 31/12/2026",
        .terms =
            "Bản in thử của máy in: không có giá trị thanh toán. Kiểm tra chữ tiếng Việt: Ấ Ầ Ẩ Ẫ Ậ "
            "ế ề ể ễ ệ ố ồ ổ ỗ ộ ứ ừ ử ữ ự — Đổi quà tại quầy thu ngân.",
        .code = "TEST-0001",
        .qrPayload = o.qr,
        .memberLine = "",
        .storeLine = "kioskctl printer test",
    };
    auto job = ticket.layout(*text, (*printer)->widthDots(), logo ? &*logo : nullptr);
    if (!job) {
        std::cerr << "printer test: " << job.error() << "\n";
        return kExitBadInput;
    }
    if (auto printed = (*printer)->print(*job); !printed) {
        std::cerr << "printer test: " << printed.error().message << "\n";
        return kExitFailed;
    }
    std::cout << "printed\n";
    return 0;
}

int runRender(const RenderOptions& o) {
    std::error_code ec;
    const auto size = fs::file_size(o.in, ec);
    if (ec || size > kMaxStreamBytes) {
        std::cerr << "escpos render: cannot read " << o.in << (ec ? ": " + ec.message() : ": too large")
                  << "\n";
        return kExitBadInput;
    }
    std::ifstream in(o.in, std::ios::binary);
    const std::vector<std::uint8_t> stream((std::istreambuf_iterator<char>(in)),
                                           std::istreambuf_iterator<char>());
    std::vector<std::string> log;
    auto jobs = hal::renderEscPos(stream, o.width, &log);
    for (const auto& line : log) std::cerr << "escpos: " << line << "\n";
    if (!jobs) {
        std::cerr << "escpos render: " << jobs.error() << "\n";
        return kExitBadInput;
    }
    if (jobs->empty()) {
        std::cerr << "escpos render: nothing printable in " << o.in << "\n";
        return kExitBadInput;
    }
    // The first job goes to OUT.png; a stream holding several cut jobs gives OUT-2.png, OUT-3.png …
    const fs::path out = o.out;
    for (std::size_t i = 0; i < jobs->size(); ++i) {
        fs::path file = out;
        if (i > 0)
            file.replace_filename(
                fmt::format("{}-{}{}", out.stem().string(), i + 1, out.extension().string()));
        if (auto saved = hal::savePng((*jobs)[i].page, file); !saved) {
            std::cerr << "escpos render: " << saved.error() << "\n";
            return kExitBadInput;
        }
        std::cout << fmt::format("{} {}x{}{}\n", file.string(), (*jobs)[i].page.width(),
                                 (*jobs)[i].page.height(), (*jobs)[i].complete ? "" : " incomplete");
    }
    return 0;
}

void addPrinterOptions(CLI::App* cmd, PrinterOptions& o) {
    cmd->add_option("--driver", o.driver, "escpos-tcp | escpos-usb | escpos-serial | escpos-file | virtual")
        ->capture_default_str();
    cmd->add_option("--address", o.address, "HOST[:PORT], /dev/usb/lpN, /dev/ttyX[@BAUD], a file or a dir")
        ->capture_default_str();
    cmd->add_option("--baud", o.baud, "Serial baud rate")->capture_default_str();
    cmd->add_option("--width", o.width, "Paper width in dots: 384 (58 mm) or 576 (80 mm)")
        ->check(CLI::IsMember({hal::kPaper58mmDots, hal::kPaper80mmDots}))
        ->capture_default_str();
}

}  // namespace

void addPrinterCommands(CLI::App& app, int& exitCode) {
    CLI::App* printer =
        app.add_subcommand("printer", "Serve the virtual printer, check or test a receipt printer");
    printer->require_subcommand(1);

    auto serveOptions = std::make_shared<ServeOptions>();
    CLI::App* serve = printer->add_subcommand(
        "serve", "Run the virtual ESC/POS printer on 127.0.0.1: each job becomes a PNG (stop with Ctrl-C)");
    serve->add_option("--port", serveOptions->port, "TCP port (0 = any free port, printed at start)")
        ->capture_default_str();
    serve->add_option("--out", serveOptions->outDir, "Directory for job-NNNN.png")->required();
    serve->add_option("--width", serveOptions->width, "Paper width in dots: 384 (58 mm) or 576 (80 mm)")
        ->check(CLI::IsMember({hal::kPaper58mmDots, hal::kPaper80mmDots}))
        ->capture_default_str();
    serve->add_option(
        "--control", serveOptions->control,
        "Unix socket taking 'paper out|paper near-end|paper ok|paper limit N|paper limit off|cover "
        "open|cover closed|status|jobs'");
    serve->callback([serveOptions, &exitCode] { exitCode = runServe(*serveOptions); });

    auto statusOptions = std::make_shared<PrinterOptions>();
    CLI::App* status =
        printer->add_subcommand("status", "Ask a printer for its status (exit 1 when not ready)");
    addPrinterOptions(status, *statusOptions);
    status->callback([statusOptions, &exitCode] { exitCode = runStatus(*statusOptions); });

    auto testOptions = std::make_shared<PrinterOptions>();
    CLI::App* test = printer->add_subcommand("test", "Print a sample Vietnamese voucher with a QR code");
    addPrinterOptions(test, *testOptions);
    test->add_option("--logo", testOptions->logo, "Logo image (e.g. assets/images/logo.png)");
    test->add_option("--qr", testOptions->qr, "QR payload")->capture_default_str();
    test->callback([testOptions, &exitCode] { exitCode = runTest(*testOptions); });

    CLI::App* escpos = app.add_subcommand("escpos", "Work with captured ESC/POS byte streams");
    escpos->require_subcommand(1);
    auto renderOptions = std::make_shared<RenderOptions>();
    CLI::App* render = escpos->add_subcommand(
        "render", "Render a captured stream like the virtual printer (one PNG per job)");
    render->add_option("in", renderOptions->in, "The captured bytes")->required();
    render->add_option("out", renderOptions->out, "The PNG (more jobs: OUT-2.png, …)")->required();
    render->add_option("--width", renderOptions->width, "Paper width in dots: 384 (58 mm) or 576 (80 mm)")
        ->check(CLI::IsMember({hal::kPaper58mmDots, hal::kPaper80mmDots}))
        ->capture_default_str();
    render->callback([renderOptions, &exitCode] { exitCode = runRender(*renderOptions); });
}

}  // namespace kioskctl
