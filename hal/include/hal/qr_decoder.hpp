#pragma once
// QrDecoder — finds and decodes QR codes in one picture, built for receipts photographed badly
// (tilted, curled, blurred, faded thermal print, glare, small in the frame, dim light).
//
// The pipeline runs stages from cheap to expensive and stops at the first that reads a code:
//   ZBar on the gray frame -> zxing-cpp on the gray frame -> contrast-normalised (CLAHE) frame ->
//   candidate regions (finder-pattern-like dark/light texture) cropped, upscaled and sharpened ->
//   binarised variants. docs/performance.md has the measured effect of each.
// DecodeEffort::Frame keeps one camera frame within a small time budget: it runs the cheap stages and
// ONE of the expensive ones, rotating through them on successive frames (a receipt is held for many
// frames, so a retry on the next frame with another strategy costs nothing). DecodeEffort::Still
// runs every stage (kioskctl scan, printed-voucher checks).
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
    std::string text;                  ///< the decoded content, as bytes (receipt tokens are ASCII)
    std::array<PointF, 4> corners{};   ///< clockwise from the code's own top-left, frame pixels
};

enum class DecodeEffort : std::uint8_t { Frame, Still };

/// Which stages the pipeline may use; the benchmark turns them off one by one to measure each.
struct DecoderStages {
    bool zbar = true;       ///< ZBar on the gray frame
    bool zxing = true;      ///< zxing-cpp as second decoder
    bool contrast = true;   ///< CLAHE contrast normalisation
    bool regions = true;    ///< candidate regions, upscaled crops
    bool binarize = true;   ///< adaptive-threshold variants of the regions
    bool sharpen = true;    ///< unsharp-masked variants of the regions (blur, motion)
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
    /// "binarize", "sharpen"), or "" — for logs and the benchmark.
    [[nodiscard]] std::string_view lastStage() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Baselines for the benchmark and for tests that prove the pipeline helps: one decoder, gray frame,
/// no preprocessing. Same threading rules as QrDecoder (these create their decoder per call).
[[nodiscard]] std::vector<QrCode> decodeWithZbarOnly(const Frame& frame);
[[nodiscard]] std::vector<QrCode> decodeWithZxingOnly(const Frame& frame);

}  // namespace hal
