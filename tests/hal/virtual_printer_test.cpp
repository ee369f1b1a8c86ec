// The virtual printer against real ESC/POS byte streams — ours and the kind other POS software sends.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>

#include "hal/escpos.hpp"
#include "hal/qr_decoder.hpp"
#include "hal/text_raster.hpp"
#include "hal/virtual_printer.hpp"
#include "hal/virtual_printer_server.hpp"
#include "hal/voucher_ticket.hpp"
#include "printer_test_util.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::unique_ptr<hal::VirtualPrinter> makePrinter(int width = hal::kPaper80mmDots) {
    auto printer = hal::VirtualPrinter::create({width, {}});
    EXPECT_TRUE(printer) << (printer ? "" : printer.error());
    return std::move(*printer);
}

std::vector<hal::VirtualPrinter::Job> render(const Bytes& stream, int width = hal::kPaper80mmDots) {
    auto jobs = hal::renderEscPos(stream, width);
    EXPECT_TRUE(jobs);
    return jobs ? *jobs : std::vector<hal::VirtualPrinter::Job>{};
}

/// Columns [first, last] holding ink in rows [y0, y1).
std::pair<int, int> inkColumns(const hal::Bitmap& page, int y0, int y1) {
    int first = page.width(), last = -1;
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < page.width(); ++x)
            if (page.at(x, y)) {
                first = std::min(first, x);
                last = std::max(last, x);
            }
    return {first, last};
}

const Bytes kInit = {0x1B, '@'};
const Bytes kCut = {0x1D, 'V', 0};

TEST(VirtualPrinter, TextAlignmentAndSizes) {
    // Like a POS app's receipt header: centred title, right-aligned total, double size.
    const Bytes stream = kInit + Bytes{0x1B, 'a', 1} + bytes("CENTER\n") + Bytes{0x1B, 'a', 2} +
                         bytes("RIGHT\n") + Bytes{0x1B, 'a', 0, 0x1D, '!', 0x11} + bytes("BIG\n") +
                         Bytes{0x1D, '!', 0} + bytes("small\n") + kCut;
    const auto jobs = render(stream);
    ASSERT_EQ(jobs.size(), 1U);
    const hal::Bitmap& page = jobs[0].page;
    EXPECT_EQ(page.width(), 576);
    const auto [c0, c1] = inkColumns(page, 0, 30);
    EXPECT_NEAR(c0, 575 - c1, 14) << "centred";
    const auto [r0, r1] = inkColumns(page, 30, 60);
    EXPECT_GT(r0, 400);
    EXPECT_GE(r1, 560) << "right-aligned";
    // GS ! 0x11: double width and height — the line is 48 dots, the next normal one 30.
    EXPECT_EQ(page.height(), 30 + 30 + 48 + 30);
    const auto [b0, b1] = inkColumns(page, 60, 108);
    const auto [s0, s1] = inkColumns(page, 108, 138);
    EXPECT_GT(b1 - b0, (s1 - s0) * 5 / 10) << "3 double-width letters vs 5 normal";
}

TEST(VirtualPrinter, EmphasisAndUnderlineAddInk) {
    const auto plain = render(kInit + bytes("Sample\n") + kCut);
    const auto bold = render(kInit + Bytes{0x1B, 'E', 1} + bytes("Sample\n") + kCut);
    const auto under = render(kInit + Bytes{0x1B, '-', 2} + bytes("Sample\n") + kCut);
    ASSERT_EQ(plain.size(), 1U);
    ASSERT_EQ(bold.size(), 1U);
    ASSERT_EQ(under.size(), 1U);
    EXPECT_GT(bold[0].page.blackCount(), plain[0].page.blackCount());
    EXPECT_GT(under[0].page.blackCount(), plain[0].page.blackCount() + 100)
        << "two dots under 72 dots of text";
}

