#pragma once
// The update agent's job (docs/fleet.md; what the app sees is kiosk/sync/updater.hpp): central's
// offer (from the heartbeat) → manifest → prechecks → ranged download into staging (a few MiB per
// run, so the other jobs keep their turns) → verify → install into the other slot → wait for a quiet
// moment (or staff's "install now") → switch and ask the app to restart. In the new version's life:
// the health gate (first frame, camera open and printer answering, one answer from central) before
// the trial deadline, else roll back and ask for a restart.
//
// Refusals (bad signature, not newer, expired, too large, bundle mismatch, disk full …) are reported
// with their code and change nothing outside staging (UpdateSlots). A release refused or failed is
// not tried again in this life; central stops offering it once it has the report.
//
// Threads: the sync thread only (offer() and report() are called by the heartbeat job there).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "kiosk/sync/scheduler.hpp"
#include "kiosk/sync/updater.hpp"
#include "network/central_client.hpp"
#include "updater_slots.hpp"

namespace kiosk::sync {

class Link;

class Updater final : public Job {
  public:
    /// `reportNow` asks for a heartbeat soon (a step central should hear about).
    Updater(Link& link, UpdateSlots slots, UpdaterOptions options, std::shared_ptr<UpdateControl> control,
            std::function<void()> reportNow);

    [[nodiscard]] std::string_view name() const override { return "updater"; }
    [[nodiscard]] bool ready() const override;
    [[nodiscard]] Next run() override;

    /// Central offers a release; true when the agent takes it up (the caller then nudges this job).
    bool offer(const net::UpdateOffer& offer);
    /// What the next heartbeat says about updates (nothing before the agent has anything to say).
    [[nodiscard]] std::optional<net::UpdateReport> report() const;

  private:
    /// The health gate's devices: "" when right (or not checked: no checkDevices), otherwise what is
    /// wrong; asks the app to check them again every few seconds until they are.
    [[nodiscard]] std::string devicesProblem();
    [[nodiscard]] Next gate();
    [[nodiscard]] Next fetchManifest();
    [[nodiscard]] Next download();
    [[nodiscard]] Next install();
    /// Staff have not postponed it, and the attract screen has been quiet long enough or is untouched
    /// inside the maintenance window (central's time).
    [[nodiscard]] bool quietMoment() const;
    [[nodiscard]] Next switchWhenQuiet();
    [[nodiscard]] Next refuse(const std::string& code, const std::string& detail);
    [[nodiscard]] Next restart();
    void setReport(std::string state, std::string error);
    void forgetOffer();

    Link& m_link;
    UpdateSlots m_slots;
    UpdaterOptions m_options;
    std::shared_ptr<UpdateControl> m_control;
    std::function<void()> m_reportNow;

    std::optional<net::UpdateOffer> m_offer;  ///< the release being worked on
    std::string m_manifestText;
    std::optional<loyalty::ReleaseManifest> m_manifest;  ///< prechecked
    std::string m_installedSlot;                         ///< installed, waiting for a quiet moment
    std::set<std::int64_t> m_givenUp;                    ///< refused or failed in this life
    std::optional<net::UpdateReport> m_report;
    bool m_restarting = false;           ///< switched or rolled back: nothing more until the app restarts
    std::int64_t m_nextDeviceCheck = 0;  ///< monotonic ms: when the gate asks the app again
};

}  // namespace kiosk::sync
