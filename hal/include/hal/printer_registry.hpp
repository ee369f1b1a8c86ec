#pragma once
// PrinterRegistry — maps the printer driver named in the kiosk config to a factory, so the same kiosk
// binary drives a real printer on a kiosk and the virtual one in tests. An unknown driver name is an
// error that lists the valid ones.
//
// Built-in drivers (PrinterConfig::address means):
//   "escpos-tcp"     "HOST[:PORT]"  — network printer, raw TCP, port 9100 by default. Also how the kiosk
//                    reaches `kioskctl printer serve` (the virtual printer over TCP).
//   "escpos-usb"     "/dev/usb/lp0" — USB printer class device (the user needs group lp).
//   "escpos-serial"  "/dev/ttyUSB0" or "/dev/ttyS0@19200" — baud after '@', else PrinterConfig::baud.
//   "escpos-file"    "PATH"         — appends the ESC/POS bytes to a file (captures; no status).
//   "virtual"        "DIR" or ""    — an in-process VirtualPrinter writing job PNGs to DIR (or keeping
//                    them in memory); "HOST:PORT" — the virtual printer of `kioskctl printer serve`,
//                    reached exactly like "escpos-tcp".
//
// Threads: build once at start-up; create() may be called from any thread afterwards (const).

#include <chrono>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hal/printer_transport.hpp"
#include "hal/receipt_printer.hpp"

namespace hal {

struct PrinterConfig {
    std::string driver;
    std::string address;
    int baud = 38400;  ///< serial only; TM-T20 serial models default to 38400
    int widthDots = kPaper80mmDots;
    TransportTimeouts timeouts{};
    std::chrono::milliseconds statusTimeout{1500};
};

class PrinterRegistry {
  public:
    using Factory =
        std::function<std::expected<std::unique_ptr<ReceiptPrinter>, std::string>(const PrinterConfig&)>;

    /// A registry holding the built-in drivers listed above.
    [[nodiscard]] static PrinterRegistry withBuiltins();

    /// Adds or replaces a driver.
    void add(std::string name, Factory factory);
    [[nodiscard]] std::vector<std::string> names() const;
    /// The printer for `config`; errors name the problem (unknown driver: lists the valid ones; bad
    /// address or width). Does not touch the printer itself: status() is the first contact.
    [[nodiscard]] std::expected<std::unique_ptr<ReceiptPrinter>, std::string> create(
        const PrinterConfig& config) const;

  private:
    std::map<std::string, Factory> m_factories;
};

}  // namespace hal
