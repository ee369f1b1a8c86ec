#include "hal/printer_registry.hpp"

#include <fmt/core.h>

#include <charconv>

#include "hal/escpos_printer.hpp"
#include "hal/virtual_printer.hpp"

namespace hal {

namespace {

using PrinterResult = std::expected<std::unique_ptr<ReceiptPrinter>, std::string>;

EscPosPrinter::Options optionsFor(const PrinterConfig& config, bool queryStatus) {
    return {config.widthDots, queryStatus, config.statusTimeout};
}

std::expected<int, std::string> parseNumber(std::string_view text, int min, int max, std::string_view what) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        return std::unexpected(
            fmt::format("printer: {} \"{}\" is not a number in {}..{}", what, text, min, max));
    return value;
}

PrinterResult makeTcp(const PrinterConfig& config) {
    std::string host = config.address;
    int port = 9100;
    // "[::1]:9100" and "host:9100"; a bare IPv6 address without brackets is taken as a host.
    const auto colon = host.rfind(':');
    if (colon != std::string::npos && (host.find(':') == colon || (!host.empty() && host[0] == '['))) {
        auto parsed = parseNumber(std::string_view(host).substr(colon + 1), 1, 65535, "port");
        if (!parsed) return std::unexpected(parsed.error());
        port = *parsed;
        host.resize(colon);
    }
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) return std::unexpected(std::string("printer: escpos-tcp needs address HOST[:PORT]"));
    const auto timeouts = config.timeouts;
    return std::make_unique<EscPosPrinter>(
        [host, port, timeouts] { return openTcpTransport(host, static_cast<std::uint16_t>(port), timeouts); },
        optionsFor(config, true));
}

PrinterResult makeUsb(const PrinterConfig& config) {
    if (config.address.empty())
        return std::unexpected(std::string("printer: escpos-usb needs address /dev/usb/lpN"));
    const std::filesystem::path path = config.address;
    const auto timeouts = config.timeouts;
    return std::make_unique<EscPosPrinter>([path, timeouts] { return openDeviceTransport(path, timeouts); },
                                           optionsFor(config, true));
}

PrinterResult makeFile(const PrinterConfig& config) {
    if (config.address.empty())
        return std::unexpected(std::string("printer: escpos-file needs address PATH"));
    const std::filesystem::path path = config.address;
    const auto timeouts = config.timeouts;
    return std::make_unique<EscPosPrinter>([path, timeouts] { return openCaptureTransport(path, timeouts); },
                                           optionsFor(config, false));
}

PrinterResult makeSerial(const PrinterConfig& config) {
    std::string path = config.address;
    int baud = config.baud;
    if (const auto at = path.rfind('@'); at != std::string::npos) {
        auto parsed = parseNumber(std::string_view(path).substr(at + 1), 1, 10'000'000, "baud");
        if (!parsed) return std::unexpected(parsed.error());
        baud = *parsed;
        path.resize(at);
    }
    if (path.empty())
        return std::unexpected(std::string("printer: escpos-serial needs address /dev/ttyXXX[@BAUD]"));
    const auto timeouts = config.timeouts;
    return std::make_unique<EscPosPrinter>(
        [path, baud, timeouts] { return openSerialTransport(path, baud, timeouts); },
        optionsFor(config, true));
}

PrinterResult makeVirtual(const PrinterConfig& config) {
    // "HOST:PORT" is the virtual printer run by `kioskctl printer serve` (demo and end-to-end tests);
    // a path (or nothing) is one inside this process.
    if (config.address.find(':') != std::string::npos && config.address.find('/') == std::string::npos)
        return makeTcp(config);
    auto printer = VirtualPrinter::create({config.widthDots, config.address});
    if (!printer) return std::unexpected(printer.error());
    std::shared_ptr<VirtualPrinter> shared = std::move(*printer);
    return std::make_unique<EscPosPrinter>(
        [shared]() -> TransportResult { return openVirtualTransport(shared); }, optionsFor(config, true));
}

}  // namespace

PrinterRegistry PrinterRegistry::withBuiltins() {
    PrinterRegistry registry;
    registry.add("escpos-tcp", makeTcp);
    registry.add("escpos-usb", makeUsb);
    registry.add("escpos-serial", makeSerial);
    registry.add("escpos-file", makeFile);
    registry.add("virtual", makeVirtual);
    return registry;
}

void PrinterRegistry::add(std::string name, Factory factory) {
    m_factories[std::move(name)] = std::move(factory);
}

std::vector<std::string> PrinterRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, factory] : m_factories) out.push_back(name);
    return out;
}

std::expected<std::unique_ptr<ReceiptPrinter>, std::string> PrinterRegistry::create(
    const PrinterConfig& config) const {
    const auto it = m_factories.find(config.driver);
    if (it == m_factories.end()) {
        std::string valid;
        for (const auto& name : names()) valid += (valid.empty() ? "" : ", ") + name;
        return std::unexpected(fmt::format("unknown printer driver \"{}\"; valid: {}", config.driver, valid));
    }
    if (config.widthDots != kPaper58mmDots && config.widthDots != kPaper80mmDots)
        return std::unexpected(
            fmt::format("printer width {} dots: use 384 (58 mm) or 576 (80 mm)", config.widthDots));
    return it->second(config);
}

}  // namespace hal
