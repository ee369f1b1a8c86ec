#pragma once
// A shop receipt as the POS signed it. The wire format (the receipt QR) lives in receipt_token.hpp.

#include <cstdint>
#include <string>

#include "loyalty/money.hpp"

namespace loyalty {

/// Seconds since the Unix epoch, UTC. Every timestamp in the domain is one of these; local time
/// (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving) is derived where a rule needs a calendar.
using UnixSeconds = std::int64_t;

struct Receipt {
    std::string store;         ///< store id, e.g. "HCM001": 1-16 chars of [A-Z0-9-]
    std::string number;        ///< the POS receipt number, unique within the store: 1-24 chars of [A-Z0-9-]
    Dong amount;               ///< total paid, in dong
    UnixSeconds issuedAt = 0;  ///< when the POS printed it
    std::uint32_t items = 0;   ///< number of items on the receipt

    /// Chain-wide identity of the receipt: "STORE/NUMBER". A receipt earns once per this id.
    [[nodiscard]] std::string id() const { return store + "/" + number; }
    bool operator==(const Receipt&) const = default;
};

}  // namespace loyalty