TEST(VirtualPrinter, RasterReproducedExactlyAndAcrossChunks) {
    std::mt19937 rng(7);
    const int bytesPerRow = 20, rows = 50;
    Bytes stream = kInit + Bytes{0x1D, 'v', '0', 0, bytesPerRow, 0, rows, 0};
    Bytes data;
    for (int i = 0; i < bytesPerRow * rows; ++i) data.push_back(static_cast<std::uint8_t>(rng()));
    stream = stream + data + kCut;
    const auto whole = render(stream, hal::kPaper58mmDots);
    ASSERT_EQ(whole.size(), 1U);
    const hal::Bitmap& page = whole[0].page;
    ASSERT_EQ(page.height(), rows);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < bytesPerRow * 8; ++x)
            ASSERT_EQ(page.at(x, y),
                      ((data[static_cast<std::size_t>(y * bytesPerRow + x / 8)] >> (7 - x % 8)) & 1) != 0)
                << x << "," << y;
    // Byte by byte (a slow serial line) gives the same page.
    auto printer = makePrinter(hal::kPaper58mmDots);
    for (std::uint8_t b : stream) EXPECT_TRUE(printer->receive(Bytes{b}).empty());
    ASSERT_EQ(printer->jobCount(), 1U);
    EXPECT_EQ(printer->jobs()[0].page.packedRow(17), page.packedRow(17));
    EXPECT_EQ(printer->jobs()[0].page.blackCount(), page.blackCount());
}

TEST(VirtualPrinter, NativeQrCodeDecodes) {
    const std::string payload = "LV1.VOUCHER.TEST-QR-0042.signature";
    const auto len = static_cast<std::uint8_t>(payload.size() + 3);
    const Bytes stream = kInit + Bytes{0x1B, 'a', 1} +
                         Bytes{0x1D, '(', 'k', 4, 0, 49, 65, 50, 0} +  // model 2
                         Bytes{0x1D, '(', 'k', 3, 0, 49, 67, 6} +      // module 6 dots
                         Bytes{0x1D, '(', 'k', 3, 0, 49, 69, 49} +     // level M
                         Bytes{0x1D, '(', 'k', len, 0, 49, 80, 48} + bytes(payload) +
                         Bytes{0x1D, '(', 'k', 3, 0, 49, 81, 48} + kCut;
    const auto jobs = render(stream);
    ASSERT_EQ(jobs.size(), 1U);
    hal::QrDecoder decoder;
    const auto codes = decoder.decode(printer_test::toFrame(jobs[0].page), hal::DecodeEffort::Still);
    ASSERT_EQ(codes.size(), 1U);
    EXPECT_EQ(codes[0].text, payload);
    const auto [q0, q1] = inkColumns(jobs[0].page, 0, jobs[0].page.height());
    EXPECT_NEAR(q0, 575 - q1, 2) << "ESC a 1 centres the QR";
}

TEST(VirtualPrinter, OneDimensionalBarcodesDecode) {
    const std::string code128 = "{BKIOSK-0042";
    const Bytes stream = kInit + Bytes{0x1D, 'H', 2, 0x1D, 'h', 80, 0x1D, 'w', 2} +
                         Bytes{0x1D, 'k', 73, static_cast<std::uint8_t>(code128.size())} + bytes(code128) +
                         bytes("\n") + Bytes{0x1D, 'k', 69, 7} + bytes("ABC-123") + bytes("\n") +
                         Bytes{0x1D, 'k', 2} + bytes("893123456789") + Bytes{0} +
                         kCut;  // EAN13, function A form
    const auto jobs = render(stream);
    ASSERT_EQ(jobs.size(), 1U);
    auto found = printer_test::zbarSymbols(jobs[0].page);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found,
              (std::vector<std::string>{"CODE-128:KIOSK-0042", "CODE-39:ABC-123", "EAN-13:8931234567897"}));
}

