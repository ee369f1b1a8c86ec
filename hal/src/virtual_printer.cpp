// The virtual printer's ESC/POS interpreter. Supported (rendered): ESC @ ! E G - a d J 2 3 M t SP $
// (and ESC backslash) * i m, GS ! B h w H f v0 k (CODE39, CODE128, EAN13, UPC-A) ( k (QR) ( L and 8 L
// (raster graphics) V, LF HT. Answered: DLE EOT 1-4,
// GS r 1/2, GS I 1-3. Everything else documented for the TM-T20/TM-T88 family is skipped by its
// length and logged; see docs/escpos.md.
#include "hal/virtual_printer.hpp"

#include <fmt/core.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

#include "barcode.hpp"
#include "hal/escpos.hpp"
#include "hal/qr_raster.hpp"
#include "hal/text_raster.hpp"

namespace hal {

namespace {

constexpr std::uint8_t kFs = 0x1C;
constexpr int kDefaultLineSpacing = 30;  // dots, ESC 2 (1/6 inch on a 180 dpi TM-T88 = 30 dots)
constexpr std::size_t kMaxLogLines = 1000;
constexpr std::size_t kMaxNulTerminated = 255;
/// GS 8 L declares up to 4 GB; a full-width graphic of 20,000 rows is 1.44 MB, so more is not a picture.
constexpr std::size_t kMaxGraphicsBytes = 4U * 1024U * 1024U;

struct FontCell {
    int width;
    int height;
};
constexpr FontCell kFontA{12, 24};
constexpr FontCell kFontB{9, 17};

/// Print modes set by ESC/GS commands; ESC @ restores these defaults.
struct Modes {
    bool fontB = false;
    bool bold = false;
    int underline = 0;  ///< 0, 1 or 2 dots
    bool reverse = false;
    int widthMul = 1;
    int heightMul = 1;
    Align align = Align::Left;
    int lineSpacing = kDefaultLineSpacing;
    int rightSpacing = 0;
    std::uint8_t codePage = 0;
    int barcodeHeight = 162;
    int barcodeModule = 3;
    int hriPosition = 0;  ///< 0 none, 1 above, 2 below, 3 both
    bool hriFontB = false;
    int qrModule = 3;
    QrEcc qrEcc = QrEcc::L;
};

enum class Sink : std::uint8_t { None, Raster, BitImage, QrOrTwoD, Graphics, Skip, UserChars, NvImages };

/// Encodings for ESC t n (Epson numbering) through glibc iconv; others fall back to PC437.
const char* codePageName(std::uint8_t n) {
    switch (n) {
        case 2:
            return "CP850";
        case 3:
            return "CP860";
        case 4:
            return "CP863";
        case 5:
            return "CP865";
        case 16:
            return "CP1252";
        case 17:
            return "CP866";
        case 18:
            return "CP852";
        case 19:
            return "CP858";
        default:
            return "CP437";
    }
}

std::array<char32_t, 128> buildCodePage(const char* name) {
    std::array<char32_t, 128> table{};
    table.fill(U'?');
    iconv_t cd = ::iconv_open("UTF-32LE", name);
    if (cd == reinterpret_cast<iconv_t>(-1)) return table;
    for (std::size_t i = 0; i < 128; ++i) {
        char in = static_cast<char>(0x80 + i);
        std::array<char, 8> out{};
        char* inPtr = &in;
        char* outPtr = out.data();
        std::size_t inLeft = 1, outLeft = out.size();
        if (::iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != static_cast<std::size_t>(-1) && outLeft == 4) {
            char32_t cp = 0;
            for (int k = 3; k >= 0; --k)
                cp = (cp << 8) | static_cast<unsigned char>(out[static_cast<std::size_t>(k)]);
            table[i] = cp;
        }
        ::iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
    ::iconv_close(cd);
    return table;
}

}  // namespace

struct VirtualPrinter::Impl {
    Options options;
    TextRaster font;
    mutable std::mutex mutex;

    PaperLevel paper = PaperLevel::Ok;
    bool coverOpen = false;
    std::optional<int> paperLimit;

    std::deque<Job> jobs;  ///< the most recent options.keepJobs
    std::size_t jobTotal = 0;
    std::vector<std::string> log;
    int nextFile = 1;

    Modes modes;
    Bitmap page;
    bool pageDirty = false;
    bool complete = true;
    bool dropLogged = false;

    struct Placed {
        int x;
        Bitmap ink;
    };
    std::vector<Placed> line;
    int lineX = 0;

    std::vector<std::uint8_t> pending;
    Sink sink = Sink::None;
    std::size_t sinkLeft = 0;
    std::vector<std::uint8_t> collected;
    std::vector<std::uint8_t> answers;
    // GS v 0 in progress
    int rasterBytesPerRow = 0, rasterScaleX = 1, rasterScaleY = 1, rasterLeft = 0;
    // ESC * in progress
    int bitImageMode = 0;
    // ESC & / FS q in progress
    int userCharsLeft = 0, userCharHeight = 0;
    int nvImagesLeft = 0;

