#include "hal/qr_raster.hpp"

#include <fmt/core.h>
#include <qrencode.h>

#include <memory>

namespace hal {

std::expected<Bitmap, std::string> renderQr(std::string_view data, int moduleDots, QrEcc ecc,
                                            int quietZoneModules) {
    if (data.empty()) return std::unexpected(std::string("QR: no data"));
    if (moduleDots < 1 || moduleDots > 16)
        return std::unexpected(fmt::format("QR: module size {} dots outside 1..16", moduleDots));
    static constexpr QRecLevel kLevels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()),
                          0, kLevels[static_cast<int>(ecc)]),
        &QRcode_free);
    if (!code) return std::unexpected(fmt::format("QR: {} bytes do not fit in a QR code", data.size()));
    const int quiet = std::max(quietZoneModules, 0);
    const int side = (code->width + 2 * quiet) * moduleDots;
    Bitmap out(side, side);
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            if ((code->data[y * code->width + x] & 1U) != 0)
                out.fillRect((x + quiet) * moduleDots, (y + quiet) * moduleDots, moduleDots, moduleDots);
    return out;
}

}  // namespace hal
