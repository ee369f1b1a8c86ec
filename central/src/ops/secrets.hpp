#pragma once
// Secrets central keeps or hands out: hashes of credentials and codes, random codes, comparisons in
// constant time, and what a caller may see of a voucher code. Private to central_core.

#include <cstddef>
#include <string>
#include <string_view>

namespace central {

[[nodiscard]] std::string sha256Hex(std::string_view text);
/// `bytes` random bytes from the OS CSPRNG, base32 (no padding).
[[nodiscard]] std::string randomBase32(std::size_t bytes);
/// Constant-time equality of two secrets (compares their hashes).
[[nodiscard]] bool secretEquals(std::string_view a, std::string_view b);

/// A voucher code with all but its last two characters hidden ("****-**7K"): enough for a member to
/// tell two vouchers apart, too little to consume one (codes are bearer secrets).
[[nodiscard]] std::string maskedVoucherCode(std::string_view code);

}  // namespace central