    std::string qrData;
    Bitmap graphics;  ///< GS ( L / GS 8 L graphics stored in the print buffer, printed by fn 50
    std::map<std::uint8_t, std::array<char32_t, 128>> codePages;
    std::map<std::tuple<char32_t, bool, bool>, Bitmap> glyphs;

    Impl(Options o, TextRaster f) : options(std::move(o)), font(std::move(f)), page(options.widthDots, 0) {}

    void note(std::string text) {
        if (log.size() < kMaxLogLines) log.push_back(std::move(text));
    }

    // ---- paper ----------------------------------------------------------------------------------

    /// Adds `dots` rows to the page for something to print; nullopt when it cannot be printed.
    std::optional<int> reserve(int dots) {
        if (dots <= 0) return page.height();
        const char* why = nullptr;
        if (coverOpen)
            why = "cover open";
        else if (paper == PaperLevel::Out)
            why = "paper out";
        else if (page.height() + dots > kMaxPageDots)
            why = "page longer than the printer's limit";
        else if (paperLimit && *paperLimit < dots) {
            paper = PaperLevel::Out;
            paperLimit = 0;
            why = "paper ran out";
        }
        if (why != nullptr) {
            complete = false;
            pageDirty = true;
            if (!dropLogged) note(fmt::format("printing stopped ({}): the rest of the job is dropped", why));
            dropLogged = true;
            return std::nullopt;
        }
        if (paperLimit) *paperLimit -= dots;
        const int top = page.height();
        page.resizeHeight(top + dots);
        pageDirty = true;
        return top;
    }

    int alignedX(int contentWidth) const {
        const int room = options.widthDots - contentWidth;
        if (room <= 0) return 0;
        if (modes.align == Align::Center) return room / 2;
        if (modes.align == Align::Right) return room;
        return 0;
    }

    void printImage(const Bitmap& image) {
        if (image.empty()) return;
        if (auto top = reserve(image.height())) page.draw(image, alignedX(image.width()), *top);
    }

    // ---- text -----------------------------------------------------------------------------------

    char32_t decodeByte(std::uint8_t b) {
        if (b < 0x80) return b;
        auto it = codePages.find(modes.codePage);
        if (it == codePages.end())
            it = codePages.emplace(modes.codePage, buildCodePage(codePageName(modes.codePage))).first;
        return it->second[b - 0x80U];
    }

    void addChar(std::uint8_t b) {
        const FontCell cell = modes.fontB ? kFontB : kFontA;
        const char32_t cp = decodeByte(b);
        const auto key = std::tuple{cp, modes.fontB, modes.bold};
        auto it = glyphs.find(key);
        if (it == glyphs.end())
            it = glyphs.emplace(key, font.renderCell(cp, cell.width, cell.height, modes.bold)).first;
        Bitmap ink = it->second.scaled(modes.widthMul, modes.heightMul);
        const int advance = ink.width() + modes.rightSpacing * modes.widthMul;
        Bitmap placed(advance, ink.height());
        placed.draw(ink, 0, 0);
        if (modes.underline > 0)
            placed.fillRect(0, placed.height() - modes.underline, advance, modes.underline);
        if (modes.reverse) {
            for (int y = 0; y < placed.height(); ++y)
                for (int x = 0; x < placed.width(); ++x) placed.set(x, y, !placed.at(x, y));
        }
        if (lineX + advance > options.widthDots) printLine(false);
        line.push_back({lineX, std::move(placed)});
        lineX += advance;
    }

    void tab() {
        const int step = (modes.fontB ? kFontB.width : kFontA.width) * 8;
        const int next = (lineX / step + 1) * step;
        lineX = std::min(next, options.widthDots);
    }

    /// Prints the line buffer. `lineFeed`: LF semantics (an empty line still feeds one line).
    void printLine(bool lineFeed) {
        if (line.empty()) {
            if (lineFeed) (void)reserve(modes.lineSpacing);
            lineX = 0;
            return;
        }
        int height = 0;
        for (const auto& p : line) height = std::max(height, p.ink.height());
        const int advance = std::max(height, modes.lineSpacing);
        const int offset = alignedX(lineX);
        if (auto top = reserve(advance))
            for (const auto& p : line) page.draw(p.ink, offset + p.x, *top + height - p.ink.height());
        line.clear();
        lineX = 0;
    }

    void feedDots(int dots) {
        printLine(false);
        (void)reserve(dots);
    }

    void finishJob() {
        printLine(false);
        if (!pageDirty) return;
        Job job;
        job.page = std::move(page);
        if (job.page.height() == 0) job.page.resizeHeight(1);
        job.complete = complete;
        if (!options.outputDir.empty()) {
            std::filesystem::path file;
            do {
                file = options.outputDir / fmt::format("job-{:04}.png", nextFile++);
            } while (std::filesystem::exists(file));
            if (auto saved = savePng(job.page, file); saved) {
                job.file = file;
                note(fmt::format("job {} written: {} ({}x{} dots{})", jobTotal + 1, file.string(),
                                 job.page.width(), job.page.height(), complete ? "" : ", incomplete"));
            } else {
                note(saved.error());
            }
        }
        jobs.push_back(std::move(job));
        ++jobTotal;
        while (jobs.size() > std::max<std::size_t>(options.keepJobs, 1)) jobs.pop_front();
        page = Bitmap(options.widthDots, 0);
        pageDirty = false;
        complete = true;
        dropLogged = false;
    }

