// The grid sampler (hal/src/qr_grid.hpp) on crumpled receipts of the hard set: it finds the code's
// corners, and the decoder reads with it what the rest of the pipeline does not.

#include "../../hal/src/qr_grid.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "../../hal/src/frame_mat.hpp"
#include "hal/qr_decoder.hpp"
#include "qr_testset.hpp"

namespace {

bool decodes(const std::vector<hal::QrCode>& codes, const std::string& expected) {
    return std::any_of(codes.begin(), codes.end(), [&](const hal::QrCode& c) { return c.text == expected; });
}

cv::Mat crumpled(std::uint64_t seed, std::array<cv::Point2f, 4>* corners = nullptr) {
    return bench::renderReceiptPhoto(bench::makeReceiptToken(seed), bench::Distortion::Crumple, seed,
                                     {1280, 720}, corners, bench::TestSetLevel::Hard);
}

}  // namespace

TEST(QrGrid, FindsTheCornersOfACrumpledCode) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        std::array<cv::Point2f, 4> truth{};
        cv::Mat gray;
        cv::cvtColor(crumpled(seed, &truth), gray, cv::COLOR_BGR2GRAY);
        // A crop around the code with a margin, as the decoder's candidate regions give it.
        cv::Rect box = cv::boundingRect(std::vector<cv::Point2f>(truth.begin(), truth.end()));
        const int margin = box.width / 4;
        box = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
              cv::Rect(0, 0, gray.cols, gray.rows);
        const auto code = hal::detail::unwarpCode(gray(box));
        ASSERT_TRUE(code.has_value()) << "seed " << seed;
        const double side = cv::norm(truth[1] - truth[0]);
        for (std::size_t i = 0; i < 4; ++i) {
            const cv::Point2f found = code->corners[i] + cv::Point2f(box.tl());
            EXPECT_LT(cv::norm(found - truth[i]), 0.05 * side)
                << "seed " << seed << " corner " << i << ": " << found << " vs " << truth[i];
        }
        EXPECT_EQ(code->image.cols % hal::detail::kUnwarpedModulePx, 0);
        EXPECT_EQ(code->image.size(), code->aligned.size());
    }
}

TEST(QrGrid, ReadsCrumpledReceiptsThePipelineWithoutItMisses) {
    hal::DecoderStages withoutGrid;
    withoutGrid.grid = false;
    int withHits = 0;
    int onlyWithHits = 0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        const std::string token = bench::makeReceiptToken(seed);
        const hal::Frame frame = hal::detail::frameFromMat(crumpled(seed));
        hal::QrDecoder with;
        hal::QrDecoder without(withoutGrid);
        const bool read = decodes(with.decode(frame, hal::DecodeEffort::Still), token);
        const bool readWithout = decodes(without.decode(frame, hal::DecodeEffort::Still), token);
        EXPECT_FALSE(readWithout && !read) << "seed " << seed << ": the grid sampler only adds a way to read";
        withHits += read ? 1 : 0;
        onlyWithHits += (read && !readWithout) ? 1 : 0;
    }
    EXPECT_GE(onlyWithHits, 2) << withHits << " of 12 read with the grid sampler";
}

TEST(QrGrid, NoFinderPatternsNoCode) {
    cv::Mat noise(400, 400, CV_8U);
    cv::randu(noise, 0, 255);
    EXPECT_FALSE(hal::detail::unwarpCode(noise).has_value());
    EXPECT_FALSE(hal::detail::unwarpCode(cv::Mat(400, 400, CV_8U, cv::Scalar(128))).has_value());
    EXPECT_FALSE(hal::detail::unwarpCode(cv::Mat(3, 2, CV_8U, cv::Scalar(0))).has_value());
}
