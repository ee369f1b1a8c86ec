#pragma once
// VirtualPrinterServer — puts a VirtualPrinter on TCP (127.0.0.1 only, like a printer's port 9100)
// plus an optional control channel on a Unix socket, for `kioskctl printer serve` and end-to-end
// tests.
//
// TCP: one host at a time, as on a real printer (others wait in the listen backlog); a job ends at
// a cut or when the host closes the connection; a host silent for idleTimeout is disconnected.
//
// Control socket: newline-terminated commands, one reply line each ("ok <status>" or "error: …"):
//   paper out | paper near-end | paper ok | paper limit N | paper limit off | cover open |
//   cover closed | status | jobs
// `paper limit N` makes the roll run out after N more dots of feed (0..1,000,000), so a job can fail
// midway; `paper ok` (a new roll) clears a limit that ran out. `status` answers "ok online|offline, paper
// ok|near-end|out, cover open|closed"; `jobs` answers "ok N" (jobs rendered so far).
//
// Threads: start() runs one background thread (poll loop) until stop() or destruction. onLog is
// called on that thread.

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "hal/virtual_printer.hpp"

namespace hal {

class VirtualPrinterServer {
  public:
    struct Options {
        std::uint16_t port = 9100;            ///< 0 = any free port (see port())
        std::filesystem::path controlSocket;  ///< empty = no control channel
        std::chrono::milliseconds idleTimeout{60'000};
        std::function<void(const std::string&)> onLog;  ///< connection events and the printer's log
    };

    [[nodiscard]] static std::expected<std::unique_ptr<VirtualPrinterServer>, std::string> start(
        std::shared_ptr<VirtualPrinter> printer, Options options);
    ~VirtualPrinterServer();
    VirtualPrinterServer(const VirtualPrinterServer&) = delete;
    VirtualPrinterServer& operator=(const VirtualPrinterServer&) = delete;

    /// The TCP port actually listened on.
    [[nodiscard]] std::uint16_t port() const;
    /// Stops the loop, closes the sockets (an open connection ends its job) and removes the control
    /// socket file. Idempotent; blocks until the thread has finished.
    void stop();

  private:
    struct Impl;
    explicit VirtualPrinterServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Applies one control-channel command to `printer`; returns the reply line (without newline).
[[nodiscard]] std::string applyControlCommand(VirtualPrinter& printer, std::string_view command);

}  // namespace hal
