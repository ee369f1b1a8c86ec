#include "qr_testset.hpp"

#include <qrencode.h>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <memory>
#include <numbers>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>

#include "loyalty/receipt_token.hpp"
#include "loyalty/signing.hpp"
#include "qr_testset_recipe.hpp"

namespace bench {

namespace {

using detail::Random;
using detail::Recipe;

void applyDistortion(Distortion distortion, Recipe& recipe, Random& random, double strength) {
    switch (distortion) {
        case Distortion::Clean:
        case Distortion::Mixed:
        case Distortion::Large:  // the hard set's kinds: see applyHardDistortion
        case Distortion::Crumple:
        case Distortion::Screen:
        case Distortion::Multi:
            break;
        case Distortion::Perspective:
            recipe.perspective = random.real(0.10, 0.17) * strength;
            break;
        case Distortion::Blur:
            recipe.blurSigma = random.real(1.6, 2.6) * strength;
            break;
        case Distortion::Motion:
            recipe.motionLength = static_cast<int>(random.real(7, 13) * strength);
            break;
        case Distortion::Noise:
            recipe.noiseSigma = random.real(18, 30) * strength;
            break;
        case Distortion::Faded:
            recipe.paperLevel = random.real(200, 230);
            recipe.inkLevel = recipe.paperLevel - random.real(35, 70) / strength;
            break;
        case Distortion::Glare:
            recipe.glareBlobs = random.integer(1, 3);
            break;
        case Distortion::Curl:
            recipe.curl = random.real(0.55, 0.9) * strength;
            break;
        case Distortion::Small:
            recipe.qrSidePx = random.real(75, 100) / std::max(strength, 1.0);
            break;
        case Distortion::Dim:
            recipe.light = random.real(0.18, 0.3) / strength;
            recipe.lightGradient = random.real(0.3, 0.5);
            recipe.noiseSigma = 4;
            break;
        case Distortion::Jpeg:
            recipe.jpegQuality = static_cast<int>(random.real(12, 25) / strength);
            break;
    }
}

struct QrModules {
    int size = 0;
    std::vector<std::uint8_t> dark;  ///< size*size, 1 = dark
};

QrModules encodeQr(const std::string& text, int minVersion) {
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), minVersion, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) throw std::runtime_error("libqrencode could not encode the token");
    QrModules modules;
    modules.size = code->width;
    const auto count = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
    modules.dark.resize(count);
    for (std::size_t i = 0; i < count; ++i) modules.dark[i] = code->data[i] & 1U;
    return modules;
}

constexpr int kModulePx = 8;  ///< module size on the flat paper, before the camera sees it

/// The flat receipt: paper, some printed lines, the QR code. Returns the paper and the QR's rectangle.
cv::Mat drawPaper(const QrModules& qr, const Recipe& recipe, Random& random, cv::Rect& qrRect) {
    const int qrPx = qr.size * kModulePx;
    const int margin = 6 * kModulePx;
    const int top = 170;
    const int bottom = 110;
    const cv::Scalar paper(recipe.paperLevel - 4, recipe.paperLevel, recipe.paperLevel);
    const cv::Scalar ink(recipe.inkLevel, recipe.inkLevel, recipe.inkLevel);
    cv::Mat sheet(top + qrPx + bottom, qrPx + 2 * margin, CV_8UC3, paper);
    // Receipt text lines above and below the code: structure a real decoder must ignore.
    static constexpr std::string_view kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .:-";
    auto line = [&](int y) {
        std::string text;
        const int length = random.integer(10, 26);
        for (int i = 0; i < length; ++i)
            text += kChars[static_cast<std::size_t>(random.integer(0, static_cast<int>(kChars.size()) - 1))];
        cv::putText(sheet, text, {margin / 2, y}, cv::FONT_HERSHEY_SIMPLEX, 0.9, ink, 2, cv::LINE_AA);
    };
    if (!recipe.plainPaper) {
        for (int y = 40; y < top - 20; y += 38) line(y);
        for (int y = top + qrPx + 40; y < sheet.rows - 10; y += 38) line(y);
    }
    qrRect = cv::Rect(margin, top, qrPx, qrPx);
    for (int my = 0; my < qr.size; ++my)
        for (int mx = 0; mx < qr.size; ++mx)
            if (qr.dark[static_cast<std::size_t>(my * qr.size + mx)] != 0)
                cv::rectangle(
                    sheet,
                    cv::Rect(qrRect.x + mx * kModulePx, qrRect.y + my * kModulePx, kModulePx, kModulePx), ink,
                    cv::FILLED);
    return sheet;
}

