#include "store/transaction.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace central::detail {
namespace {

constexpr int kAttempts = 5;

void backOffBeforeRetry(int attempt, const ApiError& last) {
    // Worth a line: on PostgreSQL this is how a deadlock or a lost connection shows.
    std::string detail = last.messageEn;
    std::replace(detail.begin(), detail.end(), '\n', ' ');
    spdlog::warn("transaction retry attempt={} of={} detail=\"{}\"", attempt + 1, kAttempts, detail);
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt * attempt));
}

}  // namespace

std::expected<void, ApiError> runTransaction(
    Database& db, const std::function<std::optional<ApiError>(Connection&)>& work) {
    ApiError last = apiError("storage_unavailable");
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        if (attempt > 0) backOffBeforeRetry(attempt, last);
        auto lease = db.lease();
        if (!lease) {
            last = storageError(lease.error());
            continue;
        }
        Connection& c = **lease;
        if (auto begun = c.begin(); !begun) {
            last = storageError(begun.error());
            if (last.status == 503) continue;
            return std::unexpected(last);
        }
        const auto failed = work(c);
        if (failed && !failed->commitAnyway) {
            (void)c.rollback();
            if (failed->code != "storage_unavailable") return {};
            last = *failed;
            continue;
        }
        if (auto committed = c.commit(); !committed) {
            (void)c.rollback();
            last = storageError(committed.error());
            if (last.status == 503) continue;
            return std::unexpected(last);
        }
        return {};
    }
    return std::unexpected(last);
}

}  // namespace central::detail
