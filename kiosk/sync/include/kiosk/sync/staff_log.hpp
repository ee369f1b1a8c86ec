#pragma once
// The maintenance mode's local records (issue 13): every staff action, kept until central has it (the
// StaffLogPusher job sends them, oldest first), and the kiosk's out-of-service state with the message
// the attract screen shows, so both survive kill -9, a power cut and days offline.
//
// Contract: as LocalStore (any thread, blocks on disk I/O, errors are values).

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/sync/database.hpp"
#include "loyalty/localized_text.hpp"
#include "loyalty/receipt.hpp"

namespace kiosk::sync {

struct StaffAction {
    std::int64_t seq = 0;  ///< local order (0 before it is recorded)
    std::string key;       ///< unique per kiosk: central stores a resent action once
    std::string staffId;
    std::string action;  ///< "test_print", "out_of_service_on", … (a-z _)
    std::string detail;
    loyalty::UnixSeconds at = 0;  ///< central's time as the kiosk knew it
};

/// Whether shoppers may start a journey, and what the attract screen says when not.
struct ServiceState {
    bool outOfService = false;
    loyalty::LocalizedText message;  ///< empty: the kiosk's own wording
    std::string by;                  ///< "central" or the staff id who set it
};

class StaffLog {
  public:
    /// `database` must outlive this part.
    explicit StaffLog(Database& database) : m_database(database) {}

    /// Durable once returned. A key recorded before is not recorded again.
    [[nodiscard]] StoreResult<void> recordStaffAction(const StaffAction& action);
    /// Not yet sent, oldest first.
    [[nodiscard]] StoreResult<std::vector<StaffAction>> unsentStaffActions(std::size_t limit);
    /// Central stored them: they are deleted.
    [[nodiscard]] StoreResult<void> staffActionsSent(const std::vector<std::int64_t>& seqs);
    [[nodiscard]] StoreResult<std::int64_t> unsentStaffActionCount();

    /// Saved in one write; the last saved state is what a restarted kiosk shows.
    [[nodiscard]] StoreResult<void> saveServiceState(const ServiceState& state);
    /// In service (and no message) when never saved.
    [[nodiscard]] StoreResult<ServiceState> loadServiceState();

  private:
    Database& m_database;
};

}  // namespace kiosk::sync
