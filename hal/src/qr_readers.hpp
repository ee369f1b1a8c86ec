#pragma once
// hal-internal: the two QR decoding libraries behind one shape. They live in separate translation
// units because ZBar's and zxing-cpp's headers clash (zxing-cpp 1.4 defines an `Error` macro that
// breaks <zbar.h>).

#include <memory>
#include <opencv2/core.hpp>
#include <vector>

#include "hal/qr_decoder.hpp"

namespace hal::detail {

/// Where a decoded image came from, to map corner points back to frame pixels.
struct Placement {
    cv::Point2f origin{0, 0};
    float scale = 1.0F;  ///< image pixels per frame pixel

    [[nodiscard]] PointF toFrame(float x, float y) const {
        return {origin.x + x / scale, origin.y + y / scale};
    }
};

/// Regions of the frame that look like a 2-D code: dense dark/light texture in a compact blob.
/// Returned most promising first (at most 3), in frame pixels, with a margin for the quiet zone.
[[nodiscard]] std::vector<cv::Rect> findCandidateRegions(const cv::Mat& gray);

/// Appends `code` unless its text is empty or already in `into`.
void addUnique(std::vector<QrCode>& into, QrCode code);

/// ZBar, QR symbology only. Keeps its scanner between calls; not synchronised.
class ZbarReader {
  public:
    ZbarReader();
    ~ZbarReader();
    ZbarReader(const ZbarReader&) = delete;
    ZbarReader& operator=(const ZbarReader&) = delete;

    /// `gray`: 8-bit, one channel (copied if not continuous).
    [[nodiscard]] std::vector<QrCode> decode(const cv::Mat& gray, const Placement& placement);

  private:
    struct Scanner;
    std::unique_ptr<Scanner> m_scanner;
};

/// zxing-cpp, QR only. `tryHarder` spends more time on damaged or small codes.
[[nodiscard]] std::vector<QrCode> zxingDecode(const cv::Mat& gray, const Placement& placement,
                                              bool tryHarder);

}  // namespace hal::detail
