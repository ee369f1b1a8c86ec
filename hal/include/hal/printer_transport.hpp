#pragma once
// PrinterTransport — the byte pipe to an ESC/POS printer: a TCP socket (port 9100), a USB printer
// device (/dev/usb/lp*), a serial port (termios), or the in-process virtual printer.
//
// Contract: blocking calls bounded by the timeouts given at open; one thread at a time; nothing
// throws. Closing happens in the destructor. A transport is opened per printer operation, so a printer
// that was switched off and on again is simply found again on the next call.

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace hal {

struct TransportTimeouts {
    std::chrono::milliseconds connect{2000};  ///< TCP connect
    std::chrono::milliseconds io{5000};       ///< longest wait for one write to make progress
};

class PrinterTransport {
  public:
    virtual ~PrinterTransport() = default;

    /// Sends all of `bytes` or fails (timeout, connection lost, device gone).
    [[nodiscard]] virtual std::expected<void, std::string> write(std::span<const std::uint8_t> bytes) = 0;
    /// Waits up to `timeout` for bytes from the printer; returns how many were read (0 = none came in
    /// time). An error means the link is gone.
    [[nodiscard]] virtual std::expected<std::size_t, std::string> read(std::span<std::uint8_t> into,
                                                                       std::chrono::milliseconds timeout) = 0;
    /// "tcp 10.0.0.5:9100", "/dev/usb/lp0", … for messages.
    [[nodiscard]] virtual std::string describe() const = 0;
};

using TransportResult = std::expected<std::unique_ptr<PrinterTransport>, std::string>;

/// TCP to host:port (raw ESC/POS, usually 9100), with connect and I/O timeouts.
[[nodiscard]] TransportResult openTcpTransport(const std::string& host, std::uint16_t port,
                                               TransportTimeouts timeouts);
/// A printer device node (/dev/usb/lp0), read+write; anything but a character device is refused.
[[nodiscard]] TransportResult openDeviceTransport(const std::filesystem::path& path,
                                                  TransportTimeouts timeouts);
/// A plain file the bytes are appended to (a capture for `kioskctl escpos render`); write only:
/// reads return nothing.
[[nodiscard]] TransportResult openCaptureTransport(const std::filesystem::path& path,
                                                   TransportTimeouts timeouts);
/// A serial port, raw 8N1, no flow control at the given baud (1200 … 115200; anything else refused).
[[nodiscard]] TransportResult openSerialTransport(const std::filesystem::path& path, int baud,
                                                  TransportTimeouts timeouts);

}  // namespace hal
