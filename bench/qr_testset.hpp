#pragma once
// Synthetic photographs of receipt QR codes, with ground truth, for the scanner's tests and benchmark.
// Each image is a 1280x720 "camera frame": a thermal receipt carrying a real signed receipt token
// (loyalty::encodeReceiptToken, a fixed test key), lying on a counter, photographed badly in one named
// way (perspective, blur, curl, glare, ...). Deterministic: the same seed gives the same pixels on the
// same build. Nothing is committed; images are generated at test/bench time.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

namespace bench {

/// The ways a receipt is photographed badly. Every image also gets a random rotation, a mild
/// perspective and sensor noise; its kind adds one strong distortion ("mixed" several).
enum class Distortion : std::uint8_t {
    Clean,        ///< only the baseline: rotation, mild perspective, light noise
    Perspective,  ///< strongly tilted receipt
    Blur,         ///< out of focus (gaussian)
    Motion,       ///< moving hand (linear motion blur)
    Noise,        ///< heavy sensor noise
    Faded,        ///< faded thermal print: grey modules on grey paper
    Glare,        ///< bright specular blobs over the code
    Curl,         ///< receipt curled around a cylinder
    Small,        ///< the code is small in the frame
    Dim,          ///< dim, uneven light
    Jpeg,         ///< strong JPEG compression artefacts
    Mixed,        ///< two or three of the above together
    // Only in the hard set:
    Large,    ///< a close-up: the code fills most of the frame
    Crumple,  ///< crumpled and flattened: folds, creases, waviness
    Screen,   ///< an e-receipt on a phone screen: moiré, low contrast, half of them inverted
    Multi,    ///< two or three receipts side by side, every code to be read
};

/// Classic: the project's first set (QR version 7-8, moderate distortions; the unit tests' images).
/// Hard: what the camera meets (issue 16): versions 7-10, faded to 15-40 % of fresh contrast in
/// patches, crumples, 1.5-2.4 px a module, motion up to 18 px, defocus up to 5 px, amplified noise
/// in dim light, glare, phone screens, several codes a frame.
enum class TestSetLevel : std::uint8_t { Classic, Hard };

[[nodiscard]] std::string_view distortionName(Distortion distortion);
/// The kinds of the classic set (allDistortions) or of `level`'s set, in report order.
[[nodiscard]] const std::vector<Distortion>& allDistortions();
[[nodiscard]] const std::vector<Distortion>& distortionsOf(TestSetLevel level);

struct TestImage {
    std::string name;      ///< e.g. "0042-glare", unique within a set
    std::string expected;  ///< the token encoded in the QR (ground truth)
    Distortion distortion = Distortion::Clean;
    std::uint64_t seed = 0;  ///< renderReceiptPhoto(expected, distortion, seed, ..., level) gives
                             ///< `bgr` again (except Multi, several photos side by side)
    TestSetLevel level = TestSetLevel::Classic;
    std::vector<std::string> others;  ///< Multi: the other codes in the frame, also to be read
    cv::Mat bgr;                      ///< 8-bit, 3 channels, 1280x720
};

/// A signed receipt token made from `seed` (store, number, amount, time, items all derived from it).
[[nodiscard]] std::string makeReceiptToken(std::uint64_t seed);

/// One photograph of a receipt carrying `token`, distorted as `distortion`, randomised by `seed`.
/// `qrCorners`, if given, receives the code's outer corners in the frame, clockwise from the code's
/// own top-left (exact for flat paper; before the bend for Distortion::Curl).
[[nodiscard]] cv::Mat renderReceiptPhoto(const std::string& token, Distortion distortion, std::uint64_t seed,
                                         cv::Size size = {1280, 720},
                                         std::array<cv::Point2f, 4>* qrCorners = nullptr,
                                         TestSetLevel level = TestSetLevel::Classic);

/// The counter alone, lit like a receipt photo's, without sensor noise: what an idle kiosk's camera
/// sees. Deterministic in `seed`.
[[nodiscard]] cv::Mat renderCounterPhoto(std::uint64_t seed, cv::Size size = {1280, 720});

/// `scene` (8-bit BGR) with the code of a `distortion` receipt photo carrying `token` laid on it — the
/// code and a thin margin of its paper, nothing more: the smallest change a receipt moving into a
/// still scene makes (the rest of the paper is usually far larger).
[[nodiscard]] cv::Mat layCodeOnScene(const cv::Mat& scene, const std::string& token, Distortion distortion,
                                     std::uint64_t seed, TestSetLevel level = TestSetLevel::Classic);

/// `image` (8-bit, any channels) plus gaussian sensor noise of `sigma` gray levels, drawn from `seed`.
[[nodiscard]] cv::Mat withSensorNoise(const cv::Mat& image, double sigma, std::uint64_t seed);

/// `perKind` images of every distortion kind of `level`, in a fixed order, from `seed`.
[[nodiscard]] std::vector<TestImage> generateTestSet(std::uint64_t seed, int perKind,
                                                     TestSetLevel level = TestSetLevel::Classic);

/// Writes `images` as NAME.png into `dir` (created) plus truth.tsv ("name<TAB>distortion<TAB>token").
/// Throws std::runtime_error when a file cannot be written (bench/test set-up only).
void writeTestSet(const std::vector<TestImage>& images, const std::filesystem::path& dir);

}  // namespace bench
