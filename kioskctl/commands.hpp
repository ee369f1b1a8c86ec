#pragma once
// kioskctl's command groups. Each group lives in its own file and registers its subcommands on the
// app; main.cpp only wires them together. A command's callback returns through CLI11 by setting the
// process exit code in `exitCode` (0 = success).

#include <CLI/CLI.hpp>

namespace kioskctl {

/// keygen, receipt sign, receipt verify (cmd_receipt.cpp)
void addReceiptCommands(CLI::App& app, int& exitCode);

/// voucher verify (cmd_voucher.cpp)
void addVoucherCommands(CLI::App& app, int& exitCode);

/// scan IMAGE... [--json] (cmd_scan.cpp)
void addScanCommands(CLI::App& app, int& exitCode);

/// printer serve | status | test, escpos render (cmd_printer.cpp)
void addPrinterCommands(CLI::App& app, int& exitCode);

/// load (claims/s and latency of a running central), enroll-code, revoke (cmd_central.cpp)
void addCentralCommands(CLI::App& app, int& exitCode);

/// release keygen | sign | verify (cmd_release.cpp)
void addReleaseCommands(CLI::App& app, int& exitCode);

/// console add-user (cmd_console.cpp)
void addConsoleCommands(CLI::App& app, int& exitCode);
/// notify serve: a fake ZNS / SMS provider (cmd_notify.cpp)
void addNotifyCommands(CLI::App& app, int& exitCode);

/// central init (cmd_central_init.cpp)
void addCentralInitCommand(CLI::App& app, int& exitCode);

}  // namespace kioskctl
