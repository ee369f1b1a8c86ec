#include "outbox_pusher.hpp"

#include <algorithm>

#include "../link.hpp"
#include "kiosk/sync/outbox.hpp"

namespace kiosk::sync {
namespace {

net::ClaimRequest toRequest(const OutboxEntry& entry) {
    const auto& c = entry.claim;
    return net::ClaimRequest{entry.idempotencyKey, c.token,       c.phone,
                             c.acceptedAt,         c.consentJoin, c.consentMarketing,
                             c.consentTextVersion};
}

}  // namespace

OutboxPusher::OutboxPusher(Link& link, Outbox& outbox, std::size_t batchSize,
                           std::function<void(const ClaimSettled&)> settled)
    : m_link(link),
      m_outbox(outbox),
      m_batchSize(std::max<std::size_t>(batchSize, 1)),
      m_settled(std::move(settled)) {}

bool OutboxPusher::ready() const {
    return m_link.mayCallCentral();
}

Next OutboxPusher::run() {
    auto batch = m_outbox.pendingBatch(m_singlesLeft > 0 ? 1 : m_batchSize);
    if (!batch) {
        m_link.setError("outbox: " + batch.error().message);
        return Next::retry();
    }
    if (batch->empty()) return Next::whenNudged();  // after the next enqueue, or a "resync" command

    std::vector<net::ClaimRequest> requests;
    std::vector<std::string> keys;
    for (const auto& entry : *batch) {
        requests.push_back(toRequest(entry));
        keys.push_back(entry.idempotencyKey);
    }
    auto answer = m_link.exchange([&](net::CentralClient& client) { return client.claimBatch(requests); });
    if (!answer) {
        const auto& error = answer.error();
        // A batch central refuses as a whole (one malformed claim?) is retried one claim at a time, so
        // each claim gets its own definitive answer instead of blocking the rest.
        if (error.kind == net::ErrorKind::Refused && requests.size() > 1) {
            m_singlesLeft = requests.size();
            return Next::after({});
        }
        (void)m_outbox.noteAttempt(keys, describe(error));
        m_link.setPushUnreachable(error.httpStatus == 0);
        m_link.callFailed("", error);
        return Next::retry(error.retryAfter.value_or(std::chrono::seconds{0}));
    }

    std::vector<Settlement> settlements;
    std::vector<std::string> retryKeys;
    std::vector<ClaimSettled> settled;
    const auto at = m_link.centralNow();
    for (const auto& outcome : answer->outcomes) {
        if (outcome.status == net::ClaimOutcome::Status::Retry) {
            retryKeys.push_back(outcome.idempotencyKey);
            continue;
        }
        const bool accepted = outcome.status == net::ClaimOutcome::Status::Accepted;
        settlements.push_back(
            accepted
                ? Settlement{outcome.idempotencyKey, true, outcome.pointsEarned, outcome.balance, "", "", at}
                : Settlement{outcome.idempotencyKey, false, 0, 0, outcome.code, outcome.reason.en, at});
        settled.push_back(ClaimSettled{outcome.idempotencyKey, outcome});
    }
    if (auto ok = m_outbox.settle(settlements); !ok) {
        // Central has them; the next push sends the same keys and central answers the same again.
        m_link.setError("outbox: " + ok.error().message);
        return Next::retry();
    }
    m_singlesLeft -= std::min(m_singlesLeft, requests.size());
    if (m_settled)
        for (const auto& s : settled) m_settled(s);
    m_link.setOnline(true);
    m_link.setError("");
    if (!retryKeys.empty()) {
        (void)m_outbox.noteAttempt(retryKeys, "central asked to retry");
        return Next::retry();
    }
    return Next::after({});  // more may be waiting: go on until the outbox is empty
}

}  // namespace kiosk::sync
