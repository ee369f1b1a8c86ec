#include "hal/escpos_printer.hpp"

#include <fmt/core.h>

#include <array>

#include "hal/escpos.hpp"

namespace hal {

namespace {

/// What staff should do about a status that stops printing.
std::string notReadyMessage(const PrinterStatus& status) {
    if (!status.online && !status.error.empty()) return status.error;
    if (status.coverOpen) return "printer cover is open: close it";
    if (status.paper == PaperLevel::Out) return "printer is out of paper: load a new roll";
    if (!status.error.empty()) return status.error;
    return "printer is offline";
}

}  // namespace

EscPosPrinter::EscPosPrinter(Connector connector, Options options)
    : m_connector(std::move(connector)), m_options(options) {}

PrinterStatus EscPosPrinter::queryStatus(PrinterTransport& link) const {
    PrinterStatus offline;
    if (!m_options.queryStatus) {
        offline.online = true;
        return offline;
    }
    std::array<std::uint8_t, 4> answers{};
    for (std::uint8_t n = 1; n <= 4; ++n) {
        if (auto sent = link.write(escpos::statusQuery(n)); !sent) {
            offline.error = sent.error();
            return offline;
        }
        // Skip anything that is not a status byte (an automatic status block, a late answer to an
        // earlier query) until the answer arrives or the timeout passes.
        bool answered = false;
        for (int attempt = 0; attempt < 8 && !answered; ++attempt) {
            std::array<std::uint8_t, 1> byte{};
            auto got = link.read(byte, m_options.statusTimeout);
            if (!got) {
                offline.error = got.error();
                return offline;
            }
            if (*got == 0) break;
            if (escpos::isStatusByte(byte[0])) {
                answers[n - 1U] = byte[0];
                answered = true;
            }
        }
        if (!answered) {
            offline.error = fmt::format("{}: no answer to a status query within {} ms; is it an ESC/POS printer, "
                                        "switched on?", link.describe(), m_options.statusTimeout.count());
            return offline;
        }
    }
    return escpos::parseStatus({answers[0], answers[1], answers[2], answers[3]});
}

PrinterStatus EscPosPrinter::status() {
    auto link = m_connector();
    if (!link) {
        PrinterStatus offline;
        offline.error = link.error();
        return offline;
    }
    return queryStatus(**link);
}

std::expected<void, PrintError> EscPosPrinter::print(const PrintJob& job) {
    if (job.widthDots() > m_options.widthDots)
        return std::unexpected(PrintError{PrintErrorKind::BadJob, {},
                                          fmt::format("job is {} dots wide, the paper only {}: build it for this "
                                                      "printer's width", job.widthDots(), m_options.widthDots)});
    auto link = m_connector();
    if (!link) {
        PrinterStatus offline;
        offline.error = link.error();
        return std::unexpected(PrintError{PrintErrorKind::NotReady, offline, link.error()});
    }
    PrinterTransport& out = **link;
    const PrinterStatus before = queryStatus(out);
    if (!before.ready()) return std::unexpected(PrintError{PrintErrorKind::NotReady, before, notReadyMessage(before)});

    const auto pieces = escpos::encode(job);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (auto sent = out.write(pieces[i]); !sent) {
            PrinterStatus lost;
            lost.error = sent.error();
            return std::unexpected(PrintError{PrintErrorKind::Interrupted, lost,
                                              fmt::format("print failed after {} of {} parts: {}", i, pieces.size(),
                                                          sent.error())});
        }
        // Check after every part but the last: the final check below covers the end.
        if (i + 1 < pieces.size() && m_options.queryStatus) {
            const PrinterStatus now = queryStatus(out);
            if (!now.ready())
                return std::unexpected(PrintError{PrintErrorKind::Interrupted, now,
                                                  fmt::format("print stopped after {} of {} parts: {}", i + 1,
                                                              pieces.size(), notReadyMessage(now))});
        }
    }
    const PrinterStatus after = queryStatus(out);
    if (!after.ready())
        return std::unexpected(PrintError{PrintErrorKind::Interrupted, after,
                                          fmt::format("print may be incomplete: {}", notReadyMessage(after))});
    return {};
}

}  // namespace hal