    // ---- status ---------------------------------------------------------------------------------

    std::uint8_t statusByte(std::uint8_t n) const {
        const bool out = paper == PaperLevel::Out;
        std::uint8_t b = 0x12;
        switch (n) {
            case 1:
                if (out || coverOpen) b |= 0x08;
                break;
            case 2:
                if (coverOpen) b |= 0x04;
                if (out) b |= 0x20;
                break;
            case 4:
                if (paper != PaperLevel::Ok) b |= 0x0C;
                if (out) b |= 0x60;
                break;
            default:
                break;
        }
        return b;
    }

    // ---- barcodes and 2-D codes -----------------------------------------------------------------

    Bitmap hriText(const std::string& text) {
        const FontCell cell = modes.hriFontB ? kFontB : kFontA;
        Bitmap out(static_cast<int>(text.size()) * cell.width, cell.height);
        int x = 0;
        for (char c : text) {
            out.draw(font.renderCell(static_cast<unsigned char>(c), cell.width, cell.height, false), x, 0);
            x += cell.width;
        }
        return out;
    }

    void printBarcode(std::uint8_t type, std::string_view data) {
        printLine(false);
        std::expected<barcode::Symbol, std::string> symbol = std::unexpected(std::string());
        switch (type) {
            case 0:
            case 65:
                symbol = barcode::ean13("0" + std::string(data.substr(0, 11)));
                break;  // UPC-A
            case 2:
            case 67:
                symbol = barcode::ean13(data);
                break;
            case 4:
            case 69:
                symbol = barcode::code39(data);
                break;
            case 73:
                symbol = barcode::code128(data);
                break;
            default:
                note(fmt::format("GS k: barcode type {} not rendered (CODE39, CODE128, EAN13, UPC-A are)",
                                 type));
                return;
        }
        if (!symbol) {
            note(fmt::format("GS k: {}", symbol.error()));
            return;
        }
        int modules = 0;
        for (int w : symbol->widths) modules += w;
        const int quiet = 10;  // modules of white either side, as the printer leaves
        Bitmap bars((modules + 2 * quiet) * modes.barcodeModule, modes.barcodeHeight);
        int x = quiet * modes.barcodeModule;
        for (std::size_t i = 0; i < symbol->widths.size(); ++i) {
            const int w = symbol->widths[i] * modes.barcodeModule;
            if (i % 2 == 0) bars.fillRect(x, 0, w, bars.height());
            x += w;
        }
        if (bars.width() > options.widthDots) {
            note(fmt::format("GS k: barcode {} dots wide does not fit the paper; not printed", bars.width()));
            return;
        }
        if (modes.hriPosition == 1 || modes.hriPosition == 3)
            printCentred(hriText(symbol->text), bars.width());
        printImage(bars);
        if (modes.hriPosition == 2 || modes.hriPosition == 3)
            printCentred(hriText(symbol->text), bars.width());
    }

    void printCentred(const Bitmap& text, int width) {
        Bitmap box(std::max(width, text.width()), text.height());
        box.draw(text, (box.width() - text.width()) / 2, 0);
        printImage(box);
    }

    void twoDimensional(const std::vector<std::uint8_t>& params) {
        if (params.size() < 2) {
            note("GS ( k: too short");
            return;
        }
        const std::uint8_t cn = params[0], fn = params[1];
        if (cn != 49) {
            note(fmt::format(
                "GS ( k: symbol cn={} (PDF417, MaxiCode, DataBar, Aztec or DataMatrix) not rendered", cn));
            return;
        }
        switch (fn) {
            case 65:
                break;  // QR model: model 2 is what every reader wants; accepted and ignored
            case 67:
                if (params.size() >= 3 && params[2] >= 1 && params[2] <= 16) modes.qrModule = params[2];
                break;
            case 69:
                if (params.size() >= 3 && params[2] >= 48 && params[2] <= 51)
                    modes.qrEcc = static_cast<QrEcc>(params[2] - 48);
                break;
            case 80:
                qrData.assign(
                    params.begin() + std::min<std::ptrdiff_t>(3, static_cast<std::ptrdiff_t>(params.size())),
                    params.end());
                break;
            case 81: {
                printLine(false);
                auto qr = renderQr(qrData, modes.qrModule, modes.qrEcc);
                if (!qr)
                    note(fmt::format("GS ( k print: {}", qr.error()));
                else if (qr->width() > options.widthDots)
                    note("GS ( k: QR wider than the paper; not printed");
                else
                    printImage(*qr);
                break;
            }
            default:
                note(fmt::format("GS ( k: QR function {} ignored", fn));
        }
    }

