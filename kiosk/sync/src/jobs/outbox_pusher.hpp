#pragma once
// The outbox pusher job: sends pending claims to central in batches, oldest first, settles what central
// answered definitively and keeps the rest pending (docs/sync.md, Push). Nudged after every enqueue, on
// a "resync" command and when central answers again after pushes could not reach it.

#include <cstddef>
#include <functional>

#include "kiosk/sync/scheduler.hpp"

namespace kiosk::sync {

class Link;
class Outbox;
struct ClaimSettled;

class OutboxPusher final : public Job {
  public:
    /// `settled` (may be empty) hears every settled claim, on the sync thread.
    OutboxPusher(Link& link, Outbox& outbox, std::size_t batchSize,
                 std::function<void(const ClaimSettled&)> settled);

    [[nodiscard]] std::string_view name() const override { return "outbox"; }
    [[nodiscard]] bool ready() const override;
    [[nodiscard]] Next run() override;

  private:
    Link& m_link;
    Outbox& m_outbox;
    std::size_t m_batchSize;
    std::function<void(const ClaimSettled&)> m_settled;
    std::size_t m_singlesLeft = 0;  ///< claims to push one by one after a batch was refused whole
};

}  // namespace kiosk::sync
