#pragma once
// The JSON face of notifications (docs/api.md, "Notifications"; docs/notifications.md): the request
// central sends the provider (its NotifTransport over HTTP), the admin's outbox and dead-letter list,
// replay and promotions, and the provider's signed callback (delivery receipts, STOP replies, opt-out
// links). Private to central_core.

#include <memory>
#include <string>
#include <vector>

#include "api/route.hpp"
#include "central/service.hpp"
#include "ops/notif_worker.hpp"

namespace central {

/// The provider's endpoint and the shared secret both sides sign with.
struct NotifProviderOptions {
    std::string url;  ///< http(s)://host[:port]/path
    std::string secret;
    std::string language = "vi";
    int timeoutMs = 5000;
};

/// {"marketing", "at", "source"}: a member's marketing consent as the kiosk and the console show it.
[[nodiscard]] Json consentJson(const NotifStore::Consent& consent);

/// Withdraws the marketing consent of `phone` (E.164) in its own transaction, recording `source`
/// ("kiosk:<id>", "console:<user>", "reply", "link"); the next promotion to the member is suppressed
/// when the worker picks it up. {"consent": {...}} as it is now; 404 not_found for no such member.
[[nodiscard]] JsonResult withdrawConsent(Database& db, const std::string& phone, loyalty::UnixSeconds now,
                                         const std::string& source);

/// The provider request body of `message`: message_id (the idempotency key), phone, template_id,
/// language, params (named, strings), category.
[[nodiscard]] std::string providerBody(const NotifMessage& message, const std::string& language);

/// A keep-alive HTTP transport to the provider, signing every request. Throws std::invalid_argument on
/// a malformed URL (start-up).
[[nodiscard]] std::unique_ptr<NotifTransport> makeHttpTransport(const NotifProviderOptions& options);

/// The routes (also the kiosk's consent withdrawal); `secret` verifies the callback ("" = notifications off:
/// the callback answers 404).
[[nodiscard]] std::vector<Route> notifRoutes(Database& db, const loyalty::Clock& clock, std::string secret);

}  // namespace central
