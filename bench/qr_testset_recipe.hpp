#pragma once
// Private to the test-set generator: the random source and the recipe of one photograph, shared by the
// classic distortions (qr_testset.cpp) and the hard set's (qr_testset_hard.cpp).

#include <cstdint>
#include <opencv2/core.hpp>
#include <random>

#include "qr_testset.hpp"

namespace bench::detail {

/// Uniform numbers from a fixed generator. libstdc++'s distributions are deterministic for a given
/// engine state, which is what a reproducible test set needs.
class Random {
  public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}
    double real(double low, double high) {
        return std::uniform_real_distribution<double>(low, high)(m_engine);
    }
    int integer(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_engine); }
    bool chance(double p) { return real(0, 1) < p; }
    std::uint64_t next() { return m_engine(); }

  private:
    std::mt19937_64 m_engine;
};

/// The strength of each distortion in one image; zero means off.
struct Recipe {
    double qrSidePx = 0;     ///< side of the code (without quiet zone) in the frame
    double pxPerModule = 0;  ///< if set, overrides qrSidePx once the code's module count is known
    int minVersion = 0;      ///< smallest QR version to encode (0: the smallest that fits)
    double rotationDeg = 0;
    double perspective = 0.03;  ///< corner jitter as a fraction of the paper size
    double blurSigma = 0;
    double defocusRadius = 0;  ///< disk kernel, frame pixels
    int motionLength = 0;
    double noiseSigma = 2.5;
    double gain = 1.0;     ///< amplification after the sensor noise (dim light, auto gain)
    double inkLevel = 25;  ///< gray level of the printed modules
    double paperLevel = 245;
    double patchyFade = 0;  ///< 0..1: how much of the remaining contrast fades away in patches
    int glareBlobs = 0;
    double curl = 0;     ///< 0..1
    int folds = 0;       ///< crumple: creases across the paper
    double light = 1.0;  ///< overall illumination factor
    double lightGradient = 0.1;
    int jpegQuality = 0;      ///< 0 = no JPEG round trip
    double moirePeriod = 0;   ///< phone screen: pixel-grid interference, frame pixels (0 = none)
    bool plainPaper = false;  ///< no printed text lines (a screen shows the code alone)
};

/// The hard set's version of `distortion`: the strengths the camera meets (issue 16).
void applyHardDistortion(Distortion distortion, Recipe& recipe, Random& random, double strength);

/// Thermal print fading unevenly: the contrast of `sheet` to its paper level drops by up to
/// `amount` in soft patches.
void fadeInPatches(cv::Mat& sheet, double paperLevel, double amount, Random& random);

/// A crumpled and flattened receipt: `folds` creases that shift the print across them and shade
/// one side, plus a gentle waviness. Applied to the flat sheet and its mask alike.
void crumplePaper(cv::Mat& sheet, cv::Mat& mask, int folds, Random& random);

/// Out of focus: a disk kernel of `radius` pixels.
void defocus(cv::Mat& image, double radius);

/// A phone screen photographed: the camera's pixel grid beating with the screen's (moiré) over `mask`.
void addMoire(cv::Mat& image, const cv::Mat& mask, double period, Random& random);

}  // namespace bench::detail