/// Bends the paper around a cylinder whose axis runs across the receipt: rows far from the middle are
/// foreshortened and the sides bow, as a receipt that has been rolled.
cv::Mat curlPaper(const cv::Mat& sheet, double curl) {
    cv::Mat mapX(sheet.size(), CV_32F);
    cv::Mat mapY(sheet.size(), CV_32F);
    const double cx = sheet.cols / 2.0;
    const double cy = sheet.rows / 2.0;
    const double radius = cy / std::max(curl, 0.05);
    for (int y = 0; y < sheet.rows; ++y) {
        const double t = std::clamp((y - cy) / radius, -0.999, 0.999);
        const double srcY = cy + radius * std::asin(t);
        const double depth = 1.0 - std::sqrt(1.0 - t * t);  // how far this row bends away
        const double shrink = 1.0 - 0.35 * depth;
        for (int x = 0; x < sheet.cols; ++x) {
            mapX.at<float>(y, x) = static_cast<float>(cx + (x - cx) / shrink);
            mapY.at<float>(y, x) = static_cast<float>(srcY);
        }
    }
    cv::Mat curled;
    cv::remap(sheet, curled, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0, 0));
    return curled;
}

cv::Mat drawCounter(cv::Size size, Random& random) {
    const double base = random.real(50, 170);
    cv::Mat scene(size, CV_8UC3, cv::Scalar(base * 0.9, base, base * 1.05));
    for (int i = 0; i < 6; ++i) {
        // One draw per statement: the order of a call's arguments is unspecified (g++ and clang differ),
        // and the images must not depend on the compiler. This is the order g++ has always drawn in.
        const int ay = random.integer(0, size.height);
        const cv::Point a(random.integer(0, size.width), ay);
        const int by = a.y + random.integer(40, 300);
        const cv::Point b(a.x + random.integer(40, 400), by);
        const double level = random.real(30, 220);
        cv::rectangle(scene, a, b, cv::Scalar(level, level * 0.95, level * 0.9), cv::FILLED);
    }
    cv::GaussianBlur(scene, scene, {0, 0}, 6);
    return scene;
}

void applyLight(cv::Mat& image, const Recipe& recipe, Random& random) {
    cv::Mat light(image.size(), CV_32F);
    const double angle = random.real(0, 2 * std::numbers::pi);
    const double dx = std::cos(angle) / image.cols;
    const double dy = std::sin(angle) / image.rows;
    for (int y = 0; y < image.rows; ++y)
        for (int x = 0; x < image.cols; ++x)
            light.at<float>(y, x) = static_cast<float>(
                recipe.light * (1.0 - recipe.lightGradient * (0.5 + 0.5 * ((x - image.cols / 2) * dx +
                                                                           (y - image.rows / 2) * dy))));
    cv::Mat light3;
    cv::merge(std::vector<cv::Mat>{light, light, light}, light3);
    cv::Mat asFloat;
    image.convertTo(asFloat, CV_32FC3);
    cv::multiply(asFloat, light3, asFloat);
    asFloat.convertTo(image, CV_8UC3);
}

