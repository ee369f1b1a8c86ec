// The ReceiptPrinter contract, written once and run against every implementation we ship: the
// in-process virtual driver, ESC/POS over TCP to the virtual printer server, and ESC/POS over a serial
// line (a pty). Each is backed by a VirtualPrinter the test can fault.
#include <gtest/gtest.h>

#include <functional>

#include "hal/escpos_printer.hpp"
#include "hal/printer_registry.hpp"
#include "hal/virtual_printer_server.hpp"
#include "hal/voucher_ticket.hpp"
#include "printer_test_util.hpp"

namespace {

struct Rig {
    std::shared_ptr<hal::VirtualPrinter> device;        ///< the printer end, for faults and jobs
    std::unique_ptr<hal::ReceiptPrinter> printer;       ///< the implementation under test
    std::unique_ptr<hal::VirtualPrinterServer> server;  ///< kept alive for the TCP rig
    std::unique_ptr<printer_test::PtyPrinter> pty;      ///< kept alive for the serial rig
};

struct Implementation {
    std::string name;
    std::function<Rig(int width)> make;
};

Rig inProcess(int width) {
    Rig rig;
    rig.device = std::move(*hal::VirtualPrinter::create({width, {}}));
    auto device = rig.device;
    rig.printer = std::make_unique<hal::EscPosPrinter>(
        [device]() -> hal::TransportResult { return hal::openVirtualTransport(device); },
        hal::EscPosPrinter::Options{width, true, std::chrono::milliseconds(500)});
    return rig;
}

Rig overTcp(int width) {
    Rig rig;
    rig.device = std::move(*hal::VirtualPrinter::create({width, {}}));
    hal::VirtualPrinterServer::Options options;
    options.port = 0;
    rig.server = std::move(*hal::VirtualPrinterServer::start(rig.device, options));
    hal::PrinterConfig config;
    config.driver = "escpos-tcp";
    config.address = "127.0.0.1:" + std::to_string(rig.server->port());
    config.widthDots = width;
    rig.printer = std::move(*hal::PrinterRegistry::withBuiltins().create(config));
    return rig;
}

Rig overSerial(int width) {
    Rig rig;
    rig.pty = std::make_unique<printer_test::PtyPrinter>(width);
    rig.device = rig.pty->printer;
    hal::PrinterConfig config;
    config.driver = "escpos-serial";
    config.address = rig.pty->slavePath;
    config.widthDots = width;
    rig.printer = std::move(*hal::PrinterRegistry::withBuiltins().create(config));
    return rig;
}

class ReceiptPrinterContract : public ::testing::TestWithParam<Implementation> {
  protected:
    static hal::PrintJob voucher(int width) {
        static hal::TextRaster text = *hal::TextRaster::openNoto();
        return *hal::VoucherTicket{"Phiếu", "20.000 ₫", "Hạn 31/12/2026", "", "CODE-1", "PAYLOAD", "", ""}
                    .layout(text, width);
    }
};

TEST_P(ReceiptPrinterContract, ReadyPrinterPrintsOneJobAtItsWidth) {
    for (int width : {hal::kPaper58mmDots, hal::kPaper80mmDots}) {
        Rig rig = GetParam().make(width);
        EXPECT_EQ(rig.printer->widthDots(), width);
        EXPECT_TRUE(rig.printer->status().ready());
        ASSERT_TRUE(rig.printer->print(voucher(width)));
        ASSERT_EQ(rig.device->jobCount(), 1U);
        EXPECT_EQ(rig.device->jobs()[0].page.width(), width);
    }
}

TEST_P(ReceiptPrinterContract, StatusIsAValueAndRefusalStartsNothing) {
    Rig rig = GetParam().make(hal::kPaper80mmDots);
    rig.device->setPaper(hal::PaperLevel::Out);
    EXPECT_EQ(rig.printer->status().paper, hal::PaperLevel::Out);
    auto printed = rig.printer->print(voucher(hal::kPaper80mmDots));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::NotReady);
    rig.device->setPaper(hal::PaperLevel::Ok);
    rig.device->setCoverOpen(true);
    EXPECT_TRUE(rig.printer->status().coverOpen);
    printed = rig.printer->print(voucher(hal::kPaper80mmDots));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::NotReady);
    EXPECT_EQ(rig.device->jobCount(), 0U);
}

TEST_P(ReceiptPrinterContract, FailureMidJobIsInterrupted) {
    Rig rig = GetParam().make(hal::kPaper80mmDots);
    rig.device->setPaperLimit(200);
    auto printed = rig.printer->print(voucher(hal::kPaper80mmDots));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::Interrupted);
}

TEST_P(ReceiptPrinterContract, JobWiderThanThePaperIsABadJob) {
    Rig rig = GetParam().make(hal::kPaper58mmDots);
    auto printed = rig.printer->print(voucher(hal::kPaper80mmDots));
    ASSERT_FALSE(printed);
    EXPECT_EQ(printed.error().kind, hal::PrintErrorKind::BadJob);
    EXPECT_EQ(rig.device->jobCount(), 0U);
}

INSTANTIATE_TEST_SUITE_P(Implementations, ReceiptPrinterContract,
                         ::testing::Values(Implementation{"InProcessVirtual", inProcess},
                                           Implementation{"EscPosTcp", overTcp},
                                           Implementation{"EscPosSerial", overSerial}),
                         [](const auto& param) { return param.param.name; });

}  // namespace