    /// GS ( L / GS 8 L with m = 48: fn 112 stores a raster graphic (the way Epson's own drivers send
    /// logos), fn 50 prints it. Other functions (NV graphics by key code, densities) are logged.
    void graphicsCommand(const std::vector<std::uint8_t>& params) {
        if (params.size() < 2) {
            note("GS ( L: too short");
            return;
        }
        const std::uint8_t fn = params[1];
        if (fn == 112 && params.size() >= 10) {
            const int scaleX = params[3] == 2 ? 2 : 1, scaleY = params[4] == 2 ? 2 : 1;
            const int width = params[6] + params[7] * 256, height = params[8] + params[9] * 256;
            const std::size_t bytesPerRow = static_cast<std::size_t>((width + 7) / 8);
            if (params[2] != 48 || params[5] != 49) {
                note("GS ( L: only monochrome raster graphics (a=48, colour 1) are rendered");
                return;
            }
            if (params.size() - 10 < bytesPerRow * static_cast<std::size_t>(height) ||
                width * scaleX > options.widthDots) {
                note(fmt::format("GS ( L: graphic {}x{} does not fit its data or the paper; ignored", width,
                                 height));
                return;
            }
            Bitmap image(width, height);
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    if ((params[10 + static_cast<std::size_t>(y) * bytesPerRow +
                                static_cast<std::size_t>(x / 8)] &
                         (0x80U >> (x % 8))) != 0)
                        image.set(x, y);
            graphics = image.scaled(scaleX, scaleY);
        } else if (fn == 50 || fn == 2) {
            printLine(false);
            printImage(graphics);
            graphics = Bitmap();
        } else {
            note(fmt::format("GS ( L: function {} not rendered", fn));
        }
    }

    void bitImage(const std::vector<std::uint8_t>& data) {
        const bool tall = bitImageMode >= 32;
        const int bytesPerColumn = tall ? 3 : 1;
        const int columns = static_cast<int>(data.size()) / bytesPerColumn;
        // Dot sizes at 203 dpi: single density doubles each column; 8-dot modes triple each row.
        const int scaleX = (bitImageMode == 0 || bitImageMode == 32) ? 2 : 1;
        const int scaleY = tall ? 1 : 3;
        Bitmap image(columns, bytesPerColumn * 8);
        for (int c = 0; c < columns; ++c)
            for (int k = 0; k < bytesPerColumn; ++k) {
                const std::uint8_t byte = data[static_cast<std::size_t>(c * bytesPerColumn + k)];
                for (int bitIndex = 0; bitIndex < 8; ++bitIndex)
                    if ((byte & (0x80U >> bitIndex)) != 0) image.set(c, k * 8 + bitIndex);
            }
        Bitmap scaledImage = image.scaled(scaleX, scaleY);
        if (lineX + scaledImage.width() > options.widthDots) {
            Bitmap clipped(options.widthDots - lineX, scaledImage.height());
            clipped.draw(scaledImage, 0, 0);
            scaledImage = std::move(clipped);
        }
        const int w = scaledImage.width();
        line.push_back({lineX, std::move(scaledImage)});
        lineX += w;
    }

    // ---- parser ---------------------------------------------------------------------------------

    void resetModes() { modes = Modes{}; }

    void unknown(std::string_view what, const std::uint8_t* p, std::size_t n) {
        std::string hex;
        for (std::size_t i = 0; i < std::min<std::size_t>(n, 4); ++i) hex += fmt::format(" {:02X}", p[i]);
        note(fmt::format("skipped {}:{}", what, hex));
    }

    void startSink(Sink kind, std::size_t length) {
        sink = kind;
        sinkLeft = length;
        collected.clear();
        if (length == 0 && kind != Sink::UserChars && kind != Sink::NvImages) finishSink();
    }

    void finishSink() {
        const Sink done = sink;
        sink = Sink::None;
        if (done == Sink::BitImage) bitImage(collected);
        if (done == Sink::QrOrTwoD) twoDimensional(collected);
        if (done == Sink::Graphics) graphicsCommand(collected);
        collected.clear();
    }

    /// Feeds data to the active sink; returns the bytes used.
    std::size_t feedSink(const std::uint8_t* p, std::size_t n) {
        switch (sink) {
            case Sink::Raster: {
                const std::size_t rowBytes = static_cast<std::size_t>(rasterBytesPerRow);
                std::size_t used = 0;
                while (used < n && sinkLeft > 0) {
                    const std::size_t take = std::min({n - used, sinkLeft, rowBytes - collected.size()});
                    collected.insert(collected.end(), p + used, p + used + take);
                    used += take;
                    sinkLeft -= take;
                    if (collected.size() == rowBytes) {
                        if (auto top = reserve(rasterScaleY)) {
                            for (std::size_t i = 0; i < rowBytes; ++i) {
                                const std::uint8_t byte = collected[i];
                                if (byte == 0) continue;
                                for (int bitIndex = 0; bitIndex < 8; ++bitIndex)
                                    if ((byte & (0x80U >> bitIndex)) != 0)
                                        page.fillRect(
                                            rasterLeft + (static_cast<int>(i) * 8 + bitIndex) * rasterScaleX,
                                            *top, rasterScaleX, rasterScaleY);
                            }
                        }
                        collected.clear();
                    }
                }
                if (sinkLeft == 0) sink = Sink::None;
                return used;
            }
            case Sink::UserChars:
            case Sink::NvImages:
                return feedDefinitions(p, n);
            case Sink::Skip: {
                const std::size_t take = std::min(n, sinkLeft);
                sinkLeft -= take;
                if (sinkLeft == 0) sink = Sink::None;
                return take;
            }
            default: {
                const std::size_t take = std::min(n, sinkLeft);
                collected.insert(collected.end(), p, p + take);
                sinkLeft -= take;
                if (sinkLeft == 0) finishSink();
                return take;
            }
        }
    }

