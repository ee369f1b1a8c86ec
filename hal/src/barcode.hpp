#pragma once
// 1-D barcode encoders for the virtual printer's GS k: CODE39, CODE128 (with the ESC/POS "{A/{B/{C"
// code-set prefixes), EAN-13 and UPC-A. Private to hal.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace hal::barcode {

struct Symbol {
    std::vector<int> widths;  ///< module widths, alternating bar, space, bar … starting with a bar
    std::string text;         ///< the human-readable interpretation printed under it (HRI)
};

[[nodiscard]] std::expected<Symbol, std::string> code39(std::string_view data);
/// `data` in the ESC/POS form: starts with "{A", "{B" or "{C"; "{{" is a literal '{'.
[[nodiscard]] std::expected<Symbol, std::string> code128(std::string_view data);
/// 12 digits (check digit computed) or 13 (the 13th must be the right check digit).
[[nodiscard]] std::expected<Symbol, std::string> ean13(std::string_view digits);

}  // namespace hal::barcode
