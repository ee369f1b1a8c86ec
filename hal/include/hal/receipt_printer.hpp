#pragma once
// ReceiptPrinter — the kiosk's receipt printer role. Implementations: EscPosPrinter (USB, serial or
// TCP 9100 ESC/POS printers, and the in-process virtual printer); PrinterRegistry makes one from the
// config.
//
// Contract:
//   - status() and print() block the caller: status() for at most about two I/O timeouts (a few
//     seconds against a dead printer), print() for as long as the printer takes to accept the job.
//     Call them from the printer worker thread, never the UI thread.
//   - One caller at a time: an implementation is not synchronised (one printer, one worker).
//   - A printer out of paper or with its cover open is a *status*, not an exception. Nothing throws.
//   - print() asks for the status first and refuses to start a job it knows will fail (NotReady:
//     nothing was sent). A job that fails once started is reported as Interrupted, with what the
//     printer said (paper ran out, cover opened, connection lost).

#include <cstdint>
#include <expected>
#include <string>

#include "hal/print_job.hpp"

namespace hal {

enum class PaperLevel : std::uint8_t { Ok, NearEnd, Out };

struct PrinterStatus {
    bool online = false;  ///< connected and answering, not in an offline state
    PaperLevel paper = PaperLevel::Ok;
    bool coverOpen = false;
    std::string error;  ///< why it is unusable beyond paper/cover ("no answer from …",
                        ///< "autocutter error"); empty when none

    /// True when a job may be started: online, paper present, cover closed, no error. Paper near
    /// its end still prints (show a warning to staff).
    [[nodiscard]] bool ready() const {
        return online && paper != PaperLevel::Out && !coverOpen && error.empty();
    }
    /// One line for logs and the maintenance screen, e.g. "online, paper near end".
    [[nodiscard]] std::string describe() const;
};

enum class PrintErrorKind : std::uint8_t {
    NotReady,     ///< refused before sending anything: the status says the job would fail
    Interrupted,  ///< failed after the job started: some of it may be on paper
    BadJob,       ///< the job does not fit this printer (wider than its paper)
};

struct PrintError {
    PrintErrorKind kind = PrintErrorKind::NotReady;
    PrinterStatus status;  ///< the printer's status when the error was seen
    std::string message;   ///< what happened and what to do, for the log and staff
};

class ReceiptPrinter {
  public:
    virtual ~ReceiptPrinter() = default;

    /// Asks the printer now; a printer that does not answer is reported offline with an error text.
    [[nodiscard]] virtual PrinterStatus status() = 0;
    /// Prints the whole job and returns once the printer has accepted it and reports no error.
    [[nodiscard]] virtual std::expected<void, PrintError> print(const PrintJob& job) = 0;
    /// The paper's printable width in dots; build jobs at this width.
    [[nodiscard]] virtual int widthDots() const = 0;
};

}  // namespace hal
