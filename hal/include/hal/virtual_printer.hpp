#pragma once
// VirtualPrinter — an Epson TM-T20 / TM-T88-class ESC/POS printer in software: it parses the byte
// stream real POS software sends (not only ours), answers status queries from its state, and renders
// each job to a 1-bit page (and a PNG) at the real dot width. docs/escpos.md lists what it
// understands; unknown commands are skipped by their documented length and logged, malformed streams
// never crash it, and memory stays bounded (a page is capped at kMaxPageDots).
//
// A job ends at a cut (GS V, ESC i, ESC m) or at endOfStream() (the connection closed). The paper
// and cover can be faulted from tests (setPaper, setCoverOpen, setPaperLimit): DLE EOT / GS r answer
// accordingly, and what arrives while it cannot print is dropped, as a real printer that stopped
// would not print it either.
//
// Threads: every member may be called from any thread (one internal mutex). One byte stream at a
// time: a second host must wait for endOfStream(), as on a real printer's port 9100.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hal/bitmap.hpp"
#include "hal/printer_transport.hpp"
#include "hal/receipt_printer.hpp"

namespace hal {

class VirtualPrinter {
  public:
    /// Longest page rendered (about 2.5 m of paper); content beyond it is dropped and logged.
    static constexpr int kMaxPageDots = 20'000;

    struct Options {
        int widthDots = kPaper80mmDots;   ///< 384 (58 mm) or 576 (80 mm)
        std::filesystem::path outputDir;  ///< where job-NNNN.png go; empty = keep jobs in memory only
        /// Jobs kept in memory for jobs(); older ones live on as PNGs only, so a printer serving a
        /// demo all day does not grow without bound.
        std::size_t keepJobs = 32;
    };

    struct Job {
        Bitmap page;                 ///< what was printed, widthDots wide
        std::filesystem::path file;  ///< the PNG written, or empty
        bool complete = true;        ///< false when part was dropped (paper out, cover open, too long)
    };

    /// Loads the fonts (Noto Sans, for the built-in character fonts) and checks the output dir.
    [[nodiscard]] static std::expected<std::unique_ptr<VirtualPrinter>, std::string> create(Options options);
    ~VirtualPrinter();
    VirtualPrinter(const VirtualPrinter&) = delete;
    VirtualPrinter& operator=(const VirtualPrinter&) = delete;

    /// Bytes from the host. Returns what the printer answers (status bytes), possibly nothing.
    [[nodiscard]] std::vector<std::uint8_t> receive(std::span<const std::uint8_t> bytes);
    /// The host went away: an unfinished job is finished (rendered) and the parser reset.
    void endOfStream();

    /// PaperLevel::Ok is a new roll: it also clears setPaperLimit.
    void setPaper(PaperLevel level);
    void setCoverOpen(bool open);
    /// Paper runs out after this many more dots of feed (nullopt: endless roll). For mid-job tests.
    void setPaperLimit(std::optional<int> dots);
    /// What DLE EOT would report now.
    [[nodiscard]] PrinterStatus state() const;

    /// The most recent Options::keepJobs jobs, oldest first.
    [[nodiscard]] std::vector<Job> jobs() const;
    /// Every job finished since creation.
    [[nodiscard]] std::size_t jobCount() const;
    /// Diagnostics: unknown or unsupported commands, dropped data, files written.
    [[nodiscard]] std::vector<std::string> log() const;
    /// Moves the log out (for a server printing it as it goes).
    [[nodiscard]] std::vector<std::string> takeLog();

  private:
    struct Impl;
    explicit VirtualPrinter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Renders a captured ESC/POS stream (`kioskctl escpos render`): every job in it, one page per cut,
/// in order. Status queries in the stream are answered into the void.
[[nodiscard]] std::expected<std::vector<VirtualPrinter::Job>, std::string> renderEscPos(
    std::span<const std::uint8_t> stream, int widthDots, std::vector<std::string>* log = nullptr);

/// A PrinterTransport into an in-process virtual printer: writes go to receive(), reads return its
/// answers, and closing the transport is endOfStream(). Lets EscPosPrinter drive a VirtualPrinter
/// without sockets (the "virtual" driver, contract tests).
[[nodiscard]] std::unique_ptr<PrinterTransport> openVirtualTransport(std::shared_ptr<VirtualPrinter> printer);

}  // namespace hal