TEST(VirtualPrinter, AnswersStatusFromItsState) {
    auto printer = makePrinter();
    const Bytes query = {0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4, 0x1D, 'r', 1};
    EXPECT_EQ(printer->receive(query), (Bytes{0x12, 0x12, 0x12, 0x12, 0x00}));
    printer->setPaper(hal::PaperLevel::NearEnd);
    EXPECT_EQ(printer->receive(query), (Bytes{0x12, 0x12, 0x12, 0x1E, 0x03}));
    printer->setPaper(hal::PaperLevel::Out);
    EXPECT_EQ(printer->receive(query), (Bytes{0x1A, 0x32, 0x12, 0x7E, 0x0F}));
    printer->setPaper(hal::PaperLevel::Ok);
    printer->setCoverOpen(true);
    EXPECT_EQ(printer->receive(query), (Bytes{0x1A, 0x16, 0x12, 0x12, 0x00}));
    const auto state = printer->state();
    EXPECT_TRUE(state.coverOpen);
    EXPECT_FALSE(state.ready());
    printer->endOfStream();
    EXPECT_EQ(printer->jobCount(), 0U) << "status queries alone are not a job";
}

TEST(VirtualPrinter, UnknownCommandsSkippedByTheirLength) {
    // Commands we do not render, each carrying data full of printable bytes that must not print.
    const Bytes graphics = Bytes{0x1D, '(', 'L', 12, 0, 48, 112} + bytes("AAAAAAAAAA");
    const Bytes graphics8 = Bytes{0x1D, '8', 'L', 6, 0, 0, 0, 48, 112} + bytes("BBBB");
    const Bytes userChars = Bytes{0x1B, '&', 3, 'A', 'B', 2} + bytes("CCCCCC") + Bytes{1} + bytes("DDD");
    const Bytes nvImage = Bytes{0x1C, 'q', 1, 1, 0, 1, 0} + bytes("EEEEEEEE");
    const Bytes pdf417 = Bytes{0x1D, '(', 'k', 7, 0, 48, 80, 48} + bytes("FFFF");
    const Bytes misc = Bytes{0x1B, 'Z', 0x1B, 'p', 0, 25, 250, 0x10, 0x14, 1, 0, 1, 0x1D, 'P', 180, 180};
    const Bytes text = bytes("OK\n");
    const auto noisy =
        render(kInit + graphics + graphics8 + userChars + nvImage + pdf417 + misc + text + kCut);
    const auto clean = render(kInit + text + kCut);
    ASSERT_EQ(noisy.size(), 1U);
    ASSERT_EQ(clean.size(), 1U);
    EXPECT_EQ(noisy[0].page.height(), clean[0].page.height());
    EXPECT_EQ(noisy[0].page.blackCount(), clean[0].page.blackCount());

    std::vector<std::string> log;
    ASSERT_TRUE(hal::renderEscPos(kInit + graphics + pdf417 + misc, 576, &log));
    EXPECT_GE(log.size(), 4U);
    EXPECT_TRUE(std::any_of(log.begin(), log.end(),
                            [](const auto& l) { return l.find("GS ( L") != std::string::npos; }));
}

TEST(VirtualPrinter, JobsEndAtCutOrEndOfStream) {
    auto printer = makePrinter();
    (void)printer->receive(kInit + bytes("one\n") + kCut + bytes("two\n") + Bytes{0x1D, 'V', 66, 3} +
                           bytes("three"));
    EXPECT_EQ(printer->jobCount(), 2U);
    printer->endOfStream();
    EXPECT_EQ(printer->jobCount(), 3U);
    printer->endOfStream();
    EXPECT_EQ(printer->jobCount(), 3U) << "nothing pending, no empty page";
}

TEST(VirtualPrinter, KeepsOnlyRecentJobsInMemory) {
    auto printer = hal::VirtualPrinter::create({hal::kPaper58mmDots, {}, 3});
    ASSERT_TRUE(printer);
    for (int i = 0; i < 10; ++i) (void)(*printer)->receive(bytes("job " + std::to_string(i) + "\n") + kCut);
    EXPECT_EQ((*printer)->jobCount(), 10U);
    EXPECT_EQ((*printer)->jobs().size(), 3U);
    // A capture is rendered whole, however many jobs it holds.
    Bytes capture;
    for (int i = 0; i < 40; ++i) capture = capture + bytes("x\n") + kCut;
    EXPECT_EQ(render(capture).size(), 40U);
}

