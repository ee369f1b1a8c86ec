#pragma once
// QR codes as printer dots, with libqrencode. Used for the voucher QR (sent as raster, see
// docs/escpos.md for why) and by the virtual printer to render native GS ( k QR commands.
// Pure function, any thread.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "hal/bitmap.hpp"

namespace hal {

enum class QrEcc : std::uint8_t { L, M, Q, H };

/// `data` encoded in the smallest QR version that holds it (binary-safe, 8-bit mode), each module a
/// square of `moduleDots` dots, surrounded by `quietZoneModules` white modules. Errors: empty or
/// too much data (a QR holds at most 2953 bytes at level L), moduleDots outside 1..16.
[[nodiscard]] std::expected<Bitmap, std::string> renderQr(std::string_view data, int moduleDots, QrEcc ecc,
                                                          int quietZoneModules = 4);

}  // namespace hal
