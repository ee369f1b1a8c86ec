// ESC/POS parser of the virtual printer (hal/virtual_printer.hpp): any byte stream a POS host sends.
// The first input byte picks how the rest is split into receive() calls (1..256 bytes each), as TCP
// may split it. Invariants: the same stream fed whole and fed in pieces prints the same pages and
// answers the same status bytes (the parser keeps no state tied to read boundaries); every page is
// the printer's width and at most kMaxPageDots long; the printer answers at most one byte per two
// bytes received (every query is at least two bytes).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "fuzz_check.hpp"
#include "hal/virtual_printer.hpp"

namespace {

constexpr int kWidth = hal::kPaper80mmDots;
constexpr std::size_t kKeepJobs = 4;

std::unique_ptr<hal::VirtualPrinter> makePrinter() {
    auto printer = hal::VirtualPrinter::create({kWidth, {}, kKeepJobs});
    FUZZ_CHECK(printer.has_value());
    return std::move(*printer);
}

struct Printed {
    std::vector<std::uint8_t> answers;
    std::vector<hal::VirtualPrinter::Job> jobs;  ///< the last kKeepJobs of this stream
    std::size_t jobCount = 0;
};

Printed print(hal::VirtualPrinter& printer, std::span<const std::uint8_t> stream, std::size_t piece) {
    const auto before = printer.jobCount();
    Printed out;
    for (std::size_t at = 0; at < stream.size(); at += piece) {
        const auto answer = printer.receive(stream.subspan(at, std::min(piece, stream.size() - at)));
        out.answers.insert(out.answers.end(), answer.begin(), answer.end());
    }
    printer.endOfStream();
    (void)printer.takeLog();
    out.jobCount = printer.jobCount() - before;
    auto jobs = printer.jobs();
    const auto fresh = std::min(out.jobCount, jobs.size());
    out.jobs.assign(jobs.end() - static_cast<std::ptrdiff_t>(fresh), jobs.end());
    return out;
}

bool samePage(const hal::Bitmap& a, const hal::Bitmap& b) {
    if (a.width() != b.width() || a.height() != b.height()) return false;
    for (int y = 0; y < a.height(); ++y)
        if (a.packedRow(y) != b.packedRow(y)) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto whole = makePrinter();
    static const auto pieces = makePrinter();
    if (size == 0) return 0;
    const std::size_t piece = std::size_t{data[0]} + 1;
    const std::span<const std::uint8_t> stream(data + 1, size - 1);

    const auto a = print(*whole, stream, std::max<std::size_t>(stream.size(), 1));
    const auto b = print(*pieces, stream, piece);
    FUZZ_CHECK(a.answers == b.answers);
    FUZZ_CHECK(a.answers.size() <= stream.size() / 2);
    FUZZ_CHECK(a.jobCount == b.jobCount && a.jobs.size() == b.jobs.size());
    for (std::size_t i = 0; i < a.jobs.size(); ++i) {
        const auto& page = a.jobs[i].page;
        FUZZ_CHECK(page.width() == kWidth || page.empty());
        FUZZ_CHECK(page.height() <= hal::VirtualPrinter::kMaxPageDots);
        FUZZ_CHECK(samePage(page, b.jobs[i].page) && a.jobs[i].complete == b.jobs[i].complete);
    }
    return 0;
}