void addGlare(cv::Mat& image, const std::vector<cv::Point2f>& qrCorners, int blobs, Random& random) {
    const cv::Rect box = cv::boundingRect(qrCorners);
    cv::Mat glare(image.size(), CV_32F, cv::Scalar(0));
    for (int i = 0; i < blobs; ++i) {
        const int centerY = box.y + random.integer(0, std::max(1, box.height));  // one draw a statement
        const cv::Point center(box.x + random.integer(0, std::max(1, box.width)), centerY);
        const double radius = box.width * random.real(0.12, 0.25);
        cv::circle(glare, center, static_cast<int>(radius), cv::Scalar(random.real(170, 255)), cv::FILLED);
    }
    cv::GaussianBlur(glare, glare, {0, 0}, std::max(2.0, box.width * 0.05));
    cv::Mat glare3;
    cv::merge(std::vector<cv::Mat>{glare, glare, glare}, glare3);
    cv::Mat asFloat;
    image.convertTo(asFloat, CV_32FC3);
    asFloat += glare3;
    asFloat.convertTo(image, CV_8UC3);  // saturates: blown-out highlights, as a real sensor clips
}

void motionBlur(cv::Mat& image, int length, Random& random) {
    if (length < 2) return;
    cv::Mat kernel(length, length, CV_32F, cv::Scalar(0));
    const double angle = random.real(0, std::numbers::pi);
    const cv::Point2d c((length - 1) / 2.0, (length - 1) / 2.0);
    const cv::Point2d d(std::cos(angle) * (length - 1) / 2.0, std::sin(angle) * (length - 1) / 2.0);
    cv::line(kernel, c - d, c + d, cv::Scalar(1.0), 1, cv::LINE_AA);
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(image, image, -1, kernel);
}

}  // namespace

std::string_view distortionName(Distortion distortion) {
    switch (distortion) {
        case Distortion::Clean:
            return "clean";
        case Distortion::Perspective:
            return "perspective";
        case Distortion::Blur:
            return "blur";
        case Distortion::Motion:
            return "motion";
        case Distortion::Noise:
            return "noise";
        case Distortion::Faded:
            return "faded";
        case Distortion::Glare:
            return "glare";
        case Distortion::Curl:
            return "curl";
        case Distortion::Small:
            return "small";
        case Distortion::Dim:
            return "dim";
        case Distortion::Jpeg:
            return "jpeg";
        case Distortion::Mixed:
            return "mixed";
        case Distortion::Large:
            return "large";
        case Distortion::Crumple:
            return "crumple";
        case Distortion::Screen:
            return "screen";
        case Distortion::Multi:
            return "multi";
    }
    return "?";
}

const std::vector<Distortion>& allDistortions() {
    static const std::vector<Distortion> kAll = {
        Distortion::Clean, Distortion::Perspective, Distortion::Blur,  Distortion::Motion,
        Distortion::Noise, Distortion::Faded,       Distortion::Glare, Distortion::Curl,
        Distortion::Small, Distortion::Dim,         Distortion::Jpeg,  Distortion::Mixed};
    return kAll;
}

const std::vector<Distortion>& distortionsOf(TestSetLevel level) {
    static const std::vector<Distortion> kHard = {
        Distortion::Clean,   Distortion::Perspective, Distortion::Large, Distortion::Blur,
        Distortion::Motion,  Distortion::Faded,       Distortion::Glare, Distortion::Curl,
        Distortion::Crumple, Distortion::Small,       Distortion::Dim,   Distortion::Screen,
        Distortion::Multi,   Distortion::Mixed};
    return level == TestSetLevel::Hard ? kHard : allDistortions();
}

std::string makeReceiptToken(std::uint64_t seed) {
    Random random(seed);
    loyalty::KeySeed keySeed{};
    keySeed.fill(0x5A);  // one fixed test store key: the token's content is what varies
    const auto keys = loyalty::SigningKeyPair::fromSeed(keySeed);
    loyalty::Receipt receipt;
    receipt.store = fmt::format("HCM{:03}", random.integer(1, 999));
    const int till = random.integer(0, 9999);  // one draw a statement
    receipt.number = fmt::format("{:08}-{:04}", random.integer(0, 99'999'999), till);
    receipt.amount = loyalty::Dong{random.integer(1, 500) * 1000LL};
    receipt.issuedAt = 1'750'000'000 + random.integer(0, 10'000'000);
    receipt.items = static_cast<std::uint32_t>(random.integer(1, 40));
    auto token = loyalty::encodeReceiptToken(receipt, keys);
    if (!token) throw std::runtime_error("could not encode a test receipt token");
    return *token;
}

