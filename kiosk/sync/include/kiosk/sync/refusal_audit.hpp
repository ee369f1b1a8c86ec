#pragma once
// The audit of claims central refused, kept for staff (maintenance screen) until acknowledged.
// Rows are written by Outbox::settle and deleted by Outbox::pruneSettled, inside their transactions.
//
// Contract: as LocalStore (any thread, blocks on disk I/O, errors are values).

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/sync/database.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk::sync {

/// A claim central refused, kept for staff (maintenance screen) until acknowledged.
struct Refusal {
    std::int64_t id = 0;
    std::string receiptId;
    std::string phone;
    std::int64_t provisionalPoints = 0;
    std::string code;
    std::string reason;
    loyalty::UnixSeconds refusedAt = 0;
    bool acknowledged = false;
};

class RefusalAudit {
  public:
    /// `database` must outlive this part.
    explicit RefusalAudit(Database& database) : m_database(database) {}

    /// Refusals, newest first; unacknowledged only unless `all`.
    [[nodiscard]] StoreResult<std::vector<Refusal>> refusals(bool all = false, std::size_t limit = 100);
    [[nodiscard]] StoreResult<void> acknowledgeRefusal(std::int64_t id);

    /// Records the refusal of the outbox entry `idempotencyKey`, inside the caller's transaction on the
    /// locked `connection`.
    [[nodiscard]] static StoreResult<void> record(const Connection& connection,
                                                  const std::string& idempotencyKey, const std::string& code,
                                                  const std::string& reason, loyalty::UnixSeconds at);
    /// Deletes up to `max` acknowledged refusals refused before `before`, inside the caller's
    /// transaction; returns how many went.
    [[nodiscard]] static StoreResult<std::size_t> pruneAcknowledged(const Connection& connection,
                                                                    loyalty::UnixSeconds before,
                                                                    std::size_t max);

  private:
    Database& m_database;
};

}  // namespace kiosk::sync
