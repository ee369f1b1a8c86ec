#pragma once
// The members table as spending needs it: the member row locked for the transaction and the balance
// lowered by a conditional update. Runs in the caller's open transaction on `c`. Private to
// central_core; SQL only here.

#include <cstdint>
#include <optional>
#include <string>

#include "central/database.hpp"
#include "loyalty/points.hpp"

namespace central {

class MemberStore {
  public:
    explicit MemberStore(Connection& c) : m_c(c) {}

    struct Locked {
        std::int64_t memberId = 0;
        loyalty::Points balance = 0;
    };
    /// Locks the member of `phoneE164` (a row lock on PostgreSQL, the write lock on SQLite), which
    /// serialises everything about one member. nullopt: no such member.
    [[nodiscard]] DbResult<std::optional<Locked>> lock(const std::string& phoneE164);
    /// Lowers the balance by `cost` unless that takes it below zero: the new balance, or nullopt.
    [[nodiscard]] DbResult<std::optional<loyalty::Points>> spend(std::int64_t memberId, loyalty::Points cost);
    /// Raises the balance by `points` (> 0, a prize): the new balance.
    [[nodiscard]] DbResult<loyalty::Points> credit(std::int64_t memberId, loyalty::Points points);

  private:
    Connection& m_c;
};

}  // namespace central
