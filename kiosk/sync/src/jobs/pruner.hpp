#pragma once
// The pruner job: deletes settled outbox entries (and acknowledged refusals) older than keepSettled by
// central's clock, a small batch per run (docs/sync.md, Pruning). Local only: it runs offline and
// before enrollment too.

#include <chrono>

#include "kiosk/sync/scheduler.hpp"

namespace kiosk::sync {

class Link;
class Outbox;

class Pruner final : public Job {
  public:
    Pruner(Link& link, Outbox& outbox, std::chrono::seconds keepSettled);

    [[nodiscard]] std::string_view name() const override { return "prune"; }
    [[nodiscard]] Next run() override;

  private:
    Link& m_link;
    Outbox& m_outbox;
    std::chrono::seconds m_keepSettled;
};

}  // namespace kiosk::sync