    /// ESC & (user-defined characters) and FS q (NV bit images) carry a list of variable-size
    /// definitions; they are skipped definition by definition.
    std::size_t feedDefinitions(const std::uint8_t* p, std::size_t n) {
        std::size_t used = 0;
        while (used < n) {
            if (sinkLeft > 0) {
                const std::size_t take = std::min(n - used, sinkLeft);
                used += take;
                sinkLeft -= take;
                continue;
            }
            if (sink == Sink::UserChars) {
                if (userCharsLeft == 0) break;
                sinkLeft = static_cast<std::size_t>(userCharHeight) * p[used];  // x columns of y bytes
                ++used;
                --userCharsLeft;
            } else {
                if (nvImagesLeft == 0) break;
                collected.push_back(p[used++]);
                if (collected.size() == 4) {
                    const std::size_t x = collected[0] + collected[1] * 256U,
                                      y = collected[2] + collected[3] * 256U;
                    sinkLeft = x * y * 8;
                    collected.clear();
                    --nvImagesLeft;
                }
            }
        }
        if (sinkLeft == 0 && ((sink == Sink::UserChars && userCharsLeft == 0) ||
                              (sink == Sink::NvImages && nvImagesLeft == 0 && collected.empty())))
            sink = Sink::None;
        return used;
    }

    /// Parses one command at p; returns the bytes it used, 0 when more bytes are needed.
    std::size_t parseCommand(const std::uint8_t* p, std::size_t n) {
        const std::uint8_t b = p[0];
        if (b >= 0x20 && b != 0x7F) {
            addChar(b);
            return 1;
        }
        switch (b) {
            case escpos::kLf:
                printLine(true);
                return 1;
            case 0x09:
                tab();
                return 1;
            case escpos::kDle:
                return parseDle(p, n);
            case escpos::kEsc:
                return parseEsc(p, n);
            case escpos::kGs:
                return parseGs(p, n);
            case kFs:
                return parseFs(p, n);
            default:
                return 1;  // CR, FF, CAN, NUL and other controls: nothing to print in standard mode
        }
    }

    std::size_t parseDle(const std::uint8_t* p, std::size_t n) {
        if (n < 2) return 0;
        if (p[1] == escpos::kEot || p[1] == 0x05) {
            if (n < 3) return 0;
            if (p[1] == escpos::kEot && p[2] >= 1 && p[2] <= 4)
                answers.push_back(statusByte(p[2]));
            else if (p[1] == escpos::kEot)
                unknown("DLE EOT with bad n", p, 3);
            return 3;
        }
        if (p[1] == 0x14) {  // DLE DC4 fn …: pulse, power-off, clear buffer — all 5 bytes but fn 8 (10)
            if (n < 3) return 0;
            const std::size_t len = p[2] == 8 ? 10 : 5;
            if (n < len) return 0;
            unknown("DLE DC4", p, len);
            return len;
        }
        return 1;  // a lone DLE is a control character without meaning
    }

