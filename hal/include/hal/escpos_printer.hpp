#pragma once
// EscPosPrinter — a ReceiptPrinter for ESC/POS printers (Epson TM-T20/TM-T88 and compatibles) over
// any PrinterTransport: USB (/dev/usb/lp*), serial, TCP 9100, or the in-process virtual printer.
//
// What it sends (docs/escpos.md): ESC @, the job as GS v 0 raster bands, ESC J feeds, GS V cut; status
// via DLE EOT 1-4 (GS r 1 for the paper sensor when DLE EOT 4 goes unanswered). Text is never sent as
// text: jobs are dots (see PrintJob, TextRaster).
//
// Each status() / print() opens the transport, works, and closes it again, so the printer is free for
// others between jobs and a printer that was power-cycled is found again. Between raster bands
// print() asks for the status, so paper running out or the cover opening mid-job is reported as
// Interrupted instead of a silent half receipt.
//
// Threads and blocking: see ReceiptPrinter (one caller at a time, blocks up to the timeouts).

#include <chrono>
#include <functional>
#include <optional>
#include <span>

#include "hal/printer_transport.hpp"
#include "hal/receipt_printer.hpp"

namespace hal {

class EscPosPrinter final : public ReceiptPrinter {
  public:
    /// Opens a fresh link to the printer; called once per operation.
    using Connector = std::function<TransportResult()>;

    struct Options {
        int widthDots = kPaper80mmDots;
        /// false for links without a back channel (a capture file, a one-way USB adapter): status()
        /// then reports "online" without asking and print() cannot see paper or cover problems.
        bool queryStatus = true;
        /// How long to wait for each DLE EOT answer before calling the printer offline.
        std::chrono::milliseconds statusTimeout{1500};
    };

    EscPosPrinter(Connector connector, Options options);

    [[nodiscard]] PrinterStatus status() override;
    [[nodiscard]] std::expected<void, PrintError> print(const PrintJob& job) override;
    [[nodiscard]] int widthDots() const override { return m_options.widthDots; }

  private:
    [[nodiscard]] PrinterStatus queryStatus(PrinterTransport& link) const;
    /// Sends `query` and waits for one byte `isAnswer` accepts; nullopt when none came in time.
    [[nodiscard]] std::expected<std::optional<std::uint8_t>, std::string> ask(
        PrinterTransport& link, std::span<const std::uint8_t> query, bool (*isAnswer)(std::uint8_t)) const;

    Connector m_connector;
    Options m_options;
};

}  // namespace hal
