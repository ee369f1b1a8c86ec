// The scanner's decoding pipeline on generated receipt photographs (bench/qr_testset.hpp), on the
// signed sample receipts in assets/samples, and on hostile images.

#include "hal/qr_decoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "../../hal/src/frame_mat.hpp"
#include "hal/scanner.hpp"
#include "qr_testset.hpp"
#include "temp_dir.hpp"

namespace {

hal::Frame toFrame(const cv::Mat& bgr) {
    return hal::detail::frameFromMat(bgr);
}

bool decodes(const std::vector<hal::QrCode>& codes, const std::string& expected) {
    return std::any_of(codes.begin(), codes.end(), [&](const hal::QrCode& c) { return c.text == expected; });
}

/// The hard cases: small, faded, noisy, blurred, glare and mixed photographs from a fixed seed.
const std::vector<bench::TestImage>& hardCases() {
    static const std::vector<bench::TestImage> kCases = [] {
        std::vector<bench::TestImage> cases;
        for (auto& image : bench::generateTestSet(7, 2))
            if (image.distortion != bench::Distortion::Clean && image.distortion != bench::Distortion::Dim)
                cases.push_back(std::move(image));
        return cases;
    }();
    return kCases;
}

}  // namespace

TEST(QrDecoder, ReadsHardPhotographsThatRawZbarMisses) {
    int pipelineHits = 0;
    int zbarHits = 0;
    int zxingHits = 0;
    int zbarOnlyMisses = 0;  // cases raw ZBar fails that the pipeline reads
    for (const auto& image : hardCases()) {
        const hal::Frame frame = toFrame(image.bgr);
        hal::QrDecoder decoder;
        const bool pipeline = decodes(decoder.decode(frame, hal::DecodeEffort::Still), image.expected);
        const bool zbar = decodes(hal::decodeWithZbarOnly(frame), image.expected);
        const bool zxing = decodes(hal::decodeWithZxingOnly(frame), image.expected);
        pipelineHits += pipeline ? 1 : 0;
        zbarHits += zbar ? 1 : 0;
        zxingHits += zxing ? 1 : 0;
        zbarOnlyMisses += (pipeline && !zbar) ? 1 : 0;
        EXPECT_FALSE(zbar && !pipeline) << image.name << ": raw ZBar reads it, the pipeline must too";
    }
    const int total = static_cast<int>(hardCases().size());
    std::cout << "hard cases decoded: pipeline " << pipelineHits << ", zbar " << zbarHits << ", zxing "
              << zxingHits << " of " << total << "\n";
    EXPECT_GE(zbarOnlyMisses, 3) << "the set must contain cases raw ZBar fails and the pipeline reads";
    EXPECT_GT(pipelineHits, zbarHits);
    EXPECT_GT(pipelineHits, zxingHits);
    EXPECT_GE(pipelineHits * 5, total * 4) << pipelineHits << "/" << total;  // at least 80 %
}

TEST(QrDecoder, SpecificHardCasesDecode) {
    // One of each kind that a camera meets every day, at full strength.
    for (const auto kind : {bench::Distortion::Faded, bench::Distortion::Small, bench::Distortion::Curl,
                            bench::Distortion::Glare, bench::Distortion::Perspective}) {
        const std::string token = bench::makeReceiptToken(99);
        const hal::Frame frame = toFrame(bench::renderReceiptPhoto(token, kind, 4242));
        hal::QrDecoder decoder;
        const auto codes = decoder.decode(frame, hal::DecodeEffort::Still);
        ASSERT_EQ(codes.size(), 1U) << bench::distortionName(kind);
        EXPECT_EQ(codes[0].text, token);
        for (const hal::PointF& corner : codes[0].corners) {
            EXPECT_GE(corner.x, 0.0F);
            EXPECT_LE(corner.x, static_cast<float>(frame.width));
            EXPECT_GE(corner.y, 0.0F);
            EXPECT_LE(corner.y, static_cast<float>(frame.height));
        }
    }
}

