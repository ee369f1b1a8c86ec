#include "hal/escpos_printer.hpp"

#include <fmt/core.h>

#include <array>
#include <optional>

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

std::expected<std::optional<std::uint8_t>, std::string> EscPosPrinter::ask(
    PrinterTransport& link, std::span<const std::uint8_t> query, bool (*isAnswer)(std::uint8_t)) const {
    if (auto sent = link.write(query); !sent) return std::unexpected(sent.error());
    // Skip anything that is not the answer (an automatic status block, a late answer to an earlier
    // query) until the answer arrives or the timeout passes.
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::array<std::uint8_t, 1> byte{};
        auto got = link.read(byte, m_options.statusTimeout);
        if (!got) return std::unexpected(got.error());
        if (*got == 0) break;
        if (isAnswer(byte[0])) return byte[0];
    }
    return std::nullopt;
}

PrinterStatus EscPosPrinter::queryStatus(PrinterTransport& link) const {
    PrinterStatus offline;
    if (!m_options.queryStatus) {
        offline.online = true;
        return offline;
    }
    const auto noAnswer = [&] {
        offline.error = fmt::format(
            "{}: no answer to a status query within {} ms; is it an ESC/POS printer, "
            "switched on?",
            link.describe(), m_options.statusTimeout.count());
        return offline;
    };
    std::array<std::uint8_t, 3> answers{};
    for (std::uint8_t n = 1; n <= 3; ++n) {
        auto answer = ask(link, escpos::statusQuery(n), escpos::isStatusByte);
        if (!answer) {
            offline.error = answer.error();
            return offline;
        }
        if (!*answer) return noAnswer();
        answers[n - 1U] = **answer;
    }
    auto paper = ask(link, escpos::statusQuery(4), escpos::isStatusByte);
    if (!paper) {
        offline.error = paper.error();
        return offline;
    }
    if (*paper) return escpos::parseStatus({answers[0], answers[1], answers[2], **paper});
    // Some compatibles answer DLE EOT 1-3 but not 4; their paper sensor answers GS r 1 instead
    // (bit 4 clear, unlike every DLE EOT answer).
    auto sensor = ask(link, escpos::paperSensorQuery(), [](std::uint8_t b) { return (b & 0x90U) == 0; });
    if (!sensor) {
        offline.error = sensor.error();
        return offline;
    }
    if (!*sensor) return noAnswer();
    PrinterStatus status = escpos::parseStatus({answers[0], answers[1], answers[2], 0x12});
    if (status.paper == PaperLevel::Ok) status.paper = escpos::parsePaperSensor(**sensor);
    return status;
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
        return std::unexpected(
            PrintError{PrintErrorKind::BadJob,
                       {},
                       fmt::format("job is {} dots wide, the paper only {}: build it for this "
                                   "printer's width",
                                   job.widthDots(), m_options.widthDots)});
    auto link = m_connector();
    if (!link) {
        PrinterStatus offline;
        offline.error = link.error();
        return std::unexpected(PrintError{PrintErrorKind::NotReady, offline, link.error()});
    }
    PrinterTransport& out = **link;
    const PrinterStatus before = queryStatus(out);
    if (!before.ready())
        return std::unexpected(PrintError{PrintErrorKind::NotReady, before, notReadyMessage(before)});

    const auto pieces = escpos::encode(job);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (auto sent = out.write(pieces[i]); !sent) {
            PrinterStatus lost;
            lost.error = sent.error();
            return std::unexpected(PrintError{
                PrintErrorKind::Interrupted, lost,
                fmt::format("print failed after {} of {} parts: {}", i, pieces.size(), sent.error())});
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
        return std::unexpected(
            PrintError{PrintErrorKind::Interrupted, after,
                       fmt::format("print may be incomplete: {}", notReadyMessage(after))});
    return {};
}

}  // namespace hal
