#include "central/otp_notifier.hpp"

#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace central {
namespace {

std::string lineOf(const OtpMessage& m) {
    return nlohmann::json{
        {"phone", m.phoneE164}, {"code", m.code}, {"expires_at", m.expiresAt}, {"kiosk_id", m.kioskId}}
        .dump();
}

}  // namespace

std::expected<void, std::string> FileOtpNotifier::send(const OtpMessage& message) {
    const std::string line = lineOf(message) + "\n";
    std::lock_guard lock(m_mutex);
    std::ofstream out(m_path, std::ios::app | std::ios::binary);
    out << line;
    out.flush();
    if (!out) return std::unexpected("cannot append to " + m_path);
    return {};
}

WebhookOtpNotifier::WebhookOtpNotifier(const std::string& url) {
    static const std::regex kUrl(R"(^(https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?)(/.*)?$)");
    std::smatch m;
    if (!std::regex_match(url, m, kUrl)) throw std::invalid_argument("malformed OTP webhook URL: " + url);
    m_origin = m[1];
    m_path = m[3].matched ? std::string(m[3]) : "/";
}

std::expected<void, std::string> WebhookOtpNotifier::send(const OtpMessage& message) {
    httplib::Client client(m_origin);
    client.set_connection_timeout(3);
    client.set_read_timeout(5);
    client.set_write_timeout(5);
    auto res = client.Post(m_path, lineOf(message), "application/json");
    if (!res)
        return std::unexpected("OTP webhook " + m_origin + m_path + ": " + httplib::to_string(res.error()));
    if (res->status < 200 || res->status >= 300)
        return std::unexpected("OTP webhook " + m_origin + m_path + " answered HTTP " +
                               std::to_string(res->status));
    return {};
}

}  // namespace central
