#pragma once
// The staff log pusher: sends the staff actions of the maintenance mode (StaffLog) to central, oldest
// first, in batches; deleted locally only after central answered (central keeps each key once, so a
// batch resent after a lost answer is stored once). Nudged after every recorded action.

#include "kiosk/sync/scheduler.hpp"

namespace kiosk::sync {

class Link;
class StaffLog;

class StaffLogPusher final : public Job {
  public:
    StaffLogPusher(Link& link, StaffLog& log);

    [[nodiscard]] std::string_view name() const override { return "staff_log"; }
    [[nodiscard]] bool ready() const override;
    [[nodiscard]] Next run() override;

  private:
    Link& m_link;
    StaffLog& m_log;
};

}  // namespace kiosk::sync
