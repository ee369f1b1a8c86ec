#pragma once
// ESC/POS — the bytes our driver sends and the status answers it understands, as Epson documents them
// for the TM-T20 / TM-T88 family (docs/escpos.md has the full list). Pure functions, any thread.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "hal/print_job.hpp"
#include "hal/receipt_printer.hpp"

namespace hal::escpos {

inline constexpr std::uint8_t kEsc = 0x1B;
inline constexpr std::uint8_t kGs = 0x1D;
inline constexpr std::uint8_t kDle = 0x10;
inline constexpr std::uint8_t kEot = 0x04;
inline constexpr std::uint8_t kLf = 0x0A;

/// Raster images are sent in bands of at most this many rows: TM-T20's receive buffer is 4 KB and
/// some clones drop a GS v 0 larger than their buffer; a band of 576 x 128 dots is 9 KB, which every
/// printer we know streams through. Bands also give the driver points to check status mid-job.
inline constexpr int kBandRows = 128;

/// ESC @ — initialise: clears styles left by whoever used the printer before.
[[nodiscard]] std::vector<std::uint8_t> initialize();
/// GS v 0 — one raster band (rows of `image` from `firstRow`, at most kBandRows).
[[nodiscard]] std::vector<std::uint8_t> rasterBand(const Bitmap& image, int firstRow, int rows);
/// ESC J — feed `dots` (split in steps of 255).
[[nodiscard]] std::vector<std::uint8_t> feed(int dots);
/// GS V 66 n — feed to the cutter plus n dots and partial cut (the TM-T20/T88 cutter leaves a hinge).
[[nodiscard]] std::vector<std::uint8_t> cut();
/// The whole job: initialise, bands, feeds, cuts. The driver sends it in pieces (see EscPosPrinter);
/// this form is for captures and tests.
[[nodiscard]] std::vector<std::vector<std::uint8_t>> encode(const PrintJob& job);

/// DLE EOT n, n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. Real-time: the
/// printer answers one byte even while its buffer is full or it is offline.
[[nodiscard]] std::vector<std::uint8_t> statusQuery(std::uint8_t n);

/// The four DLE EOT answers, raw.
struct StatusBytes {
    std::uint8_t printer = 0;       ///< n=1
    std::uint8_t offlineCause = 0;  ///< n=2
    std::uint8_t errorCause = 0;    ///< n=3
    std::uint8_t paper = 0;         ///< n=4
};

/// True when `b` has the fixed bits every DLE EOT answer carries (bit 1 and 4 set, bits 0 and 7
/// clear) — tells a status byte from stray data.
[[nodiscard]] bool isStatusByte(std::uint8_t b);

/// Decodes the Epson bit layouts:
///   n=1: bit 3 offline.
///   n=2: bit 2 cover open, bit 5 printing stopped by paper end, bit 6 error.
///   n=3: bit 2 recoverable error, bit 3 autocutter error, bit 5 unrecoverable error, bit 6
///        auto-recoverable error (head too hot).
///   n=4: bits 2+3 roll near its end, bits 5+6 roll paper out.
[[nodiscard]] PrinterStatus parseStatus(const StatusBytes& bytes);

/// GS r 1 — paper sensor status (answer: bits 0+1 near end, bits 2+3 paper out). For printers that
/// answer GS r but not DLE EOT 4.
[[nodiscard]] std::vector<std::uint8_t> paperSensorQuery();
[[nodiscard]] PaperLevel parsePaperSensor(std::uint8_t gsR1Answer);

}  // namespace hal::escpos
