#pragma once
// hal-internal: our own QR reader of a sampled module matrix (qr_modules.hpp), versions 1-10, every
// error correction level, numeric, alphanumeric and byte segments. It exists for one thing the
// libraries do not do: Reed-Solomon with erasures (reed_solomon.hpp). In each block the least
// confident codewords are declared erased, a few counts in turn (none first), so a crease that
// smears a strip of modules costs half of what unknown errors would.
//
// False reads are worse than misses: every block must correct with check codewords to spare
// (kReserve: what is left detects a wrong correction with odds of about one in 256^kReserve), the
// format and version words must be within their codes' distance, and the segments must parse to the
// end of their declared lengths. Anything else is no text.

#include <optional>
#include <string>

#include "qr_modules.hpp"

namespace hal::detail {

/// Check codewords of each block kept for detection, never spent on correction.
inline constexpr int kReserve = 4;

struct ModuleRead {
    std::string text;
    int erasures = 0;   ///< codewords declared erased in the blocks that needed them
    int corrected = 0;  ///< codewords Reed-Solomon changed
};

/// The version that the code's version information (either copy, within 3 bits of a valid word) says,
/// when it is not the one the matrix's size says: the grid was fitted at the wrong version. Nothing
/// when they agree or neither copy reads (versions 1-6 have none).
[[nodiscard]] std::optional<int> otherVersion(const ModuleMatrix& modules);

/// The text of the code in `modules`, or nothing.
[[nodiscard]] std::optional<ModuleRead> readModules(const ModuleMatrix& modules);

}  // namespace hal::detail
