#pragma once
// How every write of central reaches the database: one transaction per operation, retried whole when
// the storage is busy or unavailable (SQLite's lock timeout, a PostgreSQL deadlock or lost connection).
// Private to central_core.

#include <expected>
#include <functional>
#include <optional>
#include <utility>

#include "central/api_error.hpp"
#include "central/database.hpp"

namespace central {

/// Evaluates a DbResult expression; on error returns it from the enclosing function as an ApiError.
#define CENTRAL_TRY(var, expr) \
    auto var = (expr);         \
    if (!var) return std::unexpected(::central::storageError(var.error()))

namespace detail {
/// The retry loop of transact(): `work` runs on the open transaction and returns its error, if any.
/// An error only of the transaction itself (begin, commit, retries exhausted) comes back.
[[nodiscard]] std::expected<void, ApiError> runTransaction(
    Database& db, const std::function<std::optional<ApiError>(Connection&)>& work);
}  // namespace detail

/// Runs `work(Connection&)` -> std::expected<T, ApiError> in one write transaction: commit on success
/// (or when the error says commitAnyway), roll back otherwise. Busy/unavailable storage retries the
/// whole transaction a few times, so `work` must have no effect outside the connection. BLOCKS on the
/// database; any thread.
template <typename Work>
[[nodiscard]] auto transact(Database& db, Work&& work) -> decltype(work(std::declval<Connection&>())) {
    std::optional<decltype(work(std::declval<Connection&>()))> result;
    auto done = detail::runTransaction(db, [&](Connection& c) -> std::optional<ApiError> {
        result.emplace(work(c));
        if (*result) return std::nullopt;
        return result->error();
    });
    if (!done) return std::unexpected(done.error());
    return std::move(*result);
}

}  // namespace central
