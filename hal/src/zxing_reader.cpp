#include <ZXing/DecodeHints.h>
#include <ZXing/ReadBarcode.h>

#include "qr_readers.hpp"

namespace hal::detail {

std::vector<QrCode> zxingDecode(const cv::Mat& gray, const Placement& placement, bool tryHarder) {
    std::vector<QrCode> codes;
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(tryHarder);
    hints.setTryRotate(false);  // a QR finder is rotation invariant; rotating the image only costs time
    hints.setTryDownscale(tryHarder);
    const ZXing::ImageView view(gray.data, gray.cols, gray.rows, ZXing::ImageFormat::Lum,
                                static_cast<int>(gray.step[0]));
    for (const ZXing::Result& result : ZXing::ReadBarcodes(view, hints)) {
        if (!result.isValid()) continue;
        QrCode code;
        code.text = result.text();
        const auto& position = result.position();  // top-left, top-right, bottom-right, bottom-left
        for (std::size_t i = 0; i < 4; ++i)
            code.corners[i] =
                placement.toFrame(static_cast<float>(position[i].x), static_cast<float>(position[i].y));
        addUnique(codes, std::move(code));
    }
    return codes;
}

}  // namespace hal::detail