cv::Mat renderReceiptPhoto(const std::string& token, Distortion distortion, std::uint64_t seed, cv::Size size,
                           std::array<cv::Point2f, 4>* qrCornersOut, TestSetLevel level) {
    Random random(seed);
    Recipe recipe;
    recipe.qrSidePx = random.real(170, 300);
    recipe.rotationDeg = random.real(-180, 180);
    if (level == TestSetLevel::Hard) {
        recipe.minVersion = random.integer(7, 10);
        if (distortion == Distortion::Mixed) {
            std::vector<Distortion> pool = {Distortion::Perspective, Distortion::Blur,  Distortion::Motion,
                                            Distortion::Faded,       Distortion::Glare, Distortion::Curl,
                                            Distortion::Crumple,     Distortion::Small, Distortion::Dim};
            std::shuffle(pool.begin(), pool.end(), std::mt19937_64(random.next()));
            for (std::size_t i = 0; i < 2; ++i) detail::applyHardDistortion(pool[i], recipe, random, 0.75);
        } else {
            detail::applyHardDistortion(distortion, recipe, random, 1.0);
        }
    } else if (distortion == Distortion::Mixed) {
        std::vector<Distortion> pool = {Distortion::Perspective, Distortion::Blur,  Distortion::Noise,
                                        Distortion::Faded,       Distortion::Glare, Distortion::Curl,
                                        Distortion::Small,       Distortion::Dim,   Distortion::Jpeg};
        std::shuffle(pool.begin(), pool.end(), std::mt19937_64(random.next()));
        const int count = random.integer(2, 3);
        for (int i = 0; i < count; ++i)
            applyDistortion(pool[static_cast<std::size_t>(i)], recipe, random, 0.7);
    } else {
        applyDistortion(distortion, recipe, random, 1.0);
    }

    const QrModules qr = encodeQr(token, recipe.minVersion);
    if (recipe.pxPerModule > 0) recipe.qrSidePx = qr.size * recipe.pxPerModule;
    cv::Rect qrRect;
    cv::Mat sheet = drawPaper(qr, recipe, random, qrRect);
    cv::Mat sheetMask(sheet.size(), CV_8U, cv::Scalar(255));
    if (recipe.patchyFade > 0) detail::fadeInPatches(sheet, recipe.paperLevel, recipe.patchyFade, random);
    if (recipe.folds > 0) detail::crumplePaper(sheet, sheetMask, recipe.folds, random);
    if (recipe.curl > 0) {
        sheet = curlPaper(sheet, recipe.curl);
        sheetMask = curlPaper(sheetMask, recipe.curl);
    }

    // Where the paper lands: scaled so the code has the recipe's size, rotated, corners jittered,
    // placed so the code itself stays inside the frame.
    const double scale = recipe.qrSidePx / qrRect.width;
    const double angle = recipe.rotationDeg * std::numbers::pi / 180.0;
    const cv::Point2f qrCenter(static_cast<float>(qrRect.x + qrRect.width / 2.0),
                               static_cast<float>(qrRect.y + qrRect.height / 2.0));
    const std::array<cv::Point2f, 4> paperCorners = {
        cv::Point2f(0, 0), cv::Point2f(static_cast<float>(sheet.cols), 0),
        cv::Point2f(static_cast<float>(sheet.cols), static_cast<float>(sheet.rows)),
        cv::Point2f(0, static_cast<float>(sheet.rows))};
    const double reach = std::max(size.width, size.height) * 0.5;
    const double jitter = recipe.perspective * std::max(sheet.cols, sheet.rows) * scale;
    cv::Mat transform;
    std::vector<cv::Point2f> qrInFrame;
    const std::vector<cv::Point2f> qrCorners = {
        cv::Point2f(static_cast<float>(qrRect.x), static_cast<float>(qrRect.y)),
        cv::Point2f(static_cast<float>(qrRect.br().x), static_cast<float>(qrRect.y)),
        cv::Point2f(static_cast<float>(qrRect.br().x), static_cast<float>(qrRect.br().y)),
        cv::Point2f(static_cast<float>(qrRect.x), static_cast<float>(qrRect.br().y))};
    for (int attempt = 0;; ++attempt) {
        const double targetY = size.height / 2.0 + random.real(-0.2, 0.2) * reach * (attempt < 40 ? 1 : 0);
        const cv::Point2d target(size.width / 2.0 + random.real(-0.3, 0.3) * reach * (attempt < 40 ? 1 : 0),
                                 targetY);  // one draw a statement
        std::array<cv::Point2f, 4> dest{};
        for (std::size_t i = 0; i < 4; ++i) {
            const double px = static_cast<double>(paperCorners[i].x - qrCenter.x) * scale;
            const double py = static_cast<double>(paperCorners[i].y - qrCenter.y) * scale;
            const double y =
                target.y + px * std::sin(angle) + py * std::cos(angle) + random.real(-jitter, jitter);
            const double x =
                target.x + px * std::cos(angle) - py * std::sin(angle) + random.real(-jitter, jitter);
            dest[i] = cv::Point2f(static_cast<float>(x), static_cast<float>(y));
        }
        transform = cv::getPerspectiveTransform(paperCorners.data(), dest.data());
        cv::perspectiveTransform(qrCorners, qrInFrame, transform);
        const cv::Rect box = cv::boundingRect(qrInFrame);
        const int quiet = static_cast<int>(recipe.qrSidePx * 0.1);
        if ((box.x > quiet && box.y > quiet && box.br().x < size.width - quiet &&
             box.br().y < size.height - quiet) ||
            attempt >= 60)
            break;
    }

    if (qrCornersOut != nullptr) std::copy(qrInFrame.begin(), qrInFrame.end(), qrCornersOut->begin());

    cv::Mat image = drawCounter(size, random);
    cv::Mat warped;
    cv::Mat warpedMask;
    cv::warpPerspective(sheet, warped, transform, size, cv::INTER_AREA);
    cv::warpPerspective(sheetMask, warpedMask, transform, size, cv::INTER_LINEAR);
    warped.copyTo(image, warpedMask > 128);
    if (recipe.moirePeriod > 0) detail::addMoire(image, warpedMask, recipe.moirePeriod, random);

    applyLight(image, recipe, random);
    if (recipe.glareBlobs > 0) addGlare(image, qrInFrame, recipe.glareBlobs, random);
    if (recipe.blurSigma > 0) cv::GaussianBlur(image, image, {0, 0}, recipe.blurSigma);
    detail::defocus(image, recipe.defocusRadius);
    motionBlur(image, recipe.motionLength, random);
    // Optics always soften a little, even in focus.
    cv::GaussianBlur(image, image, {0, 0}, 0.7);
    image = withSensorNoise(image, recipe.noiseSigma, random.next());
    if (recipe.gain != 1.0) image.convertTo(image, -1, recipe.gain);
    if (recipe.jpegQuality > 0) {
        std::vector<std::uint8_t> jpeg;
        cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, recipe.jpegQuality});
        image = cv::imdecode(jpeg, cv::IMREAD_COLOR);
    }
    return image;
}