    std::size_t parseEsc(const std::uint8_t* p, std::size_t n) {
        if (n < 2) return 0;
        const std::uint8_t c = p[1];
        auto need = [&](std::size_t len) { return n >= len; };
        switch (c) {
            case '@':
                printLine(false);
                resetModes();
                return 2;
            case '2':
                modes.lineSpacing = kDefaultLineSpacing;
                return 2;
            case 'i':
            case 'm':
                finishJob();
                return 2;
            case 'L':
            case 'S':
            case '<':
                return 2;
            case '!':
            case 'E':
            case 'G':
            case '-':
            case 'a':
            case 'd':
            case 'J':
            case '3':
            case 'M':
            case 't':
            case 'R':
            case ' ':
            case '{':
            case 'V':
            case 'r':
            case '=':
            case '%':
            case '?':
            case 'T':
            case 'e':
            case 'K':
            case 'U':
            case 'u':
            case 'I':
            case 'v':
            case 'y': {
                if (!need(3)) return 0;
                const std::uint8_t v = p[2];
                switch (c) {
                    case '!':
                        modes.fontB = (v & 0x01U) != 0;
                        modes.bold = (v & 0x08U) != 0;
                        modes.heightMul = (v & 0x10U) != 0 ? 2 : 1;
                        modes.widthMul = (v & 0x20U) != 0 ? 2 : 1;
                        modes.underline = (v & 0x80U) != 0 ? 1 : 0;
                        break;
                    case 'E':
                    case 'G':
                        modes.bold = (v & 1U) != 0;
                        break;
                    case '-':
                        modes.underline = (v == 1 || v == '1') ? 1 : (v == 2 || v == '2') ? 2 : 0;
                        break;
                    case 'a':
                        if (v <= 2 || (v >= '0' && v <= '2')) modes.align = static_cast<Align>(v % 48);
                        break;
                    case 'd':
                        // Prints the buffer and feeds n lines; n = 0 prints without feeding.
                        if (v == 0) printLine(false);
                        for (int i = 0; i < v; ++i) printLine(true);
                        break;
                    case 'J':
                        feedDots(v);
                        break;
                    case '3':
                        modes.lineSpacing = v;
                        break;
                    case 'M':
                        modes.fontB = (v == 1 || v == '1');
                        break;
                    case 't':
                        modes.codePage = v;
                        break;
                    case ' ':
                        modes.rightSpacing = v;
                        break;
                    case 'e':
                    case 'K':
                        note("skipped reverse feed (ESC e / ESC K): paper cannot go back");
                        break;
                    default:
                        break;  // accepted, no effect on a rendered page (direction, colour, sensors …)
                }
                return 3;
            }
            case '$':
            case '\\': {
                if (!need(4)) return 0;
                const int v = p[2] + p[3] * 256;
                const int x = c == '$' ? v : lineX + static_cast<std::int16_t>(v);
                if (x >= 0 && x < options.widthDots) lineX = x;
                return 4;
            }
            case 'c':
                return need(4) ? 4 : 0;
            case 'p':
                return need(5) ? 5 : 0;
            case 'W':
                return need(10) ? 10 : 0;
            case 'D': {
                const auto* end = std::find(p + 2, p + std::min(n, kMaxNulTerminated + 3), 0);
                if (end == p + std::min(n, kMaxNulTerminated + 3)) {
                    if (n < kMaxNulTerminated + 3) return 0;
                    unknown("ESC D without NUL", p, 4);
                    return kMaxNulTerminated + 3;
                }
                return static_cast<std::size_t>(end - p) + 1;
            }
            case '*': {
                if (!need(5)) return 0;
                const int m = p[2];
                const std::size_t columns = p[3] + p[4] * 256U;
                if (m != 0 && m != 1 && m != 32 && m != 33) {
                    unknown("ESC * with bad mode", p, 5);
                    startSink(Sink::Skip, columns * (m >= 32 ? 3U : 1U));
                    return 5;
                }
                bitImageMode = m;
                startSink(Sink::BitImage, columns * (m >= 32 ? 3U : 1U));
                return 5;
            }
            case '&': {
                if (!need(5)) return 0;
                userCharHeight = p[2];
                userCharsLeft = p[4] >= p[3] ? p[4] - p[3] + 1 : 0;
                unknown("ESC & (user-defined characters)", p, 5);
                if (userCharsLeft > 0) startSink(Sink::UserChars, 0);
                return 5;
            }
            default:
                unknown("unknown ESC command", p, 2);
                return 2;
        }
    }

