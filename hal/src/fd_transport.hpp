#pragma once
// A PrinterTransport over one POSIX file descriptor (socket, device node, tty): the poll()-bounded
// write/read loop shared by the TCP, device and serial transports. Private to hal.

#include <string>

#include "hal/printer_transport.hpp"

namespace hal {

class FdTransport final : public PrinterTransport {
  public:
    /// Takes ownership of `fd` (closed in the destructor). `readable` false: reads return nothing.
    FdTransport(int fd, std::string description, TransportTimeouts timeouts, bool readable, bool isSocket);
    ~FdTransport() override;
    FdTransport(const FdTransport&) = delete;
    FdTransport& operator=(const FdTransport&) = delete;

    [[nodiscard]] std::expected<void, std::string> write(std::span<const std::uint8_t> bytes) override;
    [[nodiscard]] std::expected<std::size_t, std::string> read(std::span<std::uint8_t> into,
                                                               std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::string describe() const override { return m_description; }

  private:
    int m_fd;
    std::string m_description;
    TransportTimeouts m_timeouts;
    bool m_readable;
    bool m_isSocket;
};

}  // namespace hal
