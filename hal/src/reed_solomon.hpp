#pragma once
// hal-internal: Reed-Solomon decoding over GF(256) as QR codes use it (field polynomial 0x11d,
// generator roots alpha^0 .. alpha^(n-k-1)), with errors AND erasures: a block of n codewords with
// n-k check codewords is corrected when 2e + f <= n-k (e unknown errors, f erasures at known
// positions). Our own because no Debian library exposes erasure decoding: ZBar and zxing-cpp decode
// errors only, libfec is not packaged, libqrencode only encodes.

#include <cstdint>
#include <optional>
#include <span>

namespace hal::detail {

/// Corrects `block` (codewords in transmission order: the first is the highest-degree coefficient)
/// in place. `checkCount`: its n-k check codewords; `erasures`: indices into `block` known to be
/// unreliable (distinct). `reserve` check codewords are kept for detection: it succeeds only when
/// 2e + f <= checkCount - reserve. Returns the number of codewords changed, or nothing (and `block`
/// untouched) when it cannot correct within that budget — never a codeword it has not verified.
[[nodiscard]] std::optional<int> correctReedSolomon(std::span<std::uint8_t> block, int checkCount,
                                                    std::span<const int> erasures, int reserve = 0);

/// The check codewords of `data` (for tests and the reader's own round trips).
void encodeReedSolomon(std::span<const std::uint8_t> data, std::span<std::uint8_t> checks);

}  // namespace hal::detail