    std::size_t parseGs(const std::uint8_t* p, std::size_t n) {
        if (n < 2) return 0;
        const std::uint8_t c = p[1];
        switch (c) {
            case '!':
            case 'B':
            case 'H':
            case 'f':
            case 'h':
            case 'w':
            case 'a':
            case 'b':
            case 'I':
            case 'r':
            case 'T':
            case '/':
            case 'E':
            case 'g':
            case 'j': {
                if (n < 3) return 0;
                const std::uint8_t v = p[2];
                switch (c) {
                    case '!':
                        modes.widthMul = std::min((v >> 4) + 1, 8);
                        modes.heightMul = std::min((v & 0x0F) + 1, 8);
                        break;
                    case 'B':
                        modes.reverse = (v & 1U) != 0;
                        break;
                    case 'H':
                        modes.hriPosition = v % 48 <= 3 ? v % 48 : 0;
                        break;
                    case 'f':
                        modes.hriFontB = v == 1 || v == '1';
                        break;
                    case 'h':
                        if (v > 0) modes.barcodeHeight = v;
                        break;
                    case 'w':
                        if (v >= 1 && v <= 6) modes.barcodeModule = v;
                        break;
                    case 'r':
                        if (v == 1 || v == 49)
                            answers.push_back(
                                static_cast<std::uint8_t>((paper != PaperLevel::Ok ? 0x03 : 0) |
                                                          (paper == PaperLevel::Out ? 0x0C : 0)));
                        else if (v == 2 || v == 50)
                            answers.push_back(0);
                        break;
                    case 'I':
                        // Model ID / type / ROM of a TM-T88-class printer; answered so drivers that
                        // identify the printer first carry on.
                        if (v == 1 || v == 49)
                            answers.push_back(0x20);
                        else if (v == 2 || v == 50)
                            answers.push_back(0x02);
                        else if (v == 3 || v == 51)
                            answers.push_back(0x01);
                        else
                            unknown("GS I (extended printer information)", p, 3);
                        break;
                    case '/':
                        unknown("GS / (downloaded bit image)", p, 3);
                        break;
                    default:
                        break;
                }
                return 3;
            }
            case 'L':
            case 'W':
            case 'P':
            case '$':
            case '\\':
                return n >= 4 ? 4 : 0;
            case ':':
                return 2;
            case '^':
                return n >= 5 ? 5 : 0;
            case 'V': {
                if (n < 3) return 0;
                const std::uint8_t m = p[2];
                std::size_t len = 3;
                if (m == 65 || m == 66 || m == 97 || m == 98 || m == 103 || m == 104)
                    len = 4;
                else if (m != 0 && m != 1 && m != 48 && m != 49)
                    unknown("GS V with unknown mode", p, 3);
                if (n < len) return 0;
                finishJob();
                return len;
            }
            case 'v': {
                if (n < 8) return 0;
                if (p[2] != '0') {
                    unknown("GS v (not v 0)", p, 3);
                    return 3;
                }
                const int m = p[3] % 48;
                const int bytesPerRow = p[4] + p[5] * 256;
                const int rows = p[6] + p[7] * 256;
                printLine(false);
                rasterScaleX = (m == 1 || m == 3) ? 2 : 1;
                rasterScaleY = (m == 2 || m == 3) ? 2 : 1;
                rasterBytesPerRow = bytesPerRow;
                rasterLeft = alignedX(bytesPerRow * 8 * rasterScaleX);
                if (bytesPerRow * 8 * rasterScaleX > options.widthDots)
                    note(fmt::format("GS v 0: image {} dots wide clipped to the paper",
                                     bytesPerRow * 8 * rasterScaleX));
                if (bytesPerRow == 0 || rows == 0) return 8;
                startSink(Sink::Raster,
                          static_cast<std::size_t>(bytesPerRow) * static_cast<std::size_t>(rows));
                return 8;
            }
            case 'k': {
                if (n < 3) return 0;
                const std::uint8_t m = p[2];
                if (m <= 6) {
                    const std::size_t limit = std::min(n, kMaxNulTerminated + 3);
                    const auto* end = std::find(p + 3, p + limit, 0);
                    if (end == p + limit && n < kMaxNulTerminated + 3) return 0;
                    printBarcode(m, std::string_view(reinterpret_cast<const char*>(p + 3),
                                                     static_cast<std::size_t>(end - (p + 3))));
                    return static_cast<std::size_t>(end - p) + (end == p + limit ? 0 : 1);
                }
                if (m >= 65 && m <= 79) {
                    if (n < 4) return 0;
                    const std::size_t len = p[3];
                    if (n < 4 + len) return 0;
                    printBarcode(m, std::string_view(reinterpret_cast<const char*>(p + 4), len));
                    return 4 + len;
                }
                unknown("GS k with unknown type", p, 3);
                return 3;
            }
            case '(': {
                if (n < 5) return 0;
                const std::size_t len = p[3] + p[4] * 256U;
                if (p[2] == 'k') {
                    startSink(Sink::QrOrTwoD, len);
                } else if (p[2] == 'L') {
                    startSink(Sink::Graphics, len);
                } else {
                    unknown(fmt::format("GS ( {} ({} bytes)",
                                        static_cast<char>(p[2] >= 0x20 && p[2] < 0x7F ? p[2] : '?'), len),
                            p, 5);
                    startSink(Sink::Skip, len);
                }
                return 5;
            }
            case '8': {
                if (n < 7) return 0;
                const std::size_t len = p[3] + (static_cast<std::size_t>(p[4]) << 8U) +
                                        (static_cast<std::size_t>(p[5]) << 16U) +
                                        (static_cast<std::size_t>(p[6]) << 24U);
                if (p[2] != 'L' || len > kMaxGraphicsBytes) {
                    unknown("GS 8 (not L, or larger than any page)", p, 7);
                    startSink(Sink::Skip, len);
                } else {
                    startSink(Sink::Graphics, len);
                }
                return 7;
            }
            case '*': {
                if (n < 4) return 0;
                unknown("GS * (define downloaded bit image)", p, 4);
                startSink(Sink::Skip, static_cast<std::size_t>(p[2]) * p[3] * 8U);
                return 4;
            }
            default:
                unknown("unknown GS command", p, 2);
                return 2;
        }
    }

    std::size_t parseFs(const std::uint8_t* p, std::size_t n) {
        if (n < 2) return 0;
        switch (p[1]) {
            case '&':
            case '.':
                return 2;
            case '!':
            case '-':
            case 'C':
            case 'W':
                return n >= 3 ? 3 : 0;
            case 'S':
                return n >= 4 ? 4 : 0;
            case 'p':
                if (n < 4) return 0;
                unknown("FS p (NV bit image)", p, 4);
                return 4;
            case '2':
                if (n < 4) return 0;
                unknown("FS 2 (user-defined Kanji)", p, 4);
                startSink(Sink::Skip, 72);
                return 4;
            case 'q':
                if (n < 3) return 0;
                unknown("FS q (define NV bit images)", p, 3);
                nvImagesLeft = p[2];
                if (nvImagesLeft > 0) startSink(Sink::NvImages, 0);
                return 3;
            default:
                unknown("unknown FS command", p, 2);
                return 2;
        }
    }

    void consume(std::span<const std::uint8_t> bytes) {
        pending.insert(pending.end(), bytes.begin(), bytes.end());
        std::size_t pos = 0;
        while (pos < pending.size()) {
            const std::size_t used = sink != Sink::None
                                         ? feedSink(pending.data() + pos, pending.size() - pos)
                                         : parseCommand(pending.data() + pos, pending.size() - pos);
            if (used == 0) break;
            pos += used;
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(pos));
    }

