#include "qr_deblur.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace hal::detail {

namespace {

/// Shortest blur worth undoing, and the longest searched for (pixels of the crop).
constexpr int kMinLength = 4;
constexpr int kMaxLength = 40;
/// The gradient energy across the motion must exceed the energy along it by this much.
constexpr double kMinAnisotropy = 1.25;

}  // namespace

std::optional<MotionEstimate> estimateMotionBlur(const cv::Mat& gray) {
    if (gray.cols < 4 * kMaxLength || gray.rows < 4 * kMaxLength) return std::nullopt;
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(gray, gx, CV_32F, 1, 0);
    cv::Sobel(gray, gy, CV_32F, 0, 1);
    const double a = gx.dot(gx);
    const double b = gx.dot(gy);
    const double c = gy.dot(gy);
    const double spread = std::sqrt((a - c) * (a - c) + 4 * b * b);
    const double strong = (a + c + spread) / 2;
    const double weak = (a + c - spread) / 2;
    if (weak <= 0 || strong / weak < kMinAnisotropy) return std::nullopt;
    // The strong axis is across the motion; the motion runs along the weak one.
    const double angle = 0.5 * std::atan2(2 * b, a - c) + std::numbers::pi / 2;

    // Turn the crop so the motion runs along x, then find the lag at which the x-derivative is most
    // anti-correlated with itself.
    const cv::Point2f center(static_cast<float>(gray.cols) / 2.0F, static_cast<float>(gray.rows) / 2.0F);
    const cv::Mat turn = cv::getRotationMatrix2D(center, angle * 180.0 / std::numbers::pi, 1.0);
    cv::Mat turned;
    cv::warpAffine(gray, turned, turn, gray.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
    const int side = std::min(gray.cols, gray.rows) / 2;
    const cv::Rect middle((gray.cols - side) / 2, (gray.rows - side) / 2, side, side);
    cv::Mat derivative;
    turned(middle).convertTo(derivative, CV_32F);
    derivative = derivative.colRange(1, side) - derivative.colRange(0, side - 1);
    const int width = derivative.cols - kMaxLength;
    const cv::Mat base = derivative.colRange(0, width);
    const double energy = base.dot(base);
    if (energy <= 0) return std::nullopt;
    int best = 0;
    double bestValue = 0;
    for (int lag = kMinLength; lag <= kMaxLength; ++lag) {
        const double value = base.dot(derivative.colRange(lag, lag + width)) / energy;
        if (value < bestValue) {
            bestValue = value;
            best = lag;
        }
    }
    if (best == 0 || bestValue > -0.1) return std::nullopt;
    return MotionEstimate{angle, best};
}

cv::Mat deblurMotion(const cv::Mat& gray, const MotionEstimate& blur, double noiseToSignal) {
    // Padded by reflection so the image's borders do not ring into the code.
    const int pad = blur.length * 2;
    cv::Mat padded;
    cv::copyMakeBorder(gray, padded, pad, pad, pad, pad, cv::BORDER_REFLECT);
    const cv::Size size(cv::getOptimalDFTSize(padded.cols), cv::getOptimalDFTSize(padded.rows));
    cv::copyMakeBorder(padded, padded, 0, size.height - padded.rows, 0, size.width - padded.cols,
                       cv::BORDER_REFLECT);
    cv::Mat image;
    padded.convertTo(image, CV_32F);

    // The line kernel, centred on the origin (wrapped around), like the motion that made the blur.
    cv::Mat kernel(size, CV_32F, cv::Scalar(0));
    const double half = (blur.length - 1) / 2.0;
    const int steps = blur.length * 4;
    for (int i = 0; i <= steps; ++i) {
        const double t = -half + 2 * half * i / steps;
        const int x = static_cast<int>(std::lround(t * std::cos(blur.angle)));
        const int y = static_cast<int>(std::lround(t * std::sin(blur.angle)));
        kernel.at<float>((y + size.height) % size.height, (x + size.width) % size.width) += 1.0F;
    }
    kernel /= cv::sum(kernel)[0];

    cv::Mat imageSpectrum;
    cv::Mat kernelSpectrum;
    cv::dft(image, imageSpectrum, cv::DFT_COMPLEX_OUTPUT);
    cv::dft(kernel, kernelSpectrum, cv::DFT_COMPLEX_OUTPUT);
    // Wiener: X = G * conj(H) / (|H|^2 + K).
    cv::Mat numerator;
    cv::mulSpectrums(imageSpectrum, kernelSpectrum, numerator, 0, true);
    std::vector<cv::Mat> parts;
    cv::split(kernelSpectrum, parts);
    cv::Mat power = parts[0].mul(parts[0]) + parts[1].mul(parts[1]) + noiseToSignal;
    cv::split(numerator, parts);
    parts[0] /= power;
    parts[1] /= power;
    cv::Mat restoredSpectrum;
    cv::merge(parts, restoredSpectrum);
    cv::Mat restored;
    cv::idft(restoredSpectrum, restored, cv::DFT_REAL_OUTPUT | cv::DFT_SCALE);
    cv::Mat result;
    restored(cv::Rect(pad, pad, gray.cols, gray.rows)).convertTo(result, CV_8U);
    return result;
}

}  // namespace hal::detail
