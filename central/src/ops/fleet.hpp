#pragma once
// The fleet (docs/api.md "Kiosk calls", "Admin calls"): credentials, enrollment with a one-time code,
// a kiosk's configuration, its heartbeat and the commands head office queues for it, revocation.
// Typed requests in, typed outcomes out: no SQL (store/fleet_store.*), no JSON (api/fleet_api.cpp).
// Private to central_core.
//
// Threads: any number at once; every call BLOCKS on the database.

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "central/api_error.hpp"
#include "central/database.hpp"
#include "central/service.hpp"
#include "loyalty/clock.hpp"
#include "store/fleet_store.hpp"
#include "store/staff_store.hpp"

namespace central {

/// A kiosk enrolling with its one-time code, naming itself and proposing its credential (optional).
struct EnrollRequest {
    std::string code;
    std::optional<std::string> kioskId;
    std::optional<std::string> credential;
};
using EnrollInput = std::expected<EnrollRequest, ApiError>;
struct Enrolled {
    std::string kioskId;
    std::string store;
    std::string credential;  ///< in clear: this answer is the only place it is ever shown
};

/// What a kiosk's configuration document is made of (the API words it and tags it).
struct ConfigParts {
    std::shared_ptr<const Catalog> catalog;
    std::string kioskId;
    std::string store;
    std::string voucherPublicKey;  ///< loyalty::formatPublicKey text
    std::string consentTextVersion;
    std::vector<StaffStore::Member> staff;  ///< active ones only
    loyalty::UnixSeconds at = 0;
};

using HeartbeatInput = std::expected<FleetStore::Health, ApiError>;
struct HeartbeatTaken {
    std::vector<std::string> commands;  ///< as queued (QueuedCommand::stored), oldest first
    loyalty::UnixSeconds at = 0;
};

struct EnrollmentCodeRequest {
    std::string kioskId;
    std::string store;
    std::optional<std::int64_t> validHours;  ///< nullopt = 72
};
using EnrollmentCodeInput = std::expected<EnrollmentCodeRequest, ApiError>;
struct EnrollmentCodeMade {
    std::string code;  ///< in clear, once
    std::string kioskId;
    std::string store;
    loyalty::UnixSeconds expiresAt = 0;
};

/// A command for a kiosk: its name and the text its heartbeat delivers.
struct QueuedCommand {
    std::string name;
    std::string stored;
};
using CommandInput = std::expected<QueuedCommand, ApiError>;

class FleetOps {
  public:
    using CatalogSource = std::function<std::expected<std::shared_ptr<const Catalog>, ApiError>()>;
    struct Options {
        std::string adminToken;  ///< compared in constant time; "" = no admin token
        std::string voucherPublicKey;
        std::string consentTextVersion;
    };
    /// `db` and `clock` must outlive this.
    FleetOps(Database& db, const loyalty::Clock& clock, CatalogSource catalog, Options options);

    /// `authorization`: the Authorization header value ("Bearer …").
    [[nodiscard]] std::expected<Caller, ApiError> authenticate(std::string_view authorization);
    [[nodiscard]] std::expected<Enrolled, ApiError> enroll(const EnrollInput& input);
    /// The kiosk's own configuration (403 for another caller).
    [[nodiscard]] std::expected<ConfigParts, ApiError> config(const Caller& caller, std::string_view kioskId);
    /// Records the kiosk's report and takes its queued commands (delivered once).
    [[nodiscard]] std::expected<HeartbeatTaken, ApiError> heartbeat(const Caller& caller,
                                                                    std::string_view kioskId,
                                                                    const HeartbeatInput& input);

    // Head office (the caller must be Admin).
    [[nodiscard]] std::expected<EnrollmentCodeMade, ApiError> createEnrollmentCode(
        const Caller& caller, const EnrollmentCodeInput& input);
    [[nodiscard]] std::expected<std::vector<FleetStore::Kiosk>, ApiError> kiosks(const Caller& caller);
    [[nodiscard]] std::expected<void, ApiError> revoke(const Caller& caller, std::string_view kioskId);
    [[nodiscard]] std::expected<void, ApiError> queueCommand(const Caller& caller, std::string_view kioskId,
                                                             const CommandInput& input);

  private:
    Database& m_db;
    const loyalty::Clock& m_clock;
    CatalogSource m_catalog;
    Options m_options;
};

}  // namespace central
