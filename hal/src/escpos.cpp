#include "hal/escpos.hpp"

#include <algorithm>
#include <string>

namespace hal::escpos {

namespace {
std::uint8_t lo(int v) {
    return static_cast<std::uint8_t>(v & 0xFF);
}
std::uint8_t hi(int v) {
    return static_cast<std::uint8_t>((v >> 8) & 0xFF);
}
constexpr bool bit(std::uint8_t b, int n) {
    return ((static_cast<unsigned>(b) >> n) & 1U) != 0;
}
}  // namespace

std::vector<std::uint8_t> initialize() {
    return {kEsc, '@'};
}

std::vector<std::uint8_t> rasterBand(const Bitmap& image, int firstRow, int rows) {
    rows = std::clamp(rows, 0, std::min(kBandRows, image.height() - firstRow));
    const int bytesPerRow = (image.width() + 7) / 8;
    std::vector<std::uint8_t> out{kGs, 'v', '0', 0, lo(bytesPerRow), hi(bytesPerRow), lo(rows), hi(rows)};
    out.reserve(out.size() + static_cast<std::size_t>(bytesPerRow * rows));
    for (int y = firstRow; y < firstRow + rows; ++y) {
        const auto row = image.packedRow(y);
        out.insert(out.end(), row.begin(), row.end());
    }
    return out;
}

std::vector<std::uint8_t> feed(int dots) {
    std::vector<std::uint8_t> out;
    while (dots > 0) {
        const int step = std::min(dots, 255);
        out.insert(out.end(), {kEsc, 'J', static_cast<std::uint8_t>(step)});
        dots -= step;
    }
    return out;
}

std::vector<std::uint8_t> cut() {
    return {kGs, 'V', 66, 0};
}

std::vector<std::vector<std::uint8_t>> encode(const PrintJob& job) {
    std::vector<std::vector<std::uint8_t>> pieces{initialize()};
    for (const auto& item : job.items()) {
        if (const auto* raster = std::get_if<PrintJob::Raster>(&item)) {
            for (int row = 0; row < raster->image.height(); row += kBandRows)
                pieces.push_back(rasterBand(raster->image, row, kBandRows));
        } else if (const auto* f = std::get_if<PrintJob::Feed>(&item)) {
            pieces.push_back(feed(f->dots));
        } else {
            pieces.push_back(cut());
        }
    }
    return pieces;
}

std::vector<std::uint8_t> statusQuery(std::uint8_t n) {
    return {kDle, kEot, n};
}

bool isStatusByte(std::uint8_t b) {
    return (b & 0x93U) == 0x12U;
}

PrinterStatus parseStatus(const StatusBytes& bytes) {
    PrinterStatus status;
    status.online = !bit(bytes.printer, 3);
    status.coverOpen = bit(bytes.offlineCause, 2);
    const bool paperOut = bit(bytes.paper, 5) && bit(bytes.paper, 6);
    const bool nearEnd = bit(bytes.paper, 2) && bit(bytes.paper, 3);
    status.paper = paperOut || bit(bytes.offlineCause, 5) ? PaperLevel::Out
                   : nearEnd                              ? PaperLevel::NearEnd
                                                          : PaperLevel::Ok;
    std::string error;
    auto add = [&](const char* what) { error += error.empty() ? what : std::string(", ") + what; };
    if (bit(bytes.errorCause, 3)) add("autocutter error: open the cover, clear the paper, close it");
    if (bit(bytes.errorCause, 5)) add("unrecoverable printer error: switch the printer off and on");
    if (bit(bytes.errorCause, 6)) add("print head too hot: wait for it to cool down");
    if (bit(bytes.errorCause, 2) && error.empty()) add("recoverable printer error");
    status.error = error;
    return status;
}

std::vector<std::uint8_t> paperSensorQuery() {
    return {kGs, 'r', 1};
}

PaperLevel parsePaperSensor(std::uint8_t answer) {
    if (bit(answer, 2) && bit(answer, 3)) return PaperLevel::Out;
    if (bit(answer, 0) && bit(answer, 1)) return PaperLevel::NearEnd;
    return PaperLevel::Ok;
}

}  // namespace hal::escpos
