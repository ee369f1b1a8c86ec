#include "pruner.hpp"

#include "../link.hpp"
#include "kiosk/sync/outbox.hpp"

namespace kiosk::sync {
namespace {

/// Outbox rows deleted per run: one short write transaction, so an enqueue waits ms at most.
constexpr std::size_t kBatch = 200;
/// How often settled entries are looked for once none are left to prune.
constexpr std::chrono::milliseconds kInterval{3'600'000};

}  // namespace

Pruner::Pruner(Link& link, Outbox& outbox, std::chrono::seconds keepSettled)
    : m_link(link), m_outbox(outbox), m_keepSettled(keepSettled) {}

Next Pruner::run() {
    auto removed = m_outbox.pruneSettled(m_link.centralNow() - m_keepSettled.count(), kBatch);
    if (!removed) {
        m_link.setError("outbox prune: " + removed.error().message);
        return Next::after(kInterval);
    }
    // Something was removed: more may be waiting. The next run comes at the next turn, after any other
    // due job, so the store's write lock is only ever held for one small batch.
    return Next::after(*removed > 0 ? std::chrono::milliseconds{0} : kInterval);
}

}  // namespace kiosk::sync
