#pragma once
// What app.cpp, dispatch.cpp (commands → workers) and automation.cpp (the test socket's commands)
// share inside the App. Private to kiosk/src/app.

#include <nlohmann/json.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app.hpp"
#include "hal/scanner.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "network/central_client.hpp"

namespace kiosk {

/// The kiosk's side of central: the client used by the `central` worker thread (member, OTP,
/// redemption) and the sync worker with its own client (claims, config, heartbeat).
struct CentralLink {
    std::optional<net::CentralClient> client;  ///< central-worker thread only; empty when offline by config
    std::unique_ptr<sync::SyncWorker> sync;
    std::shared_ptr<sync::UpdateControl> update;  ///< the update agent's flags; empty when not configured
    /// When a shopper last called staff (central's time; 0: never): every heartbeat's health says
    /// "staff_call" for kStaffCallReported after it, so the console shows it. Any thread.
    std::atomic<loyalty::UnixSeconds> staffCalledAt{0};
    /// Why the kiosk refused central's last look or its fonts (App::applyLook); null: taken. Every
    /// heartbeat's health says it as "theme" (central keeps it: GET /v1/admin/kiosks). Any thread.
    std::atomic<std::shared_ptr<const std::string>> lookRefused;
};

inline constexpr loyalty::UnixSeconds kStaffCallReported = 10 * 60;
class Inbox;

/// What every heartbeat says of the kiosk: the camera, a shopper's call for staff until staff have had
/// time to come, and a look from central it refused (docs/api.md, heartbeat health). On the sync thread.
std::map<std::string, std::string> heartbeatHealth(hal::Scanner& scanner, const CentralLink& link);

/// Head office's `out_of_service` heartbeat command (docs/api.md): saved in the store, then shown
/// (ServiceChanged in the inbox). False for any other command. Runs on the sync thread.
bool takeServiceCommand(const net::Command& command, sync::LocalStore& store, Inbox& inbox);

/// An automation command that needs several frames (tap, type): the taps still to inject.
struct App::AutomationJob {
    AutomationServer::Command command;
    std::deque<std::string> taps;
    bool started = false;
};

/// An automation answer saying what went wrong.
inline nlohmann::json failure(const std::string& message) {
    return {{"ok", false}, {"error", message}};
}

}  // namespace kiosk