cv::Mat renderCounterPhoto(std::uint64_t seed, cv::Size size) {
    Random random(seed);
    cv::Mat image = drawCounter(size, random);
    applyLight(image, Recipe{}, random);
    cv::GaussianBlur(image, image, {0, 0}, 0.7);
    return image;
}

cv::Mat layCodeOnScene(const cv::Mat& scene, const std::string& token, Distortion distortion,
                       std::uint64_t seed, TestSetLevel level) {
    std::array<cv::Point2f, 4> corners{};
    const cv::Mat photo = renderReceiptPhoto(token, distortion, seed, scene.size(), &corners, level);
    cv::Rect box = cv::boundingRect(std::vector<cv::Point2f>(corners.begin(), corners.end()));
    const int margin = box.width / 10;
    box = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
          cv::Rect({}, scene.size());
    cv::Mat result = scene.clone();
    photo(box).copyTo(result(box));
    return result;
}

cv::Mat withSensorNoise(const cv::Mat& image, double sigma, std::uint64_t seed) {
    cv::Mat noise(image.size(), CV_MAKETYPE(CV_16S, image.channels()));
    cv::RNG(seed).fill(noise, cv::RNG::NORMAL, 0, sigma);
    cv::Mat noisy;
    image.convertTo(noisy, noise.type());
    noisy += noise;
    cv::Mat result;
    noisy.convertTo(result, image.type());
    return result;
}

