// Vietnamese rasterisation, and hostile text that must never reach the printer as command bytes.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "hal/consent_ticket.hpp"
#include "hal/escpos.hpp"
#include "hal/text_raster.hpp"
#include "hal/virtual_printer.hpp"
#include "hal/voucher_ticket.hpp"

namespace {

using hal::TextRaster;

TextRaster& fonts() {
    static TextRaster raster = *TextRaster::openNoto();
    return raster;
}

/// Every ESC/POS introducer and real-time command we could think of, inside a member name.
const std::string kHostile = std::string(
                                 "Nguy\x1B@\x1D"
                                 "V\x00\x10\x04\x01\x1B!\x30\x1D(k\x03\x00\x31\x51\x30",
                                 23) +
                             "\x1C\x2E\x0A\x0D\x07\x7F\xC2\x9B[31m\xE2\x80\xAE"
                             "ễn \xFF\xC0\xAF Văn A";

TEST(TextRaster, ComposesDecomposedVietnamese) {
    // "Nguyễn" written NFD: e + circumflex + tilde.
    EXPECT_EQ(TextRaster::sanitize("Nguye\xCC\x82\xCC\x83n"), U"Nguyễn");
    // ư + hook above, a + breve + dot below, O + horn + grave.
    EXPECT_EQ(TextRaster::sanitize("u\xCC\x9B\xCC\x89 a\xCC\x86\xCC\xA3 O\xCC\x9B\xCC\x80"), U"ử ặ Ờ");
}

TEST(TextRaster, DropsControlsAndReplacesBadUtf8) {
    const std::u32string clean = TextRaster::sanitize(kHostile);
    for (char32_t c : clean) {
        EXPECT_FALSE(c < 0x20 && c != U'\n') << "control U+" << std::hex << static_cast<unsigned>(c);
        EXPECT_FALSE(c >= 0x7F && c <= 0x9F);
        EXPECT_NE(c, U'\u202E');
    }
    EXPECT_NE(clean.find(U"Văn A"), std::u32string::npos);
    EXPECT_NE(clean.find(U'\uFFFD'), std::u32string::npos) << "0xFF and the overlong C0 AF are replaced";
    EXPECT_EQ(TextRaster::sanitize("\xE1\xBB"), U"\uFFFD") << "truncated sequence";
    EXPECT_EQ(TextRaster::sanitize("\xED\xA0\x80"), U"\uFFFD") << "surrogate";
}

TEST(TextRaster, StackedDiacriticsAreNotClipped) {
    // A capital with circumflex + acute reaches above the font's ascender: the line grows to hold it.
    const hal::TextStyle style{32, true, hal::Align::Left, 4};
    const hal::Bitmap plainInk = fonts().render("A", style, 384).trimmedRows();
    const hal::Bitmap stackedLine = fonts().render("Ấ", style, 384);
    const hal::Bitmap stackedInk = stackedLine.trimmedRows();
    ASSERT_FALSE(plainInk.empty());
    EXPECT_GT(stackedInk.height() * 10, plainInk.height() * 13) << "both marks above the A are there";
    // Same for the dot below under a stacked vowel: ink reaches below the baseline.
    const hal::Bitmap dotted = fonts().render("Ệ", style, 384).trimmedRows();
    EXPECT_GT(dotted.height(), stackedInk.height() * 8 / 10);
    EXPECT_GT(dotted.blackCount(), fonts().render("E", style, 384).blackCount());
}

TEST(TextRaster, WrapsToTheWidthAndAligns) {
    const hal::TextStyle style{24, false, hal::Align::Center, 4};
    const hal::Bitmap one = fonts().render("Đổi quà", style, 384);
    const hal::Bitmap many =
        fonts().render(std::string(40, 'x') + " Tích điểm đổi quà tại quầy thu ngân cửa hàng", style, 384);
    EXPECT_EQ(many.width(), 384);
    EXPECT_GE(many.height(), 3 * one.height()) << "long words are broken, text wraps";
    // Centred: as much white left of the ink as right of it (within a dot or two).
    int left = 384, right = 0;
    for (int y = 0; y < one.height(); ++y)
        for (int x = 0; x < one.width(); ++x)
            if (one.at(x, y)) {
                left = std::min(left, x);
                right = std::max(right, x);
            }
    EXPECT_NEAR(left, 383 - right, 4);
    EXPECT_TRUE(fonts().render("", style, 384).empty());
}

/// Walks the stream: each piece must be exactly one of our commands with its exact length, so no byte
/// of text can be interpreted by the printer; and the printer agrees (one job, nothing skipped).
void expectOnlyOurCommands(const hal::PrintJob& job) {
    for (const auto& piece : hal::escpos::encode(job)) {
        ASSERT_GE(piece.size(), 2U);
        if (piece[0] == 0x1B && piece[1] == '@') {
            EXPECT_EQ(piece.size(), 2U);
        } else if (piece[0] == 0x1D && piece[1] == 'v') {
            ASSERT_GE(piece.size(), 8U);
            const std::size_t bytes = (piece[4] + piece[5] * 256U) * (piece[6] + piece[7] * 256U);
            EXPECT_EQ(piece.size(), 8U + bytes);
        } else if (piece[0] == 0x1B && piece[1] == 'J') {
            EXPECT_EQ(piece.size() % 3, 0U);
        } else {
            EXPECT_EQ(piece, (std::vector<std::uint8_t>{0x1D, 'V', 66, 0}));
        }
    }
    auto printer = hal::VirtualPrinter::create({job.widthDots(), {}});
    ASSERT_TRUE(printer);
    for (const auto& piece : hal::escpos::encode(job)) EXPECT_TRUE((*printer)->receive(piece).empty());
    (*printer)->endOfStream();
    EXPECT_EQ((*printer)->jobCount(), 1U);
    for (const auto& line : (*printer)->log()) EXPECT_EQ(line.find("skipped"), std::string::npos) << line;
}

TEST(HostileText, VoucherJobCarriesOnlyOurCommands) {
    hal::VoucherTicket ticket{kHostile,    kHostile,     kHostile, kHostile + kHostile,
                              "ABCD-EFGH", "QR-PAYLOAD", kHostile, kHostile};
    auto job = ticket.layout(fonts(), hal::kPaper58mmDots);
    ASSERT_TRUE(job) << job.error();
    expectOnlyOurCommands(*job);
}

TEST(HostileText, ConsentJobCarriesOnlyOurCommands) {
    hal::ConsentTicket ticket{kHostile, kHostile + kHostile, kHostile, kHostile, kHostile, kHostile,
                              kHostile};
    for (int width : {hal::kPaper58mmDots, hal::kPaper80mmDots}) {
        auto job = ticket.layout(fonts(), width);
        ASSERT_TRUE(job) << job.error();
        expectOnlyOurCommands(*job);
    }
}

/// Paper a job uses, in dots: its images and feeds.
int lengthDots(const hal::PrintJob& job) {
    int dots = 0;
    for (const auto& item : job.items()) {
        if (const auto* raster = std::get_if<hal::PrintJob::Raster>(&item)) dots += raster->image.height();
        if (const auto* feed = std::get_if<hal::PrintJob::Feed>(&item)) dots += feed->dots;
    }
    return dots;
}

TEST(ConsentTicket, LaysOutLikeAVoucherAndNeedsItsText) {
    hal::ConsentTicket ticket;
    EXPECT_FALSE(ticket.layout(fonts(), hal::kPaper80mmDots));  // a receipt of nothing
    ticket.title = "Xác nhận đồng ý";
    ticket.consentText = std::string(40, 'x') + " Để tích điểm, chúng tôi lưu số điện thoại của bạn.";
    const hal::Bitmap logo(hal::kPaper80mmDots + 8, 10);
    EXPECT_FALSE(ticket.layout(fonts(), hal::kPaper80mmDots, &logo));  // a logo wider than the paper
    const hal::Bitmap small(100, 10);
    auto withLogo = ticket.layout(fonts(), hal::kPaper80mmDots, &small);
    auto without = ticket.layout(fonts(), hal::kPaper80mmDots);
    ASSERT_TRUE(withLogo) << withLogo.error();
    ASSERT_TRUE(without) << without.error();
    EXPECT_GT(lengthDots(*withLogo), lengthDots(*without) + 10);
    ticket.versionLine = "Điều khoản phiên bản consent-2026-11";
    auto longer = ticket.layout(fonts(), hal::kPaper80mmDots);
    ASSERT_TRUE(longer);
    EXPECT_GT(lengthDots(*longer), lengthDots(*without));
    EXPECT_TRUE(std::holds_alternative<hal::PrintJob::Cut>(longer->items().back()));
}

TEST(HostileText, VoucherNeedsCodeAndPayload) {
    hal::VoucherTicket ticket;
    ticket.code = "X";
    EXPECT_FALSE(ticket.layout(fonts(), hal::kPaper80mmDots));
    ticket.qrPayload = std::string(5000, 'A');  // more than any QR holds
    EXPECT_FALSE(ticket.layout(fonts(), hal::kPaper80mmDots));
}

}  // namespace
