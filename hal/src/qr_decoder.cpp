#include "hal/qr_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "frame_mat.hpp"
#include "qr_deblur.hpp"
#include "qr_grid.hpp"
#include "qr_module_reader.hpp"
#include "qr_modules.hpp"
#include "qr_readers.hpp"
#include "qr_symbol.hpp"
#include "scene_signature.hpp"

namespace hal {

namespace {

/// Region crops are scaled (up to 3x) so their longer side is about this many pixels: both decoders
/// lose codes of 2 px per module long before the optics do, and upscaling a crop is cheap compared
/// with a full-frame pass.
constexpr double kCropTargetSide = 360.0;
/// Candidate regions examined per frame (the most texture-dense first).
constexpr std::size_t kMaxRegions = 3;
/// The region finder works on the frame shrunk by this factor.
constexpr int kRegionScale = 4;
/// Wiener regulariser of the motion deblurring: enough to keep sensor noise from exploding.
constexpr double kWienerNoiseToSignal = 0.02;
/// DecodeEffort::Frame: a frame whose scene signature (the change gate's, at its default settings) has
/// not moved since a frame on which the zxing-cpp pass and the region pass both failed skips those two
/// passes and reuses that frame's candidate regions, for at most this many frames in a row (then the
/// passes run again, in case the difference was too small for the signature to see).
constexpr int kSignatureWidth = 80;
constexpr int kStillChangeLevel = 10;
constexpr double kStillChangedArea = 0.002;
constexpr int kMaxSkippedPasses = 5;
/// ... unless the best candidate region got this much sharper (a receipt coming into focus barely moves
/// the signature's 16x16-pixel cell means).
constexpr double kSharperFactor = 1.3;

/// Mean absolute Laplacian of the best candidate region at half the camera's resolution (halving
/// averages fresh sensor noise away; a code coming into focus still doubles it), 0 without regions.
double regionSharpness(const cv::Mat& gray, const std::vector<cv::Rect>& regions) {
    if (regions.empty()) return 0;
    cv::Mat half;
    cv::resize(gray(regions.front()), half, {}, 0.5, 0.5, cv::INTER_AREA);
    cv::Mat laplacian;
    cv::Laplacian(half, laplacian, CV_16S);
    return cv::mean(cv::abs(laplacian))[0];
}

}  // namespace

std::vector<cv::Rect> detail::findCandidateRegions(const cv::Mat& gray) {
    if (gray.cols < 16 * kRegionScale || gray.rows < 16 * kRegionScale) return {};
    cv::Mat small;
    cv::resize(gray, small, {gray.cols / kRegionScale, gray.rows / kRegionScale}, 0, 0, cv::INTER_AREA);
    // The morphological gradient is high wherever dark and light modules meet; a QR code is a dense
    // patch of it, text lines are thinner and background is flat.
    cv::Mat gradient;
    cv::morphologyEx(small, gradient, cv::MORPH_GRADIENT, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    cv::Mat mask;
    cv::threshold(gradient, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);

    struct Candidate {
        cv::Rect box;
        double score;
    };
    std::vector<Candidate> candidates;
    for (const auto& contour : contours) {
        const cv::RotatedRect rotated = cv::minAreaRect(contour);
        const float shortSide = std::min(rotated.size.width, rotated.size.height);
        const float longSide = std::max(rotated.size.width, rotated.size.height);
        if (shortSide < 24.0F / static_cast<float>(kRegionScale) || longSide > 2.5F * shortSide) continue;
        const double area = cv::contourArea(contour);
        const double fill = area / static_cast<double>(std::max(1.0F, rotated.size.area()));
        if (fill < 0.5) continue;
        const cv::Rect box = cv::boundingRect(contour);
        const double density = cv::mean(gradient(box))[0];
        candidates.push_back({box, density * std::sqrt(area)});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    std::vector<cv::Rect> regions;
    const cv::Rect frameRect(0, 0, gray.cols, gray.rows);
    for (const Candidate& candidate : candidates) {
        if (regions.size() == kMaxRegions) break;
        const cv::Rect box(candidate.box.x * kRegionScale, candidate.box.y * kRegionScale,
                           candidate.box.width * kRegionScale, candidate.box.height * kRegionScale);
        const int margin = std::max(box.width, box.height) / 5 + 8;
        regions.push_back(
            cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin) &
            frameRect);
    }
    return regions;
}

struct QrDecoder::Impl {
    DecoderStages stages;
    detail::ZbarReader zbar;
    cv::Ptr<cv::CLAHE> clahe = cv::createCLAHE(3.0, {8, 8});
    std::size_t nextHeavy = 0;  ///< DecodeEffort::Frame: which heavy stage runs on this frame
    std::string_view lastStage;
    std::vector<cv::Rect> regions;          ///< candidate regions of the frame being decoded
    std::vector<std::uint8_t> failedScene;  ///< signature of the last frame the first passes missed
    double failedSharpness = 0;             ///< regionSharpness() of that frame
    int skippedPasses = 0;                  ///< frames since then that skipped them

    explicit Impl(DecoderStages s) : stages(s) {}

    std::vector<QrCode> run(const cv::Mat& gray, DecodeEffort effort, bool sceneStill);
    std::vector<QrCode> firstPasses(const cv::Mat& gray);

    enum class CropFilter : std::uint8_t { None, Sharpen, Deblur };
    enum class CropReader : std::uint8_t { Zxing, Zbar };

    /// An upscaled, contrast-normalised crop of each candidate region, optionally sharpened, read by
    /// one decoder (zxing-cpp in try-harder mode, or ZBar). Returns at the first region that reads.
    std::vector<QrCode> decodeRegions(const cv::Mat& gray, CropFilter filter, CropReader reader) {
        if (!stages.regions || (reader == CropReader::Zxing ? !stages.zxing : !stages.zbar)) return {};
        for (const cv::Rect& region : regions) {
            const double factor =
                std::clamp(kCropTargetSide / std::max(region.width, region.height), 1.0, 3.0);
            cv::Mat source = gray(region);
            if (filter == CropFilter::Deblur) {
                // At the camera's resolution, before any resampling: that is where the blur is linear.
                const auto blur = detail::estimateMotionBlur(source);
                if (!blur) continue;
                // A slightly long kernel errs on the safe side: too short leaves a ghost of every edge.
                source = detail::deblurMotion(source, {blur->angle, blur->length + 1}, kWienerNoiseToSignal);
            }
            cv::Mat crop;
            cv::resize(source, crop, {}, factor, factor, factor > 1.0 ? cv::INTER_CUBIC : cv::INTER_AREA);
            // Not after deblurring: CLAHE lifts the deconvolution's ringing into false modules.
            if (stages.contrast && filter != CropFilter::Deblur) clahe->apply(crop, crop);
            const detail::Placement placement{
                cv::Point2f(static_cast<float>(region.x), static_cast<float>(region.y)),
                static_cast<float>(factor)};
            if (filter == CropFilter::Sharpen) {
                // Unsharp mask: out-of-focus and moving receipts smear module edges into each other.
                cv::Mat smooth;
                cv::GaussianBlur(crop, smooth, {0, 0}, 2.0 * factor);
                cv::addWeighted(crop, 2.5, smooth, -1.5, 0, crop);
            }
            auto codes = reader == CropReader::Zxing ? detail::zxingDecode(crop, placement, true)
                                                     : zbar.decode(crop, placement);
            if (!codes.empty()) return codes;
        }
        return {};
    }

    /// Our own reader (qr_module_reader.hpp) on the modules of the upright code, aligned first: ZBar
    /// reads errors only, this one declares the least certain codewords erased. When the code's
    /// version information says the grid was fitted at another version, `crop` is unwarped again at
    /// that version and read the same way, ZBar first.
    std::vector<QrCode> readWithErasures(const detail::UnwarpedCode& code, const cv::Mat& crop, bool refit) {
        if (!stages.erasure) return {};
        for (const cv::Mat* upright : {&code.aligned, &code.image}) {
            const auto modules = detail::sampleModules(*upright);
            if (!modules) continue;
            if (auto read = detail::readModules(*modules)) {
                lastStage = "erasure";
                return {QrCode{std::move(read->text), {}}};
            }
            const auto version = detail::otherVersion(*modules);
            if (!refit || !version || *version > detail::kMaxReadVersion) continue;
            const auto again = detail::unwarpCode(crop, *version);
            if (!again) return {};
            auto codes = zbar.decode(again->image, {});
            if (codes.empty()) codes = zbar.decode(again->aligned, {});
            if (codes.empty()) codes = readWithErasures(*again, crop, false);
            if (!codes.empty()) lastStage = "erasure";
            return codes;
        }
        return {};
    }

    /// The grid sampler (qr_grid.hpp) on the upscaled crop of each candidate region: ZBar on the code
    /// unwarped through its own finder and alignment patterns, then on the same shifted onto its module
    /// grid, then our erasure reader on either (zxing-cpp on either, or on a clean re-rendering of its
    /// modules, read none of the hard set's crumpled codes that ZBar misses).
    std::vector<QrCode> decodeGrid(const cv::Mat& gray) {
        for (const cv::Rect& region : regions) {
            const double factor =
                std::clamp(kCropTargetSide / std::max(region.width, region.height), 1.0, 3.0);
            cv::Mat crop;
            cv::resize(gray(region), crop, {}, factor, factor,
                       factor > 1.0 ? cv::INTER_CUBIC : cv::INTER_AREA);
            const auto code = detail::unwarpCode(crop);
            if (!code) continue;
            auto codes = zbar.decode(code->image, {});
            if (codes.empty()) codes = zbar.decode(code->aligned, {});
            if (codes.empty()) codes = readWithErasures(*code, crop, true);
            if (codes.empty()) continue;
            // ZBar's corners are in the unwarped image; the grid knows where the code is in the frame.
            const detail::Placement placement{
                cv::Point2f(static_cast<float>(region.x), static_cast<float>(region.y)),
                static_cast<float>(factor)};
            for (QrCode& found : codes)
                for (std::size_t i = 0; i < 4; ++i)
                    found.corners[i] = placement.toFrame(code->corners[i].x, code->corners[i].y);
            return codes;
        }
        return {};
    }

    /// ZBar at camera resolution on the part of the frame the candidate regions cover (their bounding
    /// box, grown by half), or on the whole frame when there are none: ZBar's cost grows with the area
    /// (about 25 ms for a 1280x720 frame).
    std::vector<QrCode> decodeZbarRoi(const cv::Mat& gray) {
        if (regions.empty()) return zbar.decode(gray, {});
        cv::Rect box = regions.front();
        for (const cv::Rect& region : regions) box |= region;
        const int grow = std::max(box.width, box.height) / 4;
        box = cv::Rect(box.x - grow, box.y - grow, box.width + 2 * grow, box.height + 2 * grow) &
              cv::Rect(0, 0, gray.cols, gray.rows);
        return zbar.decode(gray(box),
                           {cv::Point2f(static_cast<float>(box.x), static_cast<float>(box.y)), 1.0F});
    }

    /// The stages that cost up to a full-frame pass each, cheapest and most productive first (ZBar on
    /// the full frame costs about 20 ms at 1280x720, ten times zxing-cpp). DecodeEffort::Frame runs
    /// one per frame, in turn.
    static constexpr std::size_t kHeavyStages = 6;
    std::vector<QrCode> heavyStage(std::size_t which, const cv::Mat& gray) {
        switch (which) {
            case 0:
                if (!stages.regions || !stages.sharpen || !stages.zxing) return {};
                lastStage = "sharpen";
                return decodeRegions(gray, CropFilter::Sharpen, CropReader::Zxing);
            case 1: {
                // Two in one frame: the cheapest heavy stage (one zxing-cpp pass without try-harder)
                // and the grid sampler, which only costs more where finder patterns are seen.
                std::vector<QrCode> codes;
                if (stages.contrast && stages.zxing) {
                    lastStage = "clahe";
                    cv::Mat normalised;
                    clahe->apply(gray, normalised);
                    codes = detail::zxingDecode(normalised, {}, false);
                }
                if (codes.empty() && stages.regions && stages.grid && stages.zbar) {
                    lastStage = "grid";
                    codes = decodeGrid(gray);
                }
                return codes;
            }
            case 2:
                if (!stages.regions || !stages.zbar) return {};
                lastStage = "region-zbar";
                return decodeRegions(gray, CropFilter::None, CropReader::Zbar);
            case 3:
                if (!stages.zbar) return {};
                lastStage = "zbar";
                return decodeZbarRoi(gray);
            case 4:
                // An e-receipt on a phone in dark mode: light modules on a dark screen.
                if (!stages.invert || !stages.zxing) return {};
                lastStage = "invert";
                {
                    cv::Mat inverted;
                    cv::bitwise_not(gray, inverted);
                    return detail::zxingDecode(inverted, {}, true);
                }
            case 5:
                if (!stages.regions || !stages.deblur || !stages.zxing) return {};
                lastStage = "deblur";
                return decodeRegions(gray, CropFilter::Deblur, CropReader::Zxing);
            default:
                return {};
        }
    }
};

QrDecoder::QrDecoder(DecoderStages stages) : m_impl(std::make_unique<Impl>(stages)) {}
QrDecoder::~QrDecoder() = default;

std::vector<QrCode> QrDecoder::decode(const Frame& frame, DecodeEffort effort) {
    Impl& impl = *m_impl;
    impl.lastStage = "";
    // The smallest QR code (version 1) is 21 modules; nothing smaller can hold one.
    constexpr int kMinSide = 21;
    if (frame.empty() || frame.width < kMinSide || frame.height < kMinSide) return {};
    try {
        const cv::Mat gray = detail::grayOf(frame);
        bool sceneStill = false;
        std::vector<std::uint8_t> scene;
        if (effort == DecodeEffort::Frame) {
            scene = detail::sceneSignature(frame, kSignatureWidth);
            sceneStill =
                !impl.failedScene.empty() && impl.skippedPasses < kMaxSkippedPasses &&
                !detail::sceneChanged(scene, impl.failedScene, kStillChangeLevel, kStillChangedArea) &&
                regionSharpness(gray, impl.regions) <= kSharperFactor * impl.failedSharpness;
        }
        auto codes = impl.run(gray, effort, sceneStill);
        if (!codes.empty()) {
            impl.failedScene.clear();
        } else if (!sceneStill) {
            impl.failedScene = std::move(scene);
            impl.failedSharpness = regionSharpness(gray, impl.regions);
            impl.skippedPasses = 0;
        } else {
            ++impl.skippedPasses;
        }
        return codes;
    } catch (const cv::Exception&) {
        // OpenCV asserts on shapes it dislikes; for a scanner that means "no code in this frame".
        impl.lastStage = "";
        return {};
    }
}

std::vector<QrCode> QrDecoder::Impl::firstPasses(const cv::Mat& gray) {
    // zxing-cpp on the raw frame with the library's own default effort (try harder, downscaled
    // pyramid for close-ups, every code in the frame): whatever it reads alone, the pipeline reads.
    std::vector<QrCode> codes;
    if (stages.zxing) {
        codes = detail::zxingDecode(gray, {}, true);
        if (!codes.empty()) {
            lastStage = "zxing";
            return codes;
        }
    }
    regions = stages.regions ? detail::findCandidateRegions(gray) : std::vector<cv::Rect>{};
    if (stages.regions && stages.zxing) {
        lastStage = "region";
        codes = decodeRegions(gray, CropFilter::None, CropReader::Zxing);
    }
    return codes;
}

std::vector<QrCode> QrDecoder::Impl::run(const cv::Mat& gray, DecodeEffort effort, bool sceneStill) {
    // A still scene on which these passes failed a frame ago: they would fail again (the regions kept
    // from that frame still hold), so this frame's budget goes to the next heavy stage alone.
    std::vector<QrCode> codes;
    if (!sceneStill) {
        codes = firstPasses(gray);
        if (!codes.empty()) return codes;
    }
    if (effort == DecodeEffort::Frame) {
        // One heavy stage per frame, a different one on the next: a held receipt gets every strategy
        // within a few frames while each frame stays within budget.
        for (std::size_t tried = 0; tried < kHeavyStages; ++tried) {
            const std::size_t which = nextHeavy;
            nextHeavy = (nextHeavy + 1) % kHeavyStages;
            lastStage = "";
            codes = heavyStage(which, gray);
            if (!lastStage.empty()) break;  // the stage was enabled and ran: this frame's share
        }
    } else {
        for (std::size_t which = 0; which < kHeavyStages && codes.empty(); ++which)
            codes = heavyStage(which, gray);
    }
    if (codes.empty()) lastStage = "";
    return codes;
}

std::string_view QrDecoder::lastStage() const {
    return m_impl->lastStage;
}

std::vector<QrCode> decodeWithZbarOnly(const Frame& frame) {
    if (frame.empty()) return {};
    detail::ZbarReader reader;
    return reader.decode(detail::grayOf(frame), {});
}

std::vector<QrCode> decodeWithZxingOnly(const Frame& frame) {
    if (frame.empty()) return {};
    return detail::zxingDecode(detail::grayOf(frame), {}, true);
}

}  // namespace hal
