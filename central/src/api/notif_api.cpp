#include "api/notif_api.hpp"

#include <httplib.h>

#include <charconv>
#include <regex>
#include <stdexcept>

#include "api/json_fields.hpp"
#include "loyalty/webhook_signature.hpp"
#include "ops/access.hpp"
#include "ops/notif_events.hpp"
#include "ops/notif_params.hpp"
#include "ops/notif_templates.hpp"
#include "store/notif_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr std::size_t kListLimit = 500;

class HttpTransport final : public NotifTransport {
  public:
    explicit HttpTransport(const NotifProviderOptions& options) : m_options(options) {
        static const std::regex kUrl(R"(^(https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?)(/.*)?$)");
        std::smatch m;
        if (!std::regex_match(options.url, m, kUrl))
            throw std::invalid_argument("notify.provider_url is not an http(s)://host[:port]/path URL: " +
                                        options.url);
        m_path = m[3].matched ? std::string(m[3]) : "/";
        m_client = std::make_unique<httplib::Client>(std::string(m[1]));
        const auto seconds = options.timeoutMs / 1000;
        const auto micros = (options.timeoutMs % 1000) * 1000;
        m_client->set_connection_timeout(seconds, micros);
        m_client->set_read_timeout(seconds, micros);
        m_client->set_write_timeout(seconds, micros);
        m_client->set_keep_alive(true);
        // httplib writes the headers and the body of a request apart: with Nagle's algorithm the body
        // waits for the ACK of the headers, which the provider delays (40 ms on Linux) — 25 requests/s
        // per connection instead of thousands.
        m_client->set_tcp_nodelay(true);
    }

    NotifSendResult send(const NotifMessage& message) override {
        const auto body = providerBody(message, m_options.language);
        // Wall time, not the service clock: the provider checks the stamp against its own clock.
        const auto at = static_cast<loyalty::UnixSeconds>(std::time(nullptr));
        const httplib::Headers headers{
            {loyalty::kWebhookSignatureHeader, loyalty::signWebhook(m_options.secret, at, body)},
            {"Idempotency-Key", message.key}};
        auto res = m_client->Post(m_path, headers, body, "application/json");
        if (!res) return {0, "provider: " + httplib::to_string(res.error())};
        if (res->status >= 200 && res->status < 300) return {res->status, ""};
        return {res->status,
                "provider answered HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 200)};
    }

  private:
    NotifProviderOptions m_options;
    std::string m_path;
    std::unique_ptr<httplib::Client> m_client;
};

Json toJson(const NotifMessage& m) {
    Json params = Json::object();
    for (const auto& [name, value] : decodeParams(m.params).value_or(NotifParams{})) params[name] = value;
    return Json{{"message_id", m.id},        {"idempotency_key", m.key},
                {"event", m.event},          {"category", m.marketing ? "marketing" : "transactional"},
                {"phone", m.phone},          {"params", std::move(params)},
                {"state", m.state},          {"attempts", m.attempts},
                {"created_at", m.createdAt}, {"next_attempt_at", m.nextAttemptAt},
                {"last_error", m.lastError}, {"receipt_status", m.receiptStatus}};
}

JsonResult listMessages(Database& db, const Caller& caller, const std::string& state) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    if (!state.empty() && state != "pending" && state != "sent" && state != "dead" && state != "suppressed")
        return std::unexpected(invalidField("state", "pending, sent, dead or suppressed"));
    auto lease = db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    auto rows = NotifStore(**lease).list(state, kListLimit);
    if (!rows) return std::unexpected(storageError(rows.error()));
    Json out = Json::array();
    for (const auto& m : *rows) out.push_back(toJson(m));
    return Json{{"messages", std::move(out)}};
}

