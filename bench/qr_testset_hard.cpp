#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "qr_testset_recipe.hpp"

namespace bench::detail {

namespace {

/// A smooth random field in [0, 1] of `size`, from a `cells` x `cells` grid of random values.
cv::Mat smoothField(cv::Size size, int cells, Random& random) {
    cv::Mat grid(cells, cells, CV_32F);
    for (int y = 0; y < cells; ++y)
        for (int x = 0; x < cells; ++x) grid.at<float>(y, x) = static_cast<float>(random.real(0, 1));
    cv::Mat field;
    cv::resize(grid, field, size, 0, 0, cv::INTER_CUBIC);
    cv::min(cv::max(field, 0.0), 1.0, field);
    return field;
}

}  // namespace

void applyHardDistortion(Distortion distortion, Recipe& recipe, Random& random, double strength) {
    switch (distortion) {
        case Distortion::Clean:
        case Distortion::Mixed:
            break;
        case Distortion::Perspective:
            recipe.perspective = random.real(0.12, 0.2) * strength;
            break;
        case Distortion::Large:  // a close-up: the code fills most of the frame, held upright-ish
            recipe.qrSidePx = random.real(420, 560);
            recipe.rotationDeg = 90.0 * random.integer(0, 3);  // one draw a statement (see qr_testset.cpp)
            recipe.rotationDeg += random.real(-6, 6);
            break;
        case Distortion::Blur:
            recipe.defocusRadius = random.real(2.0, 5.0) * strength;
            break;
        case Distortion::Motion:
            recipe.motionLength = static_cast<int>(random.real(8, 18) * strength);
            break;
        case Distortion::Noise:
            recipe.noiseSigma = random.real(20, 35) * strength;
            break;
        case Distortion::Faded: {
            // Fresh thermal print is ~220 levels of contrast; faded receipts keep 15-40 % of it, less
            // still in patches.
            recipe.paperLevel = random.real(190, 230);
            const double fraction = random.real(0.18, 0.4) / strength;
            recipe.inkLevel = recipe.paperLevel - 220.0 * fraction;
            recipe.patchyFade = random.real(0.15, 0.4);
            break;
        }
        case Distortion::Glare:
            recipe.glareBlobs = random.integer(1, 3);
            break;
        case Distortion::Curl:
            recipe.curl = random.real(0.75, 1.0) * strength;
            break;
        case Distortion::Crumple:
            recipe.folds = random.integer(2, 4);
            break;
        case Distortion::Small:
            recipe.pxPerModule = random.real(1.5, 2.4) / strength;
            break;
        case Distortion::Dim:
            // Little light, the sensor's gain turned up: the noise is amplified with the picture.
            recipe.light = random.real(0.07, 0.15) / strength;
            recipe.lightGradient = random.real(0.3, 0.5);
            recipe.noiseSigma = 2.5;
            recipe.gain = random.real(0.45, 0.65) / recipe.light;
            break;
        case Distortion::Jpeg:
            recipe.jpegQuality = static_cast<int>(random.real(8, 18) / strength);
            break;
        case Distortion::Screen: {
            // An e-receipt on a phone: low contrast, half of them dark mode (light modules on dark).
            recipe.plainPaper = true;
            const double contrast = random.real(50, 120);
            if (random.chance(0.5)) {
                recipe.paperLevel = random.real(25, 70);
                recipe.inkLevel = recipe.paperLevel + contrast;
            } else {
                recipe.paperLevel = random.real(150, 235);
                recipe.inkLevel = recipe.paperLevel - contrast;
            }
            recipe.moirePeriod = random.real(2.2, 4.5);
            break;
        }
        case Distortion::Multi:
            recipe.qrSidePx = random.real(110, 170);
            break;
    }
}

void fadeInPatches(cv::Mat& sheet, double paperLevel, double amount, Random& random) {
    const cv::Mat field = smoothField(sheet.size(), 5, random);
    cv::Mat factor = 1.0 - amount * field;
    cv::Mat asFloat;
    sheet.convertTo(asFloat, CV_32FC3);
    const cv::Scalar paper(paperLevel, paperLevel, paperLevel);
    cv::Mat contrast = paper - asFloat;  // how much darker than the paper each pixel is
    cv::Mat factor3;
    cv::merge(std::vector<cv::Mat>{factor, factor, factor}, factor3);
    cv::multiply(contrast, factor3, contrast);
    asFloat = paper - contrast;
    asFloat.convertTo(sheet, CV_8UC3);
}

void crumplePaper(cv::Mat& sheet, cv::Mat& mask, int folds, Random& random) {
    cv::Mat mapX(sheet.size(), CV_32F);
    cv::Mat mapY(sheet.size(), CV_32F);
    cv::Mat shade(sheet.size(), CV_32F, cv::Scalar(1.0));
    // Gentle waviness everywhere (a few px on the flat sheet, where a module is 8 px).
    const cv::Mat waveX = smoothField(sheet.size(), 4, random);
    const cv::Mat waveY = smoothField(sheet.size(), 4, random);
    const double wave = random.real(3, 6);
    for (int y = 0; y < sheet.rows; ++y)
        for (int x = 0; x < sheet.cols; ++x) {
            mapX.at<float>(y, x) =
                static_cast<float>(x + wave * (static_cast<double>(waveX.at<float>(y, x)) - 0.5) * 2);
            mapY.at<float>(y, x) =
                static_cast<float>(y + wave * (static_cast<double>(waveY.at<float>(y, x)) - 0.5) * 2);
        }
    for (int i = 0; i < folds; ++i) {
        // A crease through a random point of the code's part of the sheet: the paper on either side is
        // pulled towards it (what lies in the fold is hidden) and one side catches the light.
        const double angle = random.real(0, std::numbers::pi);
        const cv::Point2d normal(std::cos(angle), std::sin(angle));
        const double throughY = random.real(0.3, 0.7) * sheet.rows;  // one draw a statement
        const cv::Point2d through(random.real(0.25, 0.75) * sheet.cols, throughY);
        const double shift = random.real(1.5, 4);
        const double width = random.real(4, 12);
        const double shading = random.real(0.08, 0.22);
        for (int y = 0; y < sheet.rows; ++y)
            for (int x = 0; x < sheet.cols; ++x) {
                const double d = (x - through.x) * normal.x + (y - through.y) * normal.y;
                const double pull = shift * std::tanh(d / width);
                mapX.at<float>(y, x) += static_cast<float>(normal.x * pull);
                mapY.at<float>(y, x) += static_cast<float>(normal.y * pull);
                const double near = std::exp(-std::abs(d) / (3 * width));
                shade.at<float>(y, x) *= static_cast<float>(1.0 - shading * near * (d > 0 ? 1.0 : -0.4));
            }
    }
    cv::remap(sheet, sheet, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));
    cv::remap(mask, mask, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::Mat shade3;
    cv::merge(std::vector<cv::Mat>{shade, shade, shade}, shade3);
    cv::Mat asFloat;
    sheet.convertTo(asFloat, CV_32FC3);
    cv::multiply(asFloat, shade3, asFloat);
    asFloat.convertTo(sheet, CV_8UC3);
}

void defocus(cv::Mat& image, double radius) {
    if (radius < 0.5) return;
    const int half = static_cast<int>(std::ceil(radius));
    cv::Mat kernel(2 * half + 1, 2 * half + 1, CV_32F, cv::Scalar(0));
    cv::circle(kernel, {half, half}, static_cast<int>(std::lround(radius)), cv::Scalar(1.0), cv::FILLED,
               cv::LINE_AA);
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(image, image, -1, kernel);
}

void addMoire(cv::Mat& image, const cv::Mat& mask, double period, Random& random) {
    const double depth = random.real(0.08, 0.2);
    const double angle = random.real(0, std::numbers::pi);
    const double beat = period * random.real(5, 9);
    cv::Mat asFloat;
    image.convertTo(asFloat, CV_32FC3);
    for (int y = 0; y < image.rows; ++y)
        for (int x = 0; x < image.cols; ++x) {
            if (mask.at<std::uint8_t>(y, x) < 128) continue;
            const double along = x * std::cos(angle) + y * std::sin(angle);
            const double factor = 1.0 + depth * std::sin(2 * std::numbers::pi * along / period) *
                                            (0.6 + 0.4 * std::sin(2 * std::numbers::pi * y / beat));
            asFloat.at<cv::Vec3f>(y, x) *= static_cast<float>(factor);
        }
    asFloat.convertTo(image, CV_8UC3);
}

}  // namespace bench::detail
