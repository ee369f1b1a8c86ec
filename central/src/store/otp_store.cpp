#include "store/otp_store.hpp"

namespace central {
namespace {

DbResult<void> done(const DbResult<Rows>& result) {
    if (!result) return std::unexpected(result.error());
    return {};
}

}  // namespace

DbResult<std::optional<OtpStore::Code>> OtpStore::find(const std::string& phone, const std::string& kiosk) {
    auto rows = m_c.query(
        "SELECT code_hash, expires_at, tries_left, reward_id FROM otp_codes WHERE phone = $1 AND kiosk_id = "
        "$2",
        {phone, kiosk});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Code>{};
    const auto& row = rows->front();
    return std::optional<Code>(Code{row.text(0), row.integer(1), row.integer(2), row.text(3)});
}

DbResult<OtpStore::Window> OtpStore::failures(const std::string& phone, const std::string& kiosk,
                                              const std::string& reward, loyalty::UnixSeconds since) {
    auto rows = m_c.query(
        "SELECT COUNT(*), MAX(at) FROM otp_events WHERE phone = $1 AND kiosk_id = $2 AND "
        "kind = 'fail' AND (reward_id = $3 OR reward_id = '') AND at > $4",
        {phone, kiosk, reward, since});
    if (!rows) return std::unexpected(rows.error());
    return Window{rows->front().integer(0), rows->front().integer(1)};
}

DbResult<OtpStore::Window> OtpStore::requests(const char* where, std::initializer_list<Param> params) {
    auto rows = m_c.query(
        std::string("SELECT COUNT(*), MIN(at) FROM otp_events WHERE kind = 'request' AND ") + where, params);
    if (!rows) return std::unexpected(rows.error());
    return Window{rows->front().integer(0), rows->front().integer(1)};
}

DbResult<OtpStore::Window> OtpStore::requestsOfPhoneAtKiosk(const std::string& phone,
                                                            const std::string& kiosk,
                                                            loyalty::UnixSeconds since) {
    return requests("phone = $1 AND kiosk_id = $2 AND at > $3", {phone, kiosk, since});
}

DbResult<OtpStore::Window> OtpStore::requestsOfPhone(const std::string& phone, loyalty::UnixSeconds since) {
    return requests("phone = $1 AND at > $2", {phone, since});
}

DbResult<OtpStore::Window> OtpStore::requestsAtKiosk(const std::string& kiosk, loyalty::UnixSeconds since) {
    return requests("kiosk_id = $1 AND at > $2", {kiosk, since});
}

DbResult<std::int64_t> OtpStore::countFailure(const std::string& phone, const std::string& kiosk,
                                              const std::string& reward, loyalty::UnixSeconds now) {
    auto left = m_c.query(
        "UPDATE otp_codes SET tries_left = tries_left - 1 WHERE phone = $1 AND kiosk_id = $2 AND "
        "tries_left > 0 RETURNING tries_left",
        {phone, kiosk});
    if (!left) return std::unexpected(left.error());
    auto event = m_c.query(
        "INSERT INTO otp_events (phone, kiosk_id, reward_id, kind, at) VALUES ($1, $2, $3, 'fail', $4)",
        {phone, kiosk, reward, now});
    if (!event) return std::unexpected(event.error());
    return left->empty() ? 0 : left->front().integer(0);
}

DbResult<void> OtpStore::remove(const std::string& phone, const std::string& kiosk) {
    return done(m_c.query("DELETE FROM otp_codes WHERE phone = $1 AND kiosk_id = $2", {phone, kiosk}));
}

DbResult<void> OtpStore::withdraw(const std::string& phone, const std::string& kiosk,
                                  const std::string& hash) {
    return done(m_c.query("DELETE FROM otp_codes WHERE phone = $1 AND kiosk_id = $2 AND code_hash = $3",
                          {phone, kiosk, hash}));
}

DbResult<void> OtpStore::prune(loyalty::UnixSeconds eventsUntil, loyalty::UnixSeconds now) {
    if (auto events = done(m_c.query("DELETE FROM otp_events WHERE at <= $1", {eventsUntil})); !events)
        return events;
    return done(m_c.query("DELETE FROM otp_codes WHERE expires_at <= $1", {now}));
}

DbResult<void> OtpStore::issue(const std::string& phone, const std::string& kiosk, const Code& code,
                               loyalty::UnixSeconds now) {
    if (auto saved = done(m_c.query(
            "INSERT INTO otp_codes (phone, kiosk_id, reward_id, code_hash, expires_at, tries_left) VALUES "
            "($1, $2, $3, $4, $5, $6) ON CONFLICT (phone, kiosk_id) DO UPDATE SET reward_id = "
            "excluded.reward_id, code_hash = excluded.code_hash, expires_at = excluded.expires_at, "
            "tries_left = excluded.tries_left",
            {phone, kiosk, code.rewardId, code.hash, code.expiresAt, code.triesLeft}));
        !saved)
        return saved;
    return done(m_c.query(
        "INSERT INTO otp_events (phone, kiosk_id, reward_id, kind, at) VALUES ($1, $2, $3, 'request', $4)",
        {phone, kiosk, code.rewardId, now}));
}

}  // namespace central
