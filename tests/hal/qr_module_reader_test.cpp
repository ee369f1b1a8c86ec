// Our own QR reader (hal/src/qr_module_reader.hpp) and its module sampler: every version 1-10, level
// and mask of clean codes from libqrencode; a smeared strip read only because its codewords are
// erased; damage past the codes' reach gives no text; and crumpled receipts of the hard set that the
// pipeline reads only with it.

#include "../../hal/src/qr_module_reader.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <array>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <random>
#include <set>
#include <string>

#include "../../hal/src/frame_mat.hpp"
#include "../../hal/src/qr_grid.hpp"
#include "../../hal/src/qr_modules.hpp"
#include "../../hal/src/qr_symbol.hpp"
#include "hal/qr_decoder.hpp"
#include "qr_testset.hpp"

namespace {

using hal::detail::kUnwarpedModulePx;
using hal::detail::kUnwarpedQuietModules;

struct Symbol {
    cv::Mat image;  ///< upright, kUnwarpedModulePx a module, the reader's quiet zone
    int mask = -1;
};

/// `text` as libqrencode encodes it at exactly `version` and `level` (empty when it does not fit).
Symbol render(const std::string& text, int version, QRecLevel level) {
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), version, level, QR_MODE_8, 1), &QRcode_free);
    if (!code || code->version != version) return {};
    const int side = (code->width + 2 * kUnwarpedQuietModules) * kUnwarpedModulePx;
    Symbol symbol{cv::Mat(side, side, CV_8U, cv::Scalar(235)), -1};
    for (int row = 0; row < code->width; ++row)
        for (int column = 0; column < code->width; ++column)
            if ((code->data[row * code->width + column] & 1U) != 0)
                symbol
                    .image(cv::Rect((column + kUnwarpedQuietModules) * kUnwarpedModulePx,
                                    (row + kUnwarpedQuietModules) * kUnwarpedModulePx, kUnwarpedModulePx,
                                    kUnwarpedModulePx))
                    .setTo(30);
    std::uint32_t word = 0;
    const auto cells = hal::detail::formatModules(code->width, false);
    for (std::size_t bit = 0; bit < cells.size(); ++bit)
        if ((code->data[cells[bit].row * code->width + cells[bit].column] & 1U) != 0) word |= 1U << bit;
    if (const auto format = hal::detail::nearestFormat(word, word)) symbol.mask = format->mask;
    return symbol;
}

std::optional<hal::detail::ModuleRead> read(const cv::Mat& upright) {
    const auto modules = hal::detail::sampleModules(upright);
    if (!modules) return std::nullopt;
    return hal::detail::readModules(*modules);
}

/// Paints a mid-gray, noisy band `rows` modules high across the code at module row `top`: a crease
/// that leaves those modules anybody's guess.
void smear(cv::Mat& image, int top, int rows, unsigned seed) {
    const cv::Rect band(0, (kUnwarpedQuietModules + top) * kUnwarpedModulePx, image.cols,
                        rows * kUnwarpedModulePx);
    cv::Mat noise(band.size(), CV_8U);
    cv::RNG random(seed);
    random.fill(noise, cv::RNG::UNIFORM, 110, 160);
    noise.copyTo(image(band));
}

}  // namespace

TEST(QrModuleReader, ReadsCleanCodesOfEveryVersionLevelAndMask) {
    std::set<int> masks;
    for (int version = 1; version <= hal::detail::kMaxReadVersion; ++version)
        for (const QRecLevel level : {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H})
            for (int variant = 0; variant < 4; ++variant) {
                // Sized to fit at level H: bytes, digits and capitals (libqrencode picks byte, numeric
                // and alphanumeric segments).
                static constexpr std::array<std::size_t, 11> kLength = {0,  6,  12, 20, 28, 36,
                                                                        46, 52, 68, 80, 96};
                const std::string pool =
                    "v" + std::to_string(variant) + "/0123456789012345HELLO WORLD receipt-";
                std::string text;
                while (text.size() < kLength[static_cast<std::size_t>(version)])
                    text += pool[(text.size() * 7 + static_cast<std::size_t>(variant)) % pool.size()];
                const Symbol symbol = render(text, version, level);
                ASSERT_FALSE(symbol.image.empty()) << text;
                masks.insert(symbol.mask);
                const auto result = read(symbol.image);
                ASSERT_TRUE(result.has_value()) << "version " << version << " level " << level << " " << text;
                EXPECT_EQ(result->text, text);
                EXPECT_EQ(result->corrected, 0);
            }
    EXPECT_EQ(masks.size(), 8U);
}