TEST(QrDecoder, CornersAreWhereTheCodeIsInTheFrame) {
    // The UI draws its guide from these: each reported corner must be near the true corner of the
    // same orientation, whichever stage read the code.
    for (const auto kind : {bench::Distortion::Clean, bench::Distortion::Perspective,
                            bench::Distortion::Small, bench::Distortion::Faded}) {
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            const std::string token = bench::makeReceiptToken(seed);
            std::array<cv::Point2f, 4> truth{};
            const hal::Frame frame =
                toFrame(bench::renderReceiptPhoto(token, kind, seed, {1280, 720}, &truth));
            hal::QrDecoder decoder;
            const auto codes = decoder.decode(frame, hal::DecodeEffort::Still);
            ASSERT_EQ(codes.size(), 1U) << bench::distortionName(kind) << " " << seed;
            const double side = cv::norm(truth[1] - truth[0]);
            for (std::size_t i = 0; i < 4; ++i) {
                const cv::Point2f found(codes[0].corners[i].x, codes[0].corners[i].y);
                EXPECT_LT(cv::norm(found - truth[i]), 0.1 * side)
                    << bench::distortionName(kind) << " seed " << seed << " corner " << i << " via "
                    << decoder.lastStage() << ": " << found << " vs " << truth[i];
            }
            if (kind != bench::Distortion::Clean) continue;
            // ZBar reports its corners in another order; they must come out the same way.
            const auto viaZbar = hal::decodeWithZbarOnly(frame);
            ASSERT_EQ(viaZbar.size(), 1U) << "seed " << seed;
            for (std::size_t i = 0; i < 4; ++i) {
                const cv::Point2f found(viaZbar[0].corners[i].x, viaZbar[0].corners[i].y);
                EXPECT_LT(cv::norm(found - truth[i]), 0.1 * side) << "ZBar, seed " << seed << " corner " << i;
            }
        }
    }
}

TEST(QrDecoder, FrameEffortRetriesOtherStrategiesOnTheNextFrames) {
    // Over a few frames of the same held receipt, Frame effort reaches what Still reads in one go.
    int stillHits = 0;
    int heldHits = 0;
    for (const auto& image : hardCases()) {
        const hal::Frame frame = toFrame(image.bgr);
        hal::QrDecoder still;
        stillHits += decodes(still.decode(frame, hal::DecodeEffort::Still), image.expected) ? 1 : 0;
        hal::QrDecoder held;
        bool hit = false;
        for (int i = 0; i < 6 && !hit; ++i)  // one frame per heavy stage
            hit = decodes(held.decode(frame, hal::DecodeEffort::Frame), image.expected);
        heldHits += hit ? 1 : 0;
    }
    EXPECT_EQ(heldHits, stillHits);
}

TEST(QrDecoder, HeldReceiptComingIntoFocusIsReadByTheFirstPassAgain) {
    // Frames of a still scene skip the passes that failed on it, but not once the code got sharper.
    const auto images = bench::generateTestSet(3, 1, bench::TestSetLevel::Hard);
    const auto clean = std::find_if(images.begin(), images.end(), [](const bench::TestImage& image) {
        return image.distortion == bench::Distortion::Clean;
    });
    ASSERT_NE(clean, images.end());
    cv::Mat outOfFocus;
    cv::GaussianBlur(clean->bgr, outOfFocus, {0, 0}, 6);
    hal::QrDecoder decoder;
    ASSERT_TRUE(decoder.decode(toFrame(outOfFocus), hal::DecodeEffort::Frame).empty());
    EXPECT_TRUE(decodes(decoder.decode(toFrame(clean->bgr), hal::DecodeEffort::Frame), clean->expected));
    EXPECT_EQ(decoder.lastStage(), "zxing");
}