JsonResult replay(Database& db, const loyalty::Clock& clock, const Caller& caller,
                  const std::string& idText) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    std::int64_t id = 0;
    if (std::from_chars(idText.data(), idText.data() + idText.size(), id).ec != std::errc{})
        return std::unexpected(invalidField("id", "a number"));
    auto done = transact(db, [&](Connection& c) -> std::expected<bool, ApiError> {
        auto replayed = NotifStore(c).replay(id, clock.now());
        if (!replayed) return std::unexpected(storageError(replayed.error()));
        return *replayed;
    });
    if (!done) return std::unexpected(done.error());
    if (!*done)
        return std::unexpected(domainError(409, "not_dead", "only a dead-lettered message is replayed"));
    return Json{{"message_id", id}, {"state", "pending"}};
}

JsonResult promote(Database& db, const loyalty::Clock& clock, const Caller& caller, const Json& body) {
    if (auto admin = requireAdmin(caller); !admin) return std::unexpected(admin.error());
    if (auto known = onlyFields(body, {"promotion_id", "params"}); !known)
        return std::unexpected(known.error());
    auto id = requireString(body, "promotion_id", 64);
    if (!id) return std::unexpected(id.error());
    if (!isToken(*id, 64)) return std::unexpected(invalidField("promotion_id", "1-64 of A-Z a-z 0-9 - _"));
    NotifParams params;
    if (const auto it = body.find("params"); it != body.end()) {
        if (!it->is_object() || it->size() > 20)
            return std::unexpected(invalidField("params", "an object of at most 20 strings"));
        for (const auto& [name, value] : it->items()) {
            if (!isToken(name, 32) || !value.is_string() || value.get_ref<const std::string&>().size() > 500)
                return std::unexpected(
                    invalidField("params", "names 1-32 of A-Z a-z 0-9 - _, strings of 500 at most"));
            params.emplace_back(name, value.get<std::string>());
        }
    }
    const auto now = clock.now();
    auto queued = transact(db, [&](Connection& c) -> std::expected<std::int64_t, ApiError> {
        auto n = enqueuePromotion(c, *id, params, now);
        if (!n) return std::unexpected(storageError(n.error()));
        return *n;
    });
    if (!queued) return std::unexpected(queued.error());
    return Json{{"promotion_id", *id}, {"queued", *queued}};
}

/// The provider's callback: {"type": "receipt", "message_id", "status"} or {"type": "reply", "phone",
/// "text"} (STOP / DUNG / HUY withdraw marketing consent) or {"type": "opt_out", "phone"}.
JsonResult callback(Database& db, const loyalty::Clock& clock, const std::string& secret,
                    const std::string& rawBody, const std::string& signature, const Json& body) {
    if (secret.empty()) return std::unexpected(apiError("not_found"));
    if (auto ok = loyalty::verifyWebhook(secret, signature, rawBody, clock.now()); !ok)
        return std::unexpected(domainError(401, "bad_signature", ok.error()));
    auto type = requireString(body, "type", 16);
    if (!type) return std::unexpected(type.error());
    const auto now = clock.now();
    if (*type == "receipt") {
        auto key = requireString(body, "message_id", 200);
        auto status = requireString(body, "status", 32);
        if (!key) return std::unexpected(key.error());
        if (!status || !isToken(*status, 32)) return std::unexpected(invalidField("status", "a word"));
        auto stored = transact(db, [&](Connection& c) -> std::expected<bool, ApiError> {
            auto r = NotifStore(c).recordReceipt(*key, *status, now);
            if (!r) return std::unexpected(storageError(r.error()));
            return *r;
        });
        if (!stored) return std::unexpected(stored.error());
        return Json{{"stored", *stored}};
    }
    if (*type != "reply" && *type != "opt_out")
        return std::unexpected(invalidField("type", "receipt, reply or opt_out"));
    auto phoneText = requireString(body, "phone", 32);
    if (!phoneText) return std::unexpected(phoneText.error());
    auto phone = parsePhoneField(*phoneText);
    if (!phone) return std::unexpected(phone.error());
    if (*type == "reply") {
        auto text = requireString(body, "text", 500);
        if (!text) return std::unexpected(text.error());
        std::string word;
        for (const char ch : *text)
            if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
                word += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (word != "STOP" && word != "DUNG" && word != "HUY") return Json{{"withdrawn", false}};
    }
    auto withdrawn = withdrawConsent(db, phone->e164(), now, *type == "reply" ? "reply" : "link");
    if (!withdrawn && withdrawn.error().code == "not_found") return Json{{"withdrawn", false}};
    if (!withdrawn) return std::unexpected(withdrawn.error());
    return Json{{"withdrawn", true}};
}