TEST(VirtualPrinter, BitImageColumnsLikeOlderDrivers) {
    // ESC * 33: 24-dot double density, the way many Windows/Android POS drivers send logos.
    Bytes stream = kInit + Bytes{0x1B, '3', 24, 0x1B, '*', 33, 10, 0};
    for (int c = 0; c < 10; ++c) stream = stream + Bytes{0xFF, 0x00, 0xFF};
    stream = stream + bytes("\n") + kCut;
    const auto jobs = render(stream);
    ASSERT_EQ(jobs.size(), 1U);
    EXPECT_EQ(jobs[0].page.height(), 24);
    EXPECT_EQ(jobs[0].page.blackCount(), 10U * 16U);
    EXPECT_TRUE(jobs[0].page.at(0, 0));
    EXPECT_FALSE(jobs[0].page.at(0, 10));
}

TEST(VirtualPrinter, GraphicsStoredAndPrintedLikeEpsonDrivers) {
    // GS ( L fn 112: a 16x3 checker stored at double width, then GS ( L fn 50 prints it; the same
    // through GS 8 L with its 4-byte length.
    const Bytes data = {0xAA, 0x55, 0x55, 0xAA, 0xFF, 0x00};
    const Bytes store = Bytes{48, 112, 48, 2, 1, 49, 16, 0, 3, 0} + data;
    const Bytes print = {0x1D, '(', 'L', 2, 0, 48, 50};
    const auto small = render(kInit + Bytes{0x1D, '(', 'L', static_cast<std::uint8_t>(store.size()), 0} +
                              store + print + kCut);
    const auto large =
        render(kInit + Bytes{0x1D, '8', 'L', static_cast<std::uint8_t>(store.size()), 0, 0, 0} + store +
               print + kCut);
    ASSERT_EQ(small.size(), 1U);
    ASSERT_EQ(large.size(), 1U);
    const hal::Bitmap& page = small[0].page;
    ASSERT_EQ(page.height(), 3);
    EXPECT_TRUE(page.at(0, 0) && page.at(1, 0) && !page.at(2, 0)) << "double width";
    EXPECT_TRUE(!page.at(0, 1) && page.at(2, 1));
    EXPECT_EQ(page.blackCount(), 2U * (8U + 8U + 8U));
    EXPECT_EQ(large[0].page.blackCount(), page.blackCount());
}

TEST(VirtualPrinter, PaperRunningOutMidJobDropsTheRest) {
    auto printer = makePrinter(hal::kPaper58mmDots);
    printer->setPaperLimit(100);
    Bytes stream = kInit + Bytes{0x1D, 'v', '0', 0, 48, 0, 44, 1};  // 300 rows
    stream.resize(stream.size() + 48U * 300U, 0xAA);
    (void)printer->receive(stream + kCut);
    ASSERT_EQ(printer->jobCount(), 1U);
    const auto job = printer->jobs()[0];
    EXPECT_FALSE(job.complete);
    EXPECT_LE(job.page.height(), 100);
    EXPECT_EQ(printer->state().paper, hal::PaperLevel::Out);
}

TEST(VirtualPrinter, ControlChannelPaperLimitRunsTheRollOutMidJob) {
    auto printer = makePrinter(hal::kPaper58mmDots);
    Bytes raster = kInit + Bytes{0x1D, 'v', '0', 0, 48, 0, 44, 1};  // 300 rows
    raster.resize(raster.size() + 48U * 300U, 0xAA);
    const std::string ready = "ok online, paper ok, cover closed";

    EXPECT_EQ(hal::applyControlCommand(*printer, "paper limit 100"), ready) << "status still fine";
    (void)printer->receive(raster + kCut);
    ASSERT_EQ(printer->jobCount(), 1U);
    EXPECT_FALSE(printer->jobs().back().complete);
    EXPECT_EQ(printer->jobs().back().page.height(), 100);
    EXPECT_EQ(hal::applyControlCommand(*printer, "status"), "ok offline, paper out, cover closed");

    // A new roll is endless, even over a limit that has not run out yet.
    EXPECT_EQ(hal::applyControlCommand(*printer, "paper ok"), ready);
    EXPECT_EQ(hal::applyControlCommand(*printer, "paper limit 100"), ready);
    EXPECT_EQ(hal::applyControlCommand(*printer, "paper ok"), ready);
    (void)printer->receive(raster + kCut);
    EXPECT_TRUE(printer->jobs().back().complete);
    EXPECT_EQ(hal::applyControlCommand(*printer, "paper limit 100"), ready);
    EXPECT_EQ(hal::applyControlCommand(*printer, "paper limit off"), ready);
    (void)printer->receive(raster + kCut);
    EXPECT_TRUE(printer->jobs().back().complete);

    for (const char* bad :
         {"paper limit", "paper limit ", "paper limit -1", "paper limit 12x", "paper limit 0x10",
          "paper limit 1000001", "paper limit 99999999999999999999", "paper limit  5"})
        EXPECT_EQ(hal::applyControlCommand(*printer, bad).rfind("error:", 0), 0U) << bad;
    (void)printer->receive(raster + kCut);
    EXPECT_TRUE(printer->jobs().back().complete) << "a refused command leaves the roll endless";
    EXPECT_EQ(printer->jobCount(), 4U);
}