namespace {

/// Two or three receipts side by side in one frame, each in its own part of it.
cv::Mat renderSeveral(const std::vector<std::string>& tokens, std::uint64_t seed, cv::Size size) {
    const int count = static_cast<int>(tokens.size());
    std::vector<cv::Mat> parts;
    for (int i = 0; i < count; ++i) {
        const int width =
            i + 1 < count ? size.width / count : size.width - (count - 1) * (size.width / count);
        parts.push_back(renderReceiptPhoto(tokens[static_cast<std::size_t>(i)], Distortion::Multi,
                                           seed + static_cast<std::uint64_t>(i) * 7919, {width, size.height},
                                           nullptr, TestSetLevel::Hard));
    }
    cv::Mat frame;
    cv::hconcat(parts, frame);
    return frame;
}

}  // namespace

std::vector<TestImage> generateTestSet(std::uint64_t seed, int perKind, TestSetLevel level) {
    std::vector<TestImage> images;
    int index = 0;
    for (int round = 0; round < perKind; ++round) {
        for (const Distortion distortion : distortionsOf(level)) {
            const std::uint64_t imageSeed =
                seed * std::uint64_t{1'000'003} + static_cast<std::uint64_t>(index);
            TestImage image;
            image.name = fmt::format("{:04}-{}", index, distortionName(distortion));
            image.expected = makeReceiptToken(imageSeed);
            image.distortion = distortion;
            image.seed = imageSeed;
            image.level = level;
            if (distortion == Distortion::Multi) {
                const int others = Random(imageSeed).integer(1, 2);
                for (int i = 1; i <= others; ++i)
                    image.others.push_back(makeReceiptToken(imageSeed * 31 + static_cast<std::uint64_t>(i)));
                std::vector<std::string> tokens = {image.expected};
                tokens.insert(tokens.end(), image.others.begin(), image.others.end());
                image.bgr = renderSeveral(tokens, imageSeed, {1280, 720});
            } else {
                image.bgr =
                    renderReceiptPhoto(image.expected, distortion, imageSeed, {1280, 720}, nullptr, level);
            }
            images.push_back(std::move(image));
            ++index;
        }
    }
    return images;
}

void writeTestSet(const std::vector<TestImage>& images, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    std::ofstream truth(dir / "truth.tsv");
    for (const TestImage& image : images) {
        const auto path = dir / (image.name + ".png");
        if (!cv::imwrite(path.string(), image.bgr)) throw std::runtime_error("cannot write " + path.string());
        truth << image.name << '\t' << distortionName(image.distortion) << '\t' << image.expected;
        for (const std::string& other : image.others) truth << '\t' << other;
        truth << '\n';
    }
    if (!truth.flush()) throw std::runtime_error("cannot write " + (dir / "truth.tsv").string());
}

}  // namespace bench