/// A kiosk withdraws the marketing consent of the member it identified (`phoneText` as typed).
JsonResult kioskWithdraw(Database& db, const loyalty::Clock& clock, const Caller& caller,
                         const std::string& phoneText) {
    if (caller.kind != Caller::Kind::Kiosk) return std::unexpected(apiError("forbidden"));
    auto phone = parsePhoneField(phoneText);
    if (!phone) return std::unexpected(phone.error());
    return withdrawConsent(db, phone->e164(), clock.now(), "kiosk:" + caller.kioskId);
}

}  // namespace

Json consentJson(const NotifStore::Consent& consent) {
    return Json{{"marketing", consent.marketing}, {"at", consent.at}, {"source", consent.source}};
}

JsonResult withdrawConsent(Database& db, const std::string& phone, loyalty::UnixSeconds now,
                           const std::string& source) {
    auto done = transact(db, [&](Connection& c) -> std::expected<Json, ApiError> {
        auto r = NotifStore(c).withdrawMarketing(phone, now, source);
        if (!r) return std::unexpected(storageError(r.error()));
        if (!*r) return std::unexpected(apiError("not_found"));
        return Json{{"consent", consentJson(**r)}};
    });
    if (!done) return std::unexpected(done.error());
    return std::move(*done);
}

std::string providerBody(const NotifMessage& message, const std::string& language) {
    Json params = Json::object();
    for (const auto& [name, value] : decodeParams(message.params).value_or(NotifParams{}))
        params[name] = value;
    return Json{{"message_id", message.key},
                {"phone", message.phone},
                {"event", message.event},
                {"template_id", templateId(message.event, language)},
                {"language", language},
                {"params", std::move(params)},
                {"category", message.marketing ? "marketing" : "transactional"}}
        .dump();
}

std::unique_ptr<NotifTransport> makeHttpTransport(const NotifProviderOptions& options) {
    return std::make_unique<HttpTransport>(options);
}

std::vector<Route> notifRoutes(Database& db, const loyalty::Clock& clock, std::string secret) {
    Database* d = &db;
    const loyalty::Clock* k = &clock;
    return {
        {"GET", "/v1/admin/notify/messages", Auth::Credential, Body::Optional,
         jsonHandler([d](const http::Request& q, const Caller& c, const Json&) {
             return listMessages(*d, c, q.get_param_value("state"));
         })},
        {"POST", "/v1/admin/notify/messages/{id:[0-9]{1,18}}/replay", Auth::Credential, Body::Optional,
         jsonHandler([d, k](const http::Request& q, const Caller& c, const Json&) {
             return replay(*d, *k, c, pathParam(q));
         })},
        {"POST", "/v1/admin/notify/promotions", Auth::Credential, Body::Required,
         jsonHandler(
             [d, k](const http::Request&, const Caller& c, const Json& b) { return promote(*d, *k, c, b); })},
        {"POST", "/v1/members/{phone}/consent/withdraw", Auth::Credential, Body::Optional,
         jsonHandler([d, k](const http::Request& q, const Caller& c, const Json&) {
             return kioskWithdraw(*d, *k, c, pathParam(q));
         })},
        {"POST", "/v1/notify/callback", Auth::Open, Body::Required,
         jsonHandler([d, k, secret = std::move(secret)](const http::Request& q, const Caller&,
                                                        const Json& b) {
             return callback(*d, *k, secret, q.body, q.get_header_value(loyalty::kWebhookSignatureHeader), b);
         })},
    };
}

}  // namespace central
