#pragma once
// The claims table: a receipt claimed once chain-wide (its id is the primary key, its idempotency key
// UNIQUE), the answer first given kept for replays. Runs in the caller's open transaction (or on a
// reader) on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central/database.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class ClaimStore {
  public:
    explicit ClaimStore(Connection& c) : m_c(c) {}

    /// A claim stored earlier, as a retry of it or a later claim of its receipt needs it.
    struct Stored {
        std::string idempotencyKey;
        std::string receiptId;
        loyalty::UnixSeconds claimedAt = 0;
        std::string kioskStore;
        std::string kioskId;
        std::string answer;  ///< the answer as first given (the API's encoding)
    };
    struct New {
        std::string receiptId;
        std::string idempotencyKey;
        std::string store;  ///< the receipt's store
        std::string receiptNumber;
        std::int64_t amountDong = 0;
        loyalty::UnixSeconds issuedAt = 0;
        std::string kioskId;
        std::string kioskStore;
        std::int64_t memberId = 0;
        std::int64_t points = 0;
        loyalty::UnixSeconds claimedAt = 0;
        loyalty::UnixSeconds kioskTime = 0;
    };

    /// The claim stored under `idempotencyKey`, if any.
    [[nodiscard]] DbResult<std::optional<Stored>> findByKey(const std::string& idempotencyKey);
    /// The claims holding `idempotencyKey` or `receiptId` (none, one or two).
    [[nodiscard]] DbResult<std::vector<Stored>> holding(const std::string& idempotencyKey,
                                                        const std::string& receiptId);
    /// Inserts the claim with an empty answer unless its receipt or key is taken: false then. On
    /// PostgreSQL a concurrent transaction inserting the same receipt is waited for first.
    [[nodiscard]] DbResult<bool> insert(const New& claim);
    /// The answer to replay to a retry of the claim of `receiptId`.
    [[nodiscard]] DbResult<void> saveAnswer(const std::string& receiptId, const std::string& answer);

  private:
    Connection& m_c;
};

}  // namespace central
