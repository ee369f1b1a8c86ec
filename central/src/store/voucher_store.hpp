#pragma once
// Vouchers (issued once per idempotency key, consumed once) and the reward stock they draw on. Runs in
// the caller's open transaction on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>

#include "central/database.hpp"
#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class VoucherStore {
  public:
    explicit VoucherStore(Connection& c) : m_c(c) {}

    /// A voucher issued earlier, as needed to replay its answer to the same request.
    struct Issued {
        std::string result;  ///< the answer as first given (JSON text)
        std::string rewardId;
        std::string phoneE164;
        std::string kioskId;
    };
    struct New {
        std::string code;
        std::string idempotencyKey;
        std::string rewardId;
        std::int64_t memberId = 0;
        std::string kioskId;
        std::int64_t valueDong = 0;
        loyalty::Points pointsSpent = 0;
        loyalty::UnixSeconds issuedAt = 0;
        loyalty::UnixSeconds expiresAt = 0;
        std::string result;  ///< the answer, kept for replays
    };

    [[nodiscard]] DbResult<std::optional<Issued>> findByKey(const std::string& idempotencyKey);
    [[nodiscard]] DbResult<std::uint32_t> countOf(std::int64_t memberId, const std::string& rewardId);
    /// False when the code or the idempotency key is taken already (nothing written).
    [[nodiscard]] DbResult<bool> insert(const New& voucher);

    struct Consumed {
        std::int64_t valueDong = 0;
        std::string rewardId;
    };
    /// Marks the voucher consumed at `store` unless it already is or has expired at `now`: what it
    /// was worth, or nullopt (see stateOf for why).
    [[nodiscard]] DbResult<std::optional<Consumed>> consume(const std::string& code, loyalty::UnixSeconds now,
                                                            const std::string& store,
                                                            const std::string& reference);
    struct State {
        std::optional<loyalty::UnixSeconds> consumedAt;
        loyalty::UnixSeconds expiresAt = 0;
    };
    /// nullopt: no voucher has this code.
    [[nodiscard]] DbResult<std::optional<State>> stateOf(const std::string& code);
    /// True if the chain has a store of this id (a voucher is consumed at a known store only).
    [[nodiscard]] DbResult<bool> storeExists(const std::string& storeId);

    /// The stock left of `rewardId`: nullopt = no such reward; a null inner value = unlimited.
    [[nodiscard]] DbResult<std::optional<std::optional<std::int64_t>>> stockOf(const std::string& rewardId);
    /// Takes one from the stock unless it is exhausted: false when none was left.
    [[nodiscard]] DbResult<bool> takeFromStock(const std::string& rewardId);

  private:
    Connection& m_c;
};

}  // namespace central
