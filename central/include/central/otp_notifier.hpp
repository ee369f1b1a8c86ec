#pragma once
// Delivers one-time codes to shoppers. Two implementations:
//   - FileOtpNotifier: development sink, appends one JSON line per code to a file (tests read it).
//   - WebhookOtpNotifier: POSTs the same JSON to an SMS / Zalo OA gateway URL.
// Threads: send() may be called from any thread concurrently. It BLOCKS (file write, or the HTTP call
// up to its timeout).

#include <expected>
#include <memory>
#include <mutex>
#include <string>

#include "loyalty/receipt.hpp"

namespace central {

struct OtpMessage {
    std::string phoneE164;
    std::string code;  ///< the 6 digits, in clear: only the notifier ever sees them
    loyalty::UnixSeconds expiresAt = 0;
    std::string kioskId;
};

class OtpNotifier {
  public:
    virtual ~OtpNotifier() = default;
    /// Error: a message for the log.
    [[nodiscard]] virtual std::expected<void, std::string> send(const OtpMessage& message) = 0;
};

class FileOtpNotifier final : public OtpNotifier {
  public:
    explicit FileOtpNotifier(std::string path) : m_path(std::move(path)) {}
    [[nodiscard]] std::expected<void, std::string> send(const OtpMessage& message) override;

  private:
    std::string m_path;
    std::mutex m_mutex;
};

class WebhookOtpNotifier final : public OtpNotifier {
  public:
    /// `url`: http(s)://host[:port]/path. Throws std::invalid_argument for a malformed URL (start-up).
    explicit WebhookOtpNotifier(const std::string& url);
    [[nodiscard]] std::expected<void, std::string> send(const OtpMessage& message) override;

  private:
    std::string m_origin;  ///< scheme://host:port
    std::string m_path;
};

}  // namespace central
