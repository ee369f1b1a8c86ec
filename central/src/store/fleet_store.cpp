#include "store/fleet_store.hpp"

#include <algorithm>
#include <utility>

namespace central {

DbResult<std::optional<FleetStore::Holder>> FleetStore::holderOf(const std::string& credentialHash) {
    auto rows = m_c.query("SELECT kiosk_id, store_id, revoked_at FROM kiosks WHERE credential_hash = $1",
                          {credentialHash});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Holder>{};
    const Row& row = rows->front();
    return std::optional<Holder>(Holder{row.text(0), row.text(1), !row.isNull(2)});
}

DbResult<std::optional<FleetStore::EnrollmentCode>> FleetStore::enrollmentCode(const std::string& codeHash) {
    auto rows = m_c.query(
        "SELECT kiosk_id, store_id, used_at, credential_hash FROM enrollment_codes WHERE code_hash = $1",
        {codeHash});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<EnrollmentCode>{};
    const Row& row = rows->front();
    return std::optional<EnrollmentCode>(
        EnrollmentCode{row.text(0), row.text(1), !row.isNull(2),
                       row.isNull(3) ? std::nullopt : std::optional<std::string>(row.text(3))});
}

DbResult<void> FleetStore::addEnrollmentCode(const std::string& codeHash, const std::string& kioskId,
                                             const std::string& store, loyalty::UnixSeconds now,
                                             loyalty::UnixSeconds expiresAt) {
    auto rows = m_c.query(
        "INSERT INTO enrollment_codes (code_hash, kiosk_id, store_id, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {codeHash, kioskId, store, now, expiresAt});
    if (!rows) return std::unexpected(rows.error());
    return {};
}

DbResult<bool> FleetStore::useEnrollmentCode(const std::string& codeHash, const std::string& credentialHash,
                                             loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "UPDATE enrollment_codes SET used_at = $1, credential_hash = $3 "
        "WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING kiosk_id",
        {now, codeHash, credentialHash});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<bool> FleetStore::credentialKnown(const std::string& credentialHash) {
    auto rows = m_c.query("SELECT 1 FROM kiosks WHERE credential_hash = $1", {credentialHash});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<bool> FleetStore::holdsCredential(const std::string& kioskId, const std::string& credentialHash) {
    auto rows =
        m_c.query("SELECT 1 FROM kiosks WHERE kiosk_id = $1 AND credential_hash = $2 AND revoked_at IS NULL",
                  {kioskId, credentialHash});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<void> FleetStore::enroll(const std::string& kioskId, const std::string& store,
                                  const std::string& credentialHash, loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "INSERT INTO kiosks (kiosk_id, store_id, credential_hash, enrolled_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (kiosk_id) DO UPDATE SET store_id = excluded.store_id, "
        "credential_hash = excluded.credential_hash, enrolled_at = excluded.enrolled_at, revoked_at = NULL",
        {kioskId, store, credentialHash, now});
    if (!rows) return std::unexpected(rows.error());
    return {};
}

DbResult<void> FleetStore::recordHeartbeat(const std::string& kioskId, const Health& h,
                                           loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "UPDATE kiosks SET last_seen = $1, version = $2, uptime_s = $3, outbox_depth = $4, health = $5 "
        "WHERE kiosk_id = $6",
        {now, h.version, h.uptimeS, h.outboxDepth, h.health, kioskId});
    if (!rows) return std::unexpected(rows.error());
    return {};
}

DbResult<std::vector<std::string>> FleetStore::takeCommands(const std::string& kioskId) {
    // Delivered once: taken out of the queue in the transaction that answers the heartbeat.
    auto rows =
        m_c.query("DELETE FROM kiosk_commands WHERE kiosk_id = $1 RETURNING command_id, command", {kioskId});
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::pair<std::int64_t, std::string>> taken;
    for (const auto& row : *rows) taken.emplace_back(row.integer(0), row.text(1));
    std::sort(taken.begin(), taken.end());
    std::vector<std::string> commands;
    for (auto& [id, command] : taken) commands.push_back(std::move(command));
    return commands;
}

DbResult<void> FleetStore::queueCommand(const std::string& kioskId, const std::string& command,
                                        loyalty::UnixSeconds now) {
    auto rows = m_c.query("INSERT INTO kiosk_commands (kiosk_id, command, created_at) VALUES ($1, $2, $3)",
                          {kioskId, command, now});
    if (!rows) return std::unexpected(rows.error());
    return {};
}

DbResult<std::vector<FleetStore::Kiosk>> FleetStore::kiosks() {
    auto rows = m_c.query(
        "SELECT kiosk_id, store_id, enrolled_at, revoked_at, last_seen, version, uptime_s, outbox_depth, "
        "health FROM kiosks ORDER BY kiosk_id");
    if (!rows) return std::unexpected(rows.error());
    std::vector<Kiosk> out;
    for (const auto& row : *rows)
        out.push_back(Kiosk{row.text(0), row.text(1), row.integer(2), !row.isNull(3), row.optionalInteger(4),
                            Health{row.text(5), row.integer(6), row.integer(7), row.text(8)}});
    return out;
}

DbResult<bool> FleetStore::kioskExists(const std::string& kioskId) {
    auto rows = m_c.query("SELECT kiosk_id FROM kiosks WHERE kiosk_id = $1", {kioskId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

DbResult<bool> FleetStore::revoke(const std::string& kioskId, loyalty::UnixSeconds now) {
    auto rows = m_c.query(
        "UPDATE kiosks SET revoked_at = COALESCE(revoked_at, $1) WHERE kiosk_id = $2 RETURNING kiosk_id",
        {now, kioskId});
    if (!rows) return std::unexpected(rows.error());
    return !rows->empty();
}

}  // namespace central
