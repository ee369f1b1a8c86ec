#pragma once
// The members table: a member found or joined by a claim, the member row locked for the transaction
// and the balance raised or lowered (spending by a conditional update). Runs in the caller's open
// transaction (or on a reader) on `c`. Private to central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>

#include "central/database.hpp"
#include "loyalty/points.hpp"
#include "loyalty/receipt.hpp"

namespace central {

class MemberStore {
  public:
    explicit MemberStore(Connection& c) : m_c(c) {}

    struct Locked {
        std::int64_t memberId = 0;
        loyalty::Points balance = 0;
    };
    struct Found {
        std::int64_t memberId = 0;
        loyalty::Points balance = 0;
    };
    /// The member of `phoneE164` without a lock (nullopt: no such member).
    [[nodiscard]] DbResult<std::optional<Found>> find(const std::string& phoneE164);

    /// A member who joins with their first claim, and their consent.
    struct Joining {
        std::string phoneE164;
        loyalty::UnixSeconds createdAt = 0;
        bool marketing = false;
        std::string consentTextVersion;
        loyalty::UnixSeconds consentAt = 0;
        std::string consentKiosk;
    };
    /// Adds the member with a zero balance unless the phone is taken (by a concurrent claim a moment
    /// ago): their id, or nullopt.
    [[nodiscard]] DbResult<std::optional<std::int64_t>> join(const Joining& member);

    /// Locks the member of `phoneE164` (a row lock on PostgreSQL, the write lock on SQLite), which
    /// serialises everything about one member. nullopt: no such member.
    [[nodiscard]] DbResult<std::optional<Locked>> lock(const std::string& phoneE164);
    /// Lowers the balance by `cost` unless that takes it below zero: the new balance, or nullopt.
    [[nodiscard]] DbResult<std::optional<loyalty::Points>> spend(std::int64_t memberId, loyalty::Points cost);
    /// Raises the balance by `points` (> 0: a prize, a claim's earning): the new balance.
    [[nodiscard]] DbResult<loyalty::Points> credit(std::int64_t memberId, loyalty::Points points);

  private:
    Connection& m_c;
};

}  // namespace central