TEST(QrDecoder, ReadsTheSignedSampleReceipts) {
    std::ifstream list(std::string(KIOSK_SOURCE_DIR) + "/assets/samples/receipts.tsv");
    ASSERT_TRUE(list) << "assets/samples/receipts.tsv";
    std::string line;
    int checked = 0;
    while (std::getline(list, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string file;
        std::string token;
        std::getline(fields, file, '\t');
        std::string field;
        while (std::getline(fields, field, '\t'))
            if (field.rfind("LK1", 0) == 0) token = field;
        if (token.empty()) continue;
        auto frame = hal::loadFrameFromFile(std::string(KIOSK_SOURCE_DIR) + "/assets/samples/" + file);
        ASSERT_TRUE(frame) << frame.error();
        const auto codes = hal::Scanner::decodeImage(*frame);
        ASSERT_EQ(codes.size(), 1U) << file;
        EXPECT_EQ(codes[0].text, token) << file;
        ++checked;
    }
    EXPECT_GE(checked, 5);
}

TEST(QrDecoder, HostileImagesDecodeToNothing) {
    hal::QrDecoder decoder;
    EXPECT_TRUE(decoder.decode(hal::Frame{}, hal::DecodeEffort::Still).empty());
    for (const cv::Size size : {cv::Size(1, 1), cv::Size(3, 2), cv::Size(7, 900), cv::Size(1280, 720)}) {
        cv::Mat noise(size, CV_8UC3);
        cv::randu(noise, 0, 255);
        EXPECT_TRUE(decoder.decode(toFrame(noise), hal::DecodeEffort::Still).empty()) << size;
        cv::Mat flat(size, CV_8UC1, cv::Scalar(0));
        EXPECT_TRUE(decoder.decode(toFrame(flat), hal::DecodeEffort::Frame).empty()) << size;
    }
    EXPECT_TRUE(hal::decodeWithZbarOnly(hal::Frame{}).empty());
    EXPECT_TRUE(hal::decodeWithZxingOnly(hal::Frame{}).empty());
}

TEST(LoadFrameFromFile, RefusesImagesThatDeclareAHugeSize) {
    // A few bytes can declare a gigapixel image; it must be refused before anything is decoded.
    const TempDir dir;
    std::vector<std::uint8_t> png;
    cv::imencode(".png", cv::Mat(16, 16, CV_8UC3, cv::Scalar(1, 2, 3)), png);
    const std::array<std::uint8_t, 4> width = {0x00, 0x01, 0x00, 0x00};  // IHDR width: 65536
    std::copy(width.begin(), width.end(), png.begin() + 16);
    std::ofstream(dir.path() / "bomb.png", std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
    auto loaded = hal::loadFrameFromFile(dir.path() / "bomb.png");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().find("65536x16"), std::string::npos) << loaded.error();

    std::vector<std::uint8_t> jpeg;
    cv::imencode(".jpg", cv::Mat(16, 16, CV_8UC3, cv::Scalar(1, 2, 3)), jpeg);
    for (std::size_t i = 2; i + 8 < jpeg.size(); ++i) {
        if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {  // baseline start-of-frame: height, width at +5, +7
            jpeg[i + 5] = 0xEA;
            jpeg[i + 6] = 0x60;
            break;
        }
    }
    std::ofstream(dir.path() / "bomb.jpg", std::ios::binary)
        .write(reinterpret_cast<const char*>(jpeg.data()), static_cast<std::streamsize>(jpeg.size()));
    loaded = hal::loadFrameFromFile(dir.path() / "bomb.jpg");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().find("16x60000"), std::string::npos) << loaded.error();

    cv::imwrite((dir.path() / "fine.png").string(), cv::Mat(48, 64, CV_8UC3, cv::Scalar(1, 2, 3)));
    auto fine = hal::loadFrameFromFile(dir.path() / "fine.png");
    ASSERT_TRUE(fine) << fine.error();
    EXPECT_EQ(fine->width, 64);
    EXPECT_EQ(fine->height, 48);
    EXPECT_EQ(fine->format, hal::PixelFormat::Rgb24);
    EXPECT_EQ(fine->pixels->at(0), 3);  // RGB order: red first
}

TEST(LoadFrameFromFile, RefusesWhatIsNotAnImage) {
    EXPECT_FALSE(hal::loadFrameFromFile("/nonexistent/receipt.png"));
    EXPECT_FALSE(hal::loadFrameFromFile(std::string(KIOSK_SOURCE_DIR) + "/assets/samples/receipts.tsv"));
    EXPECT_FALSE(hal::loadFrameFromFile(KIOSK_SOURCE_DIR));
}
