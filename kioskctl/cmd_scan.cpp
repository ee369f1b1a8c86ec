// kioskctl scan IMAGE... [--json] — decodes the QR codes in still images with the kiosk's own scanner
// pipeline (hal::Scanner::decodeImage, the full-effort QrDecoder) and says how long each took.
//
// Text output, one line per code (or "none") per image:   IMAGE<TAB>TEXT|none<TAB>MS ms
// --json: an array of {"image", "ms", "codes": [{"text", "corners": [[x,y] x4]}], "error"?, "hint"?};
// "hint" (when no code read but something code-like is in the image, hal/scan_hint.hpp) is
// {"text", "px_per_module", "sharpness", "saturation"}: what the kiosk would ask the shopper.
// Exit codes: 0 every image held a code; 1 some image held none; 2 some image could not be read.

#include <fmt/core.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hal/frame.hpp"
#include "hal/scan_hint.hpp"
#include "hal/scanner.hpp"

namespace kioskctl {

namespace {

constexpr int kExitNoCode = 1;
constexpr int kExitBadInput = 2;

struct ScanResult {
    std::string image;
    double ms = 0;
    std::vector<hal::QrCode> codes;
    std::string error;
    std::optional<hal::ScanMeasures> unread;  ///< measures of a code-like region nothing read
};

ScanResult scanOne(const std::string& path) {
    ScanResult result{path, 0, {}, {}, std::nullopt};
    auto frame = hal::loadFrameFromFile(path);
    if (!frame) {
        result.error = frame.error();
        return result;
    }
    const auto started = std::chrono::steady_clock::now();
    result.codes = hal::Scanner::decodeImage(*frame);
    result.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (result.codes.empty()) result.unread = hal::measureCodeRegion(*frame);
    return result;
}

nlohmann::json toJson(const ScanResult& result) {
    nlohmann::json entry = {{"image", result.image}, {"ms", result.ms}, {"codes", nlohmann::json::array()}};
    for (const hal::QrCode& code : result.codes) {
        nlohmann::json corners = nlohmann::json::array();
        for (const hal::PointF& p : code.corners) corners.push_back({p.x, p.y});
        // The text is scanned from paper: dump() below replaces invalid UTF-8 instead of throwing.
        entry["codes"].push_back({{"text", code.text}, {"corners", corners}});
    }
    if (!result.error.empty()) entry["error"] = result.error;
    if (result.unread)
        entry["hint"] = {{"text", hal::hintText(hal::adviseFrom(*result.unread))},
                         {"px_per_module", result.unread->pxPerModule},
                         {"sharpness", result.unread->sharpness},
                         {"saturation", result.unread->saturation}};
    return entry;
}

/// Control characters in a scanned text would corrupt a terminal or a TSV line: show them escaped.
std::string printable(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F)
            out += fmt::format("\\x{:02x}", byte);
        else
            out += c;
    }
    return out;
}

}  // namespace

void addScanCommands(CLI::App& app, int& exitCode) {
    auto* scan = app.add_subcommand("scan", "Decode QR codes in images with the kiosk's scanner pipeline");
    auto images = std::make_shared<std::vector<std::string>>();
    auto json = std::make_shared<bool>(false);
    scan->add_option("images", *images, "Image files (PNG, JPEG, ...)")->required();
    scan->add_flag("--json", *json, "Machine-readable output");
    scan->callback([images, json, &exitCode] {
        nlohmann::json all = nlohmann::json::array();
        bool missingCode = false;
        bool badInput = false;
        for (const std::string& path : *images) {
            const ScanResult result = scanOne(path);
            badInput = badInput || !result.error.empty();
            missingCode = missingCode || (result.error.empty() && result.codes.empty());
            if (*json) {
                all.push_back(toJson(result));
            } else if (!result.error.empty()) {
                std::cerr << "kioskctl scan: " << result.error << "\n";
            } else if (result.codes.empty()) {
                std::cout << fmt::format("{}\tnone\t{:.1f} ms\n", path, result.ms);
            } else {
                for (const hal::QrCode& code : result.codes)
                    std::cout << fmt::format("{}\t{}\t{:.1f} ms\n", path, printable(code.text), result.ms);
            }
        }
        if (*json) std::cout << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        exitCode = badInput ? kExitBadInput : missingCode ? kExitNoCode : 0;
    });
}

}  // namespace kioskctl