    void streamEnded() {
        if (!pending.empty() || sink != Sink::None) {
            note(fmt::format("stream ended inside a command ({} bytes pending): dropped", pending.size()));
            complete = complete && sink == Sink::None;
        }
        pending.clear();
        sink = Sink::None;
        sinkLeft = 0;
        collected.clear();
        finishJob();
    }
};

VirtualPrinter::VirtualPrinter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
VirtualPrinter::~VirtualPrinter() = default;

std::expected<std::unique_ptr<VirtualPrinter>, std::string> VirtualPrinter::create(Options options) {
    if (options.widthDots != kPaper58mmDots && options.widthDots != kPaper80mmDots)
        return std::unexpected(
            fmt::format("virtual printer: width {} dots; use 384 (58 mm) or 576 (80 mm)", options.widthDots));
    if (!options.outputDir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(options.outputDir, ec);
        if (ec || !std::filesystem::is_directory(options.outputDir))
            return std::unexpected(fmt::format("virtual printer: cannot use output dir {}: {}",
                                               options.outputDir.string(),
                                               ec ? ec.message() : "not a directory"));
    }
    auto font = TextRaster::openNoto();
    if (!font) return std::unexpected(font.error());
    return std::unique_ptr<VirtualPrinter>(
        new VirtualPrinter(std::make_unique<Impl>(std::move(options), std::move(*font))));
}

std::vector<std::uint8_t> VirtualPrinter::receive(std::span<const std::uint8_t> bytes) {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->consume(bytes);
    return std::exchange(m_impl->answers, {});
}

void VirtualPrinter::endOfStream() {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->streamEnded();
}

void VirtualPrinter::setPaper(PaperLevel level) {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->paper = level;
    // A new roll is endless again; the near-end sensor only clears a limit that has run out.
    if (level == PaperLevel::Ok || (level == PaperLevel::NearEnd && m_impl->paperLimit == 0))
        m_impl->paperLimit.reset();
}

void VirtualPrinter::setCoverOpen(bool open) {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->coverOpen = open;
}

void VirtualPrinter::setPaperLimit(std::optional<int> dots) {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->paperLimit = dots;
}

PrinterStatus VirtualPrinter::state() const {
    const std::lock_guard lock(m_impl->mutex);
    return escpos::parseStatus(
        {m_impl->statusByte(1), m_impl->statusByte(2), m_impl->statusByte(3), m_impl->statusByte(4)});
}

std::vector<VirtualPrinter::Job> VirtualPrinter::jobs() const {
    const std::lock_guard lock(m_impl->mutex);
    return {m_impl->jobs.begin(), m_impl->jobs.end()};
}

std::size_t VirtualPrinter::jobCount() const {
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->jobTotal;
}

std::vector<std::string> VirtualPrinter::log() const {
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->log;
}

std::vector<std::string> VirtualPrinter::takeLog() {
    const std::lock_guard lock(m_impl->mutex);
    return std::exchange(m_impl->log, {});
}

std::expected<std::vector<VirtualPrinter::Job>, std::string> renderEscPos(
    std::span<const std::uint8_t> stream, int widthDots, std::vector<std::string>* log) {
    auto printer = VirtualPrinter::create({widthDots, {}, std::numeric_limits<std::size_t>::max()});
    if (!printer) return std::unexpected(printer.error());
    (void)(*printer)->receive(stream);
    (*printer)->endOfStream();
    if (log != nullptr) *log = (*printer)->log();
    return (*printer)->jobs();
}

}  // namespace hal

namespace hal {

namespace {

class VirtualTransport final : public PrinterTransport {
  public:
    explicit VirtualTransport(std::shared_ptr<VirtualPrinter> printer) : m_printer(std::move(printer)) {}
    ~VirtualTransport() override { m_printer->endOfStream(); }
    VirtualTransport(const VirtualTransport&) = delete;
    VirtualTransport& operator=(const VirtualTransport&) = delete;

    std::expected<void, std::string> write(std::span<const std::uint8_t> bytes) override {
        const auto answer = m_printer->receive(bytes);
        m_answers.insert(m_answers.end(), answer.begin(), answer.end());
        return {};
    }
    std::expected<std::size_t, std::string> read(std::span<std::uint8_t> into,
                                                 std::chrono::milliseconds) override {
        // The printer answers synchronously inside write(): nothing later will come.
        const std::size_t n = std::min(into.size(), m_answers.size());
        std::copy_n(m_answers.begin(), n, into.begin());
        m_answers.erase(m_answers.begin(), m_answers.begin() + static_cast<std::ptrdiff_t>(n));
        return n;
    }
    std::string describe() const override { return "virtual printer"; }

  private:
    std::shared_ptr<VirtualPrinter> m_printer;
    std::vector<std::uint8_t> m_answers;
};

}  // namespace

std::unique_ptr<PrinterTransport> openVirtualTransport(std::shared_ptr<VirtualPrinter> printer) {
    return std::make_unique<VirtualTransport>(std::move(printer));
}

}  // namespace hal
