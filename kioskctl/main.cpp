// kioskctl — the operator's and integrator's CLI: sign receipts (POS side), scan images, render or
// serve ESC/POS, enroll kiosks, verify vouchers, sign releases. It keeps no state of its own.

#include <exception>
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"kioskctl — loyalty kiosk operator and integrator tool"};
    app.require_subcommand(1);
    int exitCode = 0;
    kioskctl::addReceiptCommands(app, exitCode);
    kioskctl::addVoucherCommands(app, exitCode);
    kioskctl::addScanCommands(app, exitCode);
    kioskctl::addPrinterCommands(app, exitCode);
    kioskctl::addCentralCommands(app, exitCode);
    kioskctl::addCentralInitCommand(app, exitCode);
    kioskctl::addConsoleCommands(app, exitCode);
    kioskctl::addReleaseCommands(app, exitCode);
    kioskctl::addNotifyCommands(app, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "kioskctl: " << e.what() << "\n";
        return 1;
    }
    return exitCode;
}
