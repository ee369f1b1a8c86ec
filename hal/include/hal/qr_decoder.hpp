#pragma once
// QrDecoder — finds and decodes QR codes in one picture, built for receipts photographed badly
// (tilted, curled, blurred, faded thermal print, glare, small in the frame, dim light).
//
// The pipeline runs stages from cheap to expensive and stops at the first that reads a code:
//   first, always:       zxing-cpp on the gray frame at the library's own default effort (try harder,
//                        downscaled pyramid for close-ups, every code in the frame), so whatever
//                        zxing-cpp reads alone the pipeline reads too ->
//   cheap, every frame:  candidate regions (dense dark/light texture found on a 1/4-size image),
//                        cropped, upscaled to ~360 px, CLAHE-normalised, zxing-cpp try-harder
//   heavy, in turn:      zxing-cpp on unsharp-masked region crops | zxing-cpp on the
//                        CLAHE-normalised frame, then ZBar on the region crops unwarped through the
//                        code's own finder and alignment patterns (crumpled paper, qr_grid.hpp) |
//                        ZBar on the region crops | ZBar on the gray frame |
//                        zxing-cpp on the inverted frame (dark-mode phone screens) | zxing-cpp on
//                        region crops deconvolved with their estimated motion blur (qr_deblur.hpp)
// DecodeEffort::Frame keeps one camera frame within budget: the cheap stages and ONE heavy stage,
// a different one on each successive frame (a receipt is held for many frames, so the retry on the
// next frame costs the shopper nothing). On a held receipt, a frame whose scene has not moved since
// the frame on which the first two passes failed skips them and reuses its candidate regions (up to 5
// frames in a row): it pays for its heavy stage alone. DecodeEffort::Still runs every stage (kioskctl scan).
// docs/performance.md has the measured effect of each stage.
//
// Threads: a QrDecoder is not synchronised; use one per thread. Never throws on any image content.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hal/frame.hpp"

namespace hal {

struct PointF {
    float x = 0;  ///< pixels, in the coordinates of the frame that was decoded
    float y = 0;
};

struct QrCode {
    std::string text;                 ///< the decoded content, as bytes (receipt tokens are ASCII)
    std::array<PointF, 4> corners{};  ///< clockwise from the code's own top-left, frame pixels
};

enum class DecodeEffort : std::uint8_t { Frame, Still };

/// Which stages the pipeline may use; the benchmark turns them off one by one to measure each.
struct DecoderStages {
    bool zbar = true;      ///< ZBar on the gray frame
    bool zxing = true;     ///< zxing-cpp as second decoder
    bool contrast = true;  ///< CLAHE contrast normalisation
    bool regions = true;   ///< candidate regions, upscaled crops
    bool sharpen = true;   ///< unsharp-masked variants of the regions (blur, motion)
    bool invert = true;    ///< the frame inverted (dark-mode phone screens)
    bool deblur = true;    ///< regions deconvolved with their estimated motion blur
    bool grid = true;      ///< regions unwarped through the code's own finder and alignment patterns
    bool erasure = true;   ///< our own reader of the unwarped modules, uncertain ones as erasures
};

class QrDecoder {
  public:
    explicit QrDecoder(DecoderStages stages = {});
    ~QrDecoder();
    QrDecoder(const QrDecoder&) = delete;
    QrDecoder& operator=(const QrDecoder&) = delete;

    /// Every distinct QR code found (usually zero or one). Accepts Gray8 or Rgb24 frames.
    [[nodiscard]] std::vector<QrCode> decode(const Frame& frame, DecodeEffort effort);

    /// The stage that produced the last non-empty result ("zbar", "zxing", "clahe", "region",
    /// "region-zbar", "sharpen", "invert", "deblur", "grid",
    /// "erasure"), or "" — for logs and the benchmark.
    [[nodiscard]] std::string_view lastStage() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Baselines for the benchmark and for tests that prove the pipeline helps: one decoder, gray frame,
/// no preprocessing (zxing-cpp at its default effort: try harder, downscale; QR only). Same threading rules
/// as QrDecoder (these create their decoder per call).
[[nodiscard]] std::vector<QrCode> decodeWithZbarOnly(const Frame& frame);
[[nodiscard]] std::vector<QrCode> decodeWithZxingOnly(const Frame& frame);

}  // namespace hal
