#include "hal/receipt_printer.hpp"

namespace hal {

std::string PrinterStatus::describe() const {
    std::string out = online ? "online" : "offline";
    if (paper == PaperLevel::NearEnd) out += ", paper near end";
    if (paper == PaperLevel::Out) out += ", paper out";
    if (coverOpen) out += ", cover open";
    if (!error.empty()) out += ", " + error;
    return out;
}

}  // namespace hal