TEST(QrModuleReader, ReadsASmearedStripOnlyWithErasures) {
    // A receipt token's size at 7-M: a crease three modules wide across its middle.
    const std::string token = bench::makeReceiptToken(5);
    const Symbol symbol = render(token, 7, QR_ECLEVEL_M);
    ASSERT_FALSE(symbol.image.empty());
    int readWithErasures = 0;
    for (int top = 12; top < 30; top += 3) {
        cv::Mat image = symbol.image.clone();
        smear(image, top, 3, static_cast<unsigned>(top));
        const auto result = read(image);
        if (!result) continue;
        EXPECT_EQ(result->text, token);
        readWithErasures += result->erasures > 0 ? 1 : 0;
    }
    EXPECT_GE(readWithErasures, 3);
}

TEST(QrModuleReader, VersionInformationThatDisagreesWithTheGridNamesTheVersion) {
    const Symbol symbol = render(bench::makeReceiptToken(7), 8, QR_ECLEVEL_M);
    ASSERT_FALSE(symbol.image.empty());
    const auto modules = hal::detail::sampleModules(symbol.image);
    ASSERT_TRUE(modules.has_value());
    EXPECT_FALSE(hal::detail::otherVersion(*modules).has_value());
    // A grid fitted one version too small: version 8's words where a version-7 matrix keeps them,
    // two bits of one copy wrong.
    hal::detail::ModuleMatrix tooSmall;
    tooSmall.dimension = hal::detail::qrDimension(7);
    tooSmall.dark.assign(hal::detail::moduleIndex(tooSmall.dimension, 0, tooSmall.dimension), 0);
    tooSmall.confidence.assign(tooSmall.dark.size(), 1.0F);
    const std::uint32_t word = hal::detail::versionBits(8) ^ 0b101U;
    for (int bit = 0; bit < 18; ++bit)
        for (const bool second : {false, true}) {
            const auto at = hal::detail::versionModule(tooSmall.dimension, bit, second);
            tooSmall.dark[hal::detail::moduleIndex(at.row, at.column, tooSmall.dimension)] =
                static_cast<std::uint8_t>((word >> static_cast<unsigned>(bit)) & 1U);
        }
    EXPECT_EQ(hal::detail::otherVersion(tooSmall), 8);
    EXPECT_FALSE(hal::detail::readModules(tooSmall).has_value());
}

TEST(QrModuleReader, DamagePastTheCodeGivesNoText) {
    const std::string token = bench::makeReceiptToken(6);
    const Symbol symbol = render(token, 8, QR_ECLEVEL_M);
    ASSERT_FALSE(symbol.image.empty());
    std::mt19937 random(11);
    for (int trial = 0; trial < 40; ++trial) {
        auto modules = hal::detail::sampleModules(symbol.image);
        ASSERT_TRUE(modules.has_value());
        // A quarter of the modules flipped, with full confidence: far past what any block corrects.
        for (std::size_t i = 0; i < modules->dark.size(); ++i)
            if (random() % 4 == 0) modules->dark[i] ^= 1U;
        EXPECT_FALSE(hal::detail::readModules(*modules).has_value()) << "trial " << trial;
    }
    cv::Mat noise(symbol.image.size(), CV_8U);
    for (int trial = 0; trial < 40; ++trial) {
        cv::randu(noise, 0, 255);
        EXPECT_FALSE(read(noise).has_value());
    }
    EXPECT_FALSE(read(cv::Mat(10, 10, CV_8U, cv::Scalar(0))).has_value());
}

TEST(QrModuleReader, ThePipelineReadsCrumpledReceiptsOnlyWithIt) {
    hal::DecoderStages withoutErasure;
    withoutErasure.erasure = false;
    int onlyWith = 0;
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        const std::string token = bench::makeReceiptToken(seed);
        const hal::Frame frame = hal::detail::frameFromMat(bench::renderReceiptPhoto(
            token, bench::Distortion::Crumple, seed, {1280, 720}, nullptr, bench::TestSetLevel::Hard));
        hal::QrDecoder with;
        hal::QrDecoder without(withoutErasure);
        const auto codes = with.decode(frame, hal::DecodeEffort::Still);
        const bool read = !codes.empty() && codes.front().text == token;
        const bool readWithout = !without.decode(frame, hal::DecodeEffort::Still).empty();
        for (const hal::QrCode& code : codes) EXPECT_EQ(code.text, token) << "seed " << seed;
        EXPECT_FALSE(readWithout && !read) << "seed " << seed;
        if (read && !readWithout) {
            EXPECT_EQ(with.lastStage(), "erasure");
            ++onlyWith;
        }
    }
    EXPECT_GE(onlyWith, 2) << "of 30 crumpled receipts (3 when written)";
}
