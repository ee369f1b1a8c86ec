#include "commands.hpp"

namespace kioskctl {

void addReceiptCommands(CLI::App& /*app*/, int& /*exitCode*/) {}

}  // namespace kioskctl
