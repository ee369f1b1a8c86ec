// ESC/POS encoding and status decoding against the Epson TM-T20/TM-T88 bit layouts.
#include <gtest/gtest.h>

#include "hal/escpos.hpp"

namespace {

using hal::PaperLevel;
using hal::escpos::parseStatus;

TEST(EscPosStatus, AllClearIsReady) {
    // What a TM-T20 answers when idle: only the fixed bits 1 and 4.
    const auto s = parseStatus({0x12, 0x12, 0x12, 0x12});
    EXPECT_TRUE(s.online);
    EXPECT_EQ(s.paper, PaperLevel::Ok);
    EXPECT_FALSE(s.coverOpen);
    EXPECT_TRUE(s.error.empty());
    EXPECT_TRUE(s.ready());
}

TEST(EscPosStatus, CoverOpen) {
    // Cover open: n=1 offline (bit 3), n=2 cover (bit 2).
    const auto s = parseStatus({0x1A, 0x16, 0x12, 0x12});
    EXPECT_FALSE(s.online);
    EXPECT_TRUE(s.coverOpen);
    EXPECT_FALSE(s.ready());
    EXPECT_EQ(s.describe(), "offline, cover open");
}

TEST(EscPosStatus, PaperOutAndNearEnd) {
    // Roll empty: n=4 bits 5+6 (and near-end 2+3), n=2 bit 5 printing stopped by paper end.
    const auto out = parseStatus({0x1A, 0x32, 0x12, 0x7E});
    EXPECT_EQ(out.paper, PaperLevel::Out);
    EXPECT_FALSE(out.ready());
    const auto near = parseStatus({0x12, 0x12, 0x12, 0x1E});
    EXPECT_EQ(near.paper, PaperLevel::NearEnd);
    EXPECT_TRUE(near.ready()) << "near end still prints";
    // Only one of the two paired sensor bits set is not a paper state.
    EXPECT_EQ(parseStatus({0x12, 0x12, 0x12, 0x16}).paper, PaperLevel::Ok);
    EXPECT_EQ(parseStatus({0x12, 0x12, 0x12, 0x32}).paper, PaperLevel::Ok);
}

TEST(EscPosStatus, ErrorCauses) {
    EXPECT_NE(parseStatus({0x12, 0x52, 0x1A, 0x12}).error.find("autocutter"), std::string::npos);
    EXPECT_NE(parseStatus({0x12, 0x52, 0x32, 0x12}).error.find("unrecoverable"), std::string::npos);
    EXPECT_NE(parseStatus({0x12, 0x52, 0x52, 0x12}).error.find("too hot"), std::string::npos);
    EXPECT_FALSE(parseStatus({0x12, 0x52, 0x1A, 0x12}).ready());
}

TEST(EscPosStatus, StatusByteShape) {
    EXPECT_TRUE(hal::escpos::isStatusByte(0x12));
    EXPECT_TRUE(hal::escpos::isStatusByte(0x7E));
    EXPECT_FALSE(hal::escpos::isStatusByte(0x00));
    EXPECT_FALSE(hal::escpos::isStatusByte(0x92));  // bit 7 must be clear
    EXPECT_FALSE(hal::escpos::isStatusByte(0x02));  // bit 4 must be set
}

TEST(EscPosStatus, GsR1PaperSensor) {
    EXPECT_EQ(hal::escpos::parsePaperSensor(0x00), PaperLevel::Ok);
    EXPECT_EQ(hal::escpos::parsePaperSensor(0x03), PaperLevel::NearEnd);
    EXPECT_EQ(hal::escpos::parsePaperSensor(0x0F), PaperLevel::Out);
}

TEST(EscPosEncode, JobBytesAreExactlyOurCommands) {
    hal::PrintJob job(hal::kPaper58mmDots);
    hal::Bitmap image(hal::kPaper58mmDots, 300);
    image.fillRect(0, 0, 9, 1);
    ASSERT_TRUE(job.addImage(image));
    job.feed(300);
    job.cut();
    const auto pieces = hal::escpos::encode(job);
    ASSERT_EQ(pieces.size(), 1U + 3U + 1U + 1U);  // ESC @, 3 bands of <=128 rows, feed, cut
    EXPECT_EQ(pieces[0], (std::vector<std::uint8_t>{0x1B, '@'}));
    const auto& band = pieces[1];
    ASSERT_EQ(band.size(), 8U + 48U * 128U);
    EXPECT_EQ(std::vector<std::uint8_t>(band.begin(), band.begin() + 8),
              (std::vector<std::uint8_t>{0x1D, 'v', '0', 0, 48, 0, 128, 0}));
    EXPECT_EQ(band[8], 0xFF);            // first 8 dots black, MSB leftmost
    EXPECT_EQ(band[9], 0x80);            // ninth dot
    EXPECT_EQ(pieces[3][6], 300 - 256);  // last band: 44 rows
    EXPECT_EQ(pieces[4], (std::vector<std::uint8_t>{0x1B, 'J', 255, 0x1B, 'J', 45}));
    EXPECT_EQ(pieces[5], (std::vector<std::uint8_t>{0x1D, 'V', 66, 0}));
}

TEST(EscPosEncode, ImageWiderThanPaperIsRefused) {
    hal::PrintJob job(hal::kPaper58mmDots);
    EXPECT_FALSE(job.addImage(hal::Bitmap(hal::kPaper80mmDots, 10)));
    EXPECT_TRUE(job.empty());
}

}  // namespace