TEST(VirtualPrinter, FuzzedStreamsNeverCrash) {
    // Mutations of a real voucher stream plus pure noise, fed in random chunks.
    auto text = hal::TextRaster::openNoto();
    ASSERT_TRUE(text);
    hal::VoucherTicket ticket{"Phiếu",  "50.000 ₫", "Hạn dùng", "Điều kiện",
                              "CODE-1", "PAYLOAD",  "",         "Cửa hàng"};
    auto job = ticket.layout(*text, hal::kPaper58mmDots);
    ASSERT_TRUE(job);
    Bytes voucher;
    for (const auto& piece : hal::escpos::encode(*job)) voucher = voucher + piece;
    // Commands with length fields are where parsers go wrong: seed them in.
    const std::vector<Bytes> seeds = {{0x1D, 'v', '0', 3, 0xFF, 0xFF, 0xFF, 0xFF},
                                      {0x1D, '(', 'k', 0xFF, 0xFF, 49, 80},
                                      {0x1D, '8', 'L', 0xFF, 0xFF, 0xFF, 0x7F},
                                      {0x1B, '*', 33, 0xFF, 0xFF},
                                      {0x1D, 'k', 73, 255},
                                      {0x1B, '&', 255, 0, 255},
                                      {0x1C, 'q', 255},
                                      {0x1D, 'k', 4}};
    std::mt19937 rng(20261123);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
    int rounds = 0;
    for (; rounds < 400 && std::chrono::steady_clock::now() < deadline; ++rounds) {
        Bytes stream;
        if (rounds % 3 == 0) {
            stream.resize(rng() % 4096);
            for (auto& b : stream) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() % 0x20 : rng());
        } else {
            stream = voucher;
            const int mutations = 1 + static_cast<int>(rng() % 20);
            for (int m = 0; m < mutations; ++m) {
                const std::size_t at = rng() % stream.size();
                switch (rng() % 3) {
                    case 0:
                        stream[at] = static_cast<std::uint8_t>(rng());
                        break;
                    case 1:
                        stream.erase(stream.begin() + static_cast<std::ptrdiff_t>(at));
                        break;
                    default: {
                        const Bytes& seed = seeds[rng() % seeds.size()];
                        stream.insert(stream.begin() + static_cast<std::ptrdiff_t>(at), seed.begin(),
                                      seed.end());
                    }
                }
            }
        }
        auto printer = makePrinter(rounds % 2 == 0 ? hal::kPaper58mmDots : hal::kPaper80mmDots);
        std::size_t pos = 0;
        while (pos < stream.size()) {
            const std::size_t chunk = std::min<std::size_t>(1 + rng() % 700, stream.size() - pos);
            (void)printer->receive(std::span(stream.data() + pos, chunk));
            pos += chunk;
        }
        printer->endOfStream();
        for (const auto& j : printer->jobs()) EXPECT_LE(j.page.height(), hal::VirtualPrinter::kMaxPageDots);
    }
    EXPECT_GE(rounds, 50) << "fuzzing too slow";
}

}  // namespace
