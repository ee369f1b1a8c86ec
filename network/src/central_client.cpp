#include "network/central_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

#include "curl_common.hpp"
#include "json_read.hpp"
#include "network/release_download.hpp"

namespace net {
using namespace detail;
namespace {

/// http:// is allowed only where nothing leaves the machine.
bool isLoopbackHost(std::string_view host) {
    if (host == "localhost" || host == "[::1]" || host == "::1") return true;
    // 127.0.0.0/8, written as a dotted quad (curl normalises the host before we see it).
    if (!host.starts_with("127.")) return false;
    int dots = 0;
    for (char c : host) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    return dots == 3;
}

struct Reply {
    long status = 0;
    std::string body;
    std::string etag;
    std::optional<loyalty::UnixSeconds> date;
    std::optional<std::chrono::seconds> retryAfter;
};

}  // namespace

bool isUsableCredential(std::string_view credential) {
    // It goes into an "Authorization: Bearer" header on every call: anything outside visible ASCII could
    // split or forge a header.
    return !credential.empty() && credential.size() <= kMaxCredentialLength &&
           std::all_of(credential.begin(), credential.end(), [](char c) { return c > ' ' && c < '\x7f'; });
}

struct CentralClient::Impl {
    ClientConfig config;  ///< config.credential only under credentialMutex (setCredential may race a call)
    mutable std::mutex credentialMutex;
    CURL* curl = nullptr;
    // Per-request state the curl callbacks fill.
    Reply reply;
    bool tooLarge = false;

    explicit Impl(ClientConfig c) : config(std::move(c)), curl(curl_easy_init()) {}
    ~Impl() { curl_easy_cleanup(curl); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* self) {
        auto& impl = *static_cast<Impl*>(self);
        const std::size_t bytes = size * count;
        if (impl.reply.body.size() + bytes > impl.config.maxResponseBytes) {
            impl.tooLarge = true;
            return 0;  // aborts the transfer: a huge body is never buffered
        }
        impl.reply.body.append(data, bytes);
        return bytes;
    }

    static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self) {
        auto& impl = *static_cast<Impl*>(self);
        const std::size_t bytes = size * count;
        const std::string_view line(data, bytes);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return bytes;
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto value = trim(line.substr(colon + 1));
        if (name == "etag") {
            impl.reply.etag = std::string(value);
        } else if (name == "date") {
            const std::string text(value);
            const auto parsed = curl_getdate(text.c_str(), nullptr);
            if (parsed > 0) impl.reply.date = static_cast<loyalty::UnixSeconds>(parsed);
        } else if (name == "retry-after") {
            impl.reply.retryAfter = parseRetryAfter(value);
        }
        return bytes;
    }

    [[nodiscard]] std::string currentCredential() const {
        std::lock_guard lock(credentialMutex);
        return config.credential;
    }

    /// One HTTP exchange. Any 2xx/304 comes back as a Reply; everything else as an Error.
    Result<Reply> send(const char* method, const std::string& path, const std::string* body,
                       const std::string& ifNoneMatch = {}) {
        if (!curl) return std::unexpected(makeError(ErrorKind::Network, "libcurl could not start"));
        curl_easy_reset(curl);  // keeps the live connection, clears options
        reply = Reply{};
        tooLarge = false;
        const std::string url = config.baseUrl + path;

        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, "Accept: application/json");
        if (body) headers = curl_slist_append(headers, "Content-Type: application/json");
        if (const auto credential = currentCredential(); !credential.empty())
            headers = curl_slist_append(headers, ("Authorization: Bearer " + credential).c_str());
        if (!ifNoneMatch.empty())
            headers = curl_slist_append(headers, ("If-None-Match: " + ifNoneMatch).c_str());
        headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip on batches

        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        applyCommonOptions(curl, config);
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config.maxResponseBytes));
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Impl::onBody);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Impl::onHeader);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
        if (body) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
        } else {
            curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        }

        const CURLcode rc = curl_easy_perform(curl);
        curl_slist_free_all(headers);
        if (rc != CURLE_OK) return std::unexpected(transportError(rc, config, tooLarge));
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        if ((reply.status >= 200 && reply.status < 300) || reply.status == 304) return reply;
        return std::unexpected(httpError(reply.status, reply.body, reply.retryAfter));
    }

    /// A 2xx JSON object answer, or BadResponse. A 2xx that carries an "error" is not a success.
    Result<Json> sendJson(const char* method, const std::string& path, const Json* request) {
        const std::string body = request ? request->dump() : std::string();
        auto sent = send(method, path, request ? &body : nullptr);
        if (!sent) return std::unexpected(sent.error());
        auto json = Json::parse(sent->body, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return std::unexpected(badResponse("with something that is not a JSON object"));
        if (json.contains("error")) {
            auto doc = errorOf(json);
            auto error = badResponse("HTTP " + std::to_string(sent->status) +
                                     " with an error inside: " + doc.code + " " + doc.message.en);
            error.code = doc.code;
            return std::unexpected(error);
        }
        return json;
    }

    /// The server's time: the body's "server_time" if it has one, else the HTTP Date header.
    [[nodiscard]] std::optional<loyalty::UnixSeconds> serverTime(const Json& body) const {
        if (auto t = readInt(body, "server_time"); t && *t > 0) return *t;
        return reply.date;
    }

    Result<void> needKiosk() const {
        if (!isSafePathSegment(config.kioskId, 64))
            return std::unexpected(makeError(ErrorKind::InvalidRequest, "no valid kiosk id configured"));
        return {};
    }
};

namespace {

Json claimJson(const ClaimRequest& request) {
    return Json{{"idempotency_key", request.idempotencyKey},
                {"token", request.token},
                {"phone", request.phone},
                {"kiosk_time", request.kioskTime},
                {"consent",
                 {{"join", request.consentJoin},
                  {"marketing", request.consentMarketing},
                  {"text_version", request.consentTextVersion}}}};
}

/// One claim's result in central's answer: {"status":"accepted"|"refused", …} (docs/api.md).
std::optional<ClaimOutcome> parseOutcome(const Json& item) {
    if (!item.is_object()) return std::nullopt;
    ClaimOutcome outcome;
    outcome.idempotencyKey = readStringOr(item, "idempotency_key");
    outcome.receiptId = readStringOr(item, "receipt_id");
    const auto status = readString(item, "status");
    if (!status) return std::nullopt;
    if (*status == "accepted") {
        const auto points = readInt(item, "points");
        const auto balance = readInt(item, "balance");
        if (!points || !balance || *points < 0) return std::nullopt;
        outcome.status = ClaimOutcome::Status::Accepted;
        outcome.pointsEarned = *points;
        outcome.balance = *balance;
        outcome.tier = readStringOr(item, "tier");
        outcome.nextTier = readStringOr(item, "next_tier");
        outcome.progressPermille = readInt(item, "progress_permille").value_or(0);
        outcome.pointsToNextTier = readInt(item, "points_to_next_tier").value_or(0);
        outcome.newMember = readBool(item, "new_member").value_or(false);
        outcome.replayed = readBool(item, "replayed").value_or(false);
        outcome.explain = {readStringOr(item, "explain_vi"), readStringOr(item, "explain_en")};
        if (const auto it = item.find("breakdown"); it != item.end()) {
            if (!it->is_array()) return std::nullopt;
            for (const auto& line : *it) {
                if (!line.is_object()) return std::nullopt;
                const auto label = readString(line, "label");
                const auto linePoints = readInt(line, "points");
                if (!label || !linePoints) return std::nullopt;
                outcome.breakdown.push_back(PointsLine{
                    readStringOr(line, "kind"), {*label, readStringOr(line, "label_en")}, *linePoints});
            }
        }
    } else if (*status == "refused") {
        auto error = errorOf(item);
        if (error.code.empty()) return std::nullopt;  // a refusal without a reason is not definitive
        outcome.status = ClaimOutcome::Status::Refused;
        outcome.code = std::move(error.code);
        outcome.reason = std::move(error.message);
    } else if (*status == "retry") {
        outcome.status = ClaimOutcome::Status::Retry;
        auto error = errorOf(item);
        outcome.code = std::move(error.code);
        outcome.reason = std::move(error.message);
    } else {
        return std::nullopt;
    }
    return outcome;
}

/// Central's update offer: a release id, its version and release paths to fetch it from.
std::optional<UpdateOffer> parseOffer(const Json& item) {
    if (!item.is_object()) return std::nullopt;
    UpdateOffer offer;
    offer.releaseId = readInt(item, "release_id").value_or(0);
    offer.rolloutId = readInt(item, "rollout_id").value_or(0);
    offer.version = readStringOr(item, "version");
    offer.manifestUrl = readStringOr(item, "manifest_url");
    offer.bundleUrl = readStringOr(item, "bundle_url");
    if (offer.releaseId <= 0 || offer.version.empty() || offer.version.size() > 64 ||
        !isReleasePath(offer.manifestUrl) || !isReleasePath(offer.bundleUrl))
        return std::nullopt;
    return offer;
}

}  // namespace

Result<CentralClient> CentralClient::create(ClientConfig config) {
    static std::once_flag curlInit;
    std::call_once(curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    while (config.baseUrl.ends_with('/')) config.baseUrl.pop_back();
    CURLU* url = curl_url();
    if (!url) return std::unexpected(makeError(ErrorKind::InvalidConfig, "out of memory"));
    std::string scheme;
    std::string host;
    if (curl_url_set(url, CURLUPART_URL, config.baseUrl.c_str(), 0) == CURLUE_OK) {
        char* part = nullptr;
        if (curl_url_get(url, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) scheme = part;
        curl_free(part);
        part = nullptr;
        if (curl_url_get(url, CURLUPART_HOST, &part, 0) == CURLUE_OK) host = part;
        curl_free(part);
    }
    curl_url_cleanup(url);
    if (scheme != "https" && scheme != "http")
        return std::unexpected(
            makeError(ErrorKind::InvalidConfig, "central URL must be https://…: '" + config.baseUrl + "'"));
    if (scheme == "http" && !isLoopbackHost(host))
        return std::unexpected(
            makeError(ErrorKind::InvalidConfig,
                      "refusing clear-text http:// to " + host + ": use https:// (http only for loopback)"));
    if (!config.kioskId.empty() && !isSafePathSegment(config.kioskId, 64))
        return std::unexpected(makeError(ErrorKind::InvalidConfig, "kiosk id may use only A-Z a-z 0-9 - _"));
    if (config.connectTimeout.count() <= 0 || config.requestTimeout.count() <= 0 ||
        config.maxResponseBytes == 0)
        return std::unexpected(
            makeError(ErrorKind::InvalidConfig, "timeouts and the response size cap must be positive"));

    auto impl = std::make_unique<Impl>(std::move(config));
    if (!impl->curl) return std::unexpected(makeError(ErrorKind::InvalidConfig, "libcurl could not start"));
    return CentralClient(std::move(impl));
}

CentralClient::CentralClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CentralClient::CentralClient(CentralClient&&) noexcept = default;
CentralClient& CentralClient::operator=(CentralClient&&) noexcept = default;
CentralClient::~CentralClient() = default;

const ClientConfig& CentralClient::config() const {
    return m_impl->config;
}

std::string CentralClient::credential() const {
    return m_impl->currentCredential();
}

void CentralClient::setCredential(std::string credential) {
    std::lock_guard lock(m_impl->credentialMutex);
    m_impl->config.credential = std::move(credential);
}

Result<Enrollment> CentralClient::enroll(const std::string& enrollmentCode,
                                         const std::string& proposedCredential) {
    Json request{{"enrollment_code", enrollmentCode}};
    if (!proposedCredential.empty()) request["credential"] = proposedCredential;
    if (!m_impl->config.kioskId.empty()) request["kiosk_id"] = m_impl->config.kioskId;
    auto json = m_impl->sendJson("POST", "/v1/kiosks/enroll", &request);
    if (!json) return std::unexpected(json.error());
    Enrollment enrollment;
    enrollment.serverTime = m_impl->serverTime(*json);
    auto id = readString(*json, "kiosk_id");
    auto credential = readString(*json, "credential");
    if (!id || !credential || !isUsableCredential(*credential) || !isSafePathSegment(*id, 64))
        return std::unexpected(badResponse("an enrollment without kiosk_id and credential"));
    enrollment.kioskId = std::move(*id);
    enrollment.credential = std::move(*credential);
    enrollment.store = readStringOr(*json, "store");
    return enrollment;
}

Result<ClaimOutcome> CentralClient::claim(const ClaimRequest& request) {
    auto batch = claimBatch({request});
    if (!batch) return std::unexpected(batch.error());
    return std::move(batch->outcomes.front());
}

Result<ClaimBatchAnswer> CentralClient::claimBatch(const std::vector<ClaimRequest>& requests) {
    if (requests.empty()) return std::unexpected(makeError(ErrorKind::InvalidRequest, "an empty batch"));
    Json claims = Json::array();
    for (const auto& request : requests) {
        if (request.idempotencyKey.empty())
            return std::unexpected(makeError(ErrorKind::InvalidRequest, "a claim without idempotency key"));
        claims.push_back(claimJson(request));
    }
    const Json body{{"kiosk_id", m_impl->config.kioskId}, {"claims", std::move(claims)}};
    auto json = m_impl->sendJson("POST", "/v1/claims", &body);
    if (!json) {
        // A batch of one refused as a whole (409 already claimed, 422 invalid token …) is that claim's
        // definitive answer. Other 4xx (404 from a wrong route, 413, 415 …) say something is wrong with
        // the link, not with the receipt: the claim stays queued and staff see the error.
        const int status = json.error().httpStatus;
        const bool aboutTheClaim = status == 400 || status == 409 || status == 410 || status == 422;
        if (requests.size() == 1 && json.error().kind == ErrorKind::Refused && aboutTheClaim) {
            ClaimBatchAnswer answer;
            answer.serverTime = m_impl->reply.date;
            ClaimOutcome outcome;
            outcome.status = ClaimOutcome::Status::Refused;
            outcome.idempotencyKey = requests.front().idempotencyKey;
            outcome.code = json.error().code;
            outcome.reason.en = json.error().message;
            answer.outcomes.push_back(std::move(outcome));
            return answer;
        }
        return std::unexpected(json.error());
    }
    const auto results = json->find("results");
    if (results == json->end() || !results->is_array() || results->size() != requests.size())
        return std::unexpected(badResponse("a claims answer that does not account for every claim"));
    ClaimBatchAnswer answer;
    answer.serverTime = m_impl->serverTime(*json);
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto outcome = parseOutcome((*results)[i]);
        if (!outcome)
            return std::unexpected(badResponse("a malformed result for claim " + std::to_string(i)));
        // Answers are matched by key, not by trust in their order.
        if (!outcome->idempotencyKey.empty() && outcome->idempotencyKey != requests[i].idempotencyKey)
            return std::unexpected(badResponse("results out of order"));
        outcome->idempotencyKey = requests[i].idempotencyKey;
        answer.outcomes.push_back(std::move(*outcome));
    }
    return answer;
}

Result<MemberInfo> CentralClient::member(const std::string& phone) {
    if (!isSafePathSegment(phone, 20))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not a phone number"));
    auto json = m_impl->sendJson("GET", "/v1/members/" + phone, nullptr);
    if (!json) return std::unexpected(json.error());
    MemberInfo info;
    info.serverTime = m_impl->serverTime(*json);
    const auto balance = readInt(*json, "balance");
    if (!balance) return std::unexpected(badResponse("a member without a balance"));
    info.phone = readStringOr(*json, "phone", phone);
    info.balance = *balance;
    info.pending = readInt(*json, "pending").value_or(0);
    info.tier = readStringOr(*json, "tier");
    info.nextTier = readStringOr(*json, "next_tier");
    info.progress = readInt(*json, "progress").value_or(0);
    info.nextTierAt = readInt(*json, "next_tier_at").value_or(0);
    info.progressPermille = readInt(*json, "progress_permille").value_or(0);
    info.pointsToNextTier = readInt(*json, "points_to_next_tier").value_or(0);
    info.masked = readStringOr(*json, "masked");
    info.tierName = {readStringOr(*json, "tier_name_vi"), readStringOr(*json, "tier_name_en")};
    if (const auto consent = json->find("consent"); consent != json->end()) {
        const auto marketing = consent->is_object() ? readBool(*consent, "marketing") : std::nullopt;
        if (!marketing) return std::unexpected(badResponse("a consent without its marketing flag"));
        info.marketingConsent = *marketing;
    }
    if (const auto it = json->find("history"); it != json->end()) {
        if (!it->is_array()) return std::unexpected(badResponse("a history that is not a list"));
        for (const auto& item : *it) {
            if (!item.is_object()) return std::unexpected(badResponse("a malformed history entry"));
            const auto at = readInt(item, "at");
            const auto points = readInt(item, "points");
            if (!at || !points) return std::unexpected(badResponse("a malformed history entry"));
            info.history.push_back(
                HistoryEntry{*at, readStringOr(item, "kind"), *points, readStringOr(item, "description")});
        }
    }
    return info;
}

Result<OtpSent> CentralClient::requestOtp(const std::string& phone, const std::string& rewardId) {
    if (!isSafePathSegment(phone, 20))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not a phone number"));
    Json request{{"phone", phone}};
    if (!rewardId.empty()) request["reward_id"] = rewardId;
    auto json = m_impl->sendJson("POST", "/v1/otp", &request);
    if (!json) return std::unexpected(json.error());
    OtpSent sent;
    sent.serverTime = m_impl->serverTime(*json);
    sent.expiresInSeconds = readInt(*json, "expires_in").value_or(300);
    sent.masked = readStringOr(*json, "masked");
    return sent;
}

Result<Voucher> CentralClient::redeem(const RedemptionRequest& request) {
    const Json body{{"idempotency_key", request.idempotencyKey},
                    {"phone", request.phone},
                    {"reward_id", request.rewardId},
                    {"otp", request.otp}};
    auto json = m_impl->sendJson("POST", "/v1/redemptions", &body);
    if (!json) return std::unexpected(json.error());
    const Json& v = json->contains("voucher") && (*json)["voucher"].is_object() ? (*json)["voucher"] : *json;
    Voucher voucher;
    voucher.serverTime = m_impl->serverTime(*json);
    auto code = readString(v, "code");
    auto qr = readString(v, "qr_payload");
    if (!code || !qr || code->empty() || qr->empty())
        return std::unexpected(badResponse("a voucher without code or QR"));
    voucher.code = std::move(*code);
    voucher.qrPayload = std::move(*qr);
    voucher.valueDong = readInt(v, "value_dong").value_or(0);
    voucher.pointsSpent = readInt(v, "points_spent").value_or(readInt(*json, "points_spent").value_or(0));
    voucher.balance = readInt(*json, "balance").value_or(readInt(v, "balance").value_or(0));
    voucher.expiresAt = readInt(v, "expires_at").value_or(0);
    voucher.terms = {readStringOr(v, "terms"), readStringOr(v, "terms_en")};
    voucher.rewardId = readStringOr(v, "reward_id");
    voucher.name = {readStringOr(v, "name_vi"), readStringOr(v, "name_en")};
    voucher.issuedAt = readInt(v, "issued_at").value_or(0);
    return voucher;
}

Result<ConfigAnswer> CentralClient::pullConfig(const std::string& etag) {
    if (auto ok = m_impl->needKiosk(); !ok) return std::unexpected(ok.error());
    auto sent = m_impl->send("GET", "/v1/kiosks/" + m_impl->config.kioskId + "/config", nullptr, etag);
    if (!sent) return std::unexpected(sent.error());
    ConfigAnswer answer;
    answer.serverTime = sent->date;
    if (sent->status == 304) {
        answer.notModified = true;
        answer.etag = etag;
        return answer;
    }
    const auto json = Json::parse(sent->body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return std::unexpected(badResponse("a configuration that is not a JSON object"));
    if (json.contains("error")) return std::unexpected(badResponse("a configuration carrying an error"));
    if (sent->etag.empty()) return std::unexpected(badResponse("a configuration without ETag"));
    answer.etag = std::move(sent->etag);
    answer.body = std::move(sent->body);
    return answer;
}

Result<Json> CentralClient::jsonCall(const char* method, const std::string& path, const Json* body,
                                     Answer& answer) {
    auto json = m_impl->sendJson(method, path, body);
    if (json) answer.serverTime = m_impl->serverTime(*json);
    return json;
}

Result<HeartbeatAnswer> CentralClient::heartbeat(const Heartbeat& beat) {
    if (auto ok = m_impl->needKiosk(); !ok) return std::unexpected(ok.error());
    Json health = Json::object();
    for (const auto& [device, state] : beat.health) health[device] = state;
    Json body{{"version", beat.version},
              {"uptime_s", beat.uptimeSeconds},
              {"outbox_depth", beat.outboxDepth},
              {"health", std::move(health)}};
    if (beat.update)
        body["update"] = Json{{"release_id", beat.update->releaseId},
                              {"state", beat.update->state},
                              {"error", beat.update->error.substr(0, 200)}};
    auto json = m_impl->sendJson("POST", "/v1/kiosks/" + m_impl->config.kioskId + "/heartbeat", &body);
    if (!json) return std::unexpected(json.error());
    HeartbeatAnswer answer;
    answer.serverTime = m_impl->serverTime(*json);
    if (const auto it = json->find("commands"); it != json->end()) {
        if (!it->is_array()) return std::unexpected(badResponse("commands that are not a list"));
        for (const auto& command : *it) {
            if (command.is_string()) {
                answer.commands.push_back(Command{command.get<std::string>(), {}});
            } else if (command.is_object() && readString(command, "type")) {
                Command c{*readString(command, "type"), {}};
                for (const auto& [name, value] : command.items()) {
                    if (value.is_string()) c.fields[name] = value.get<std::string>();
                    if (value.is_boolean()) c.fields[name] = value.get<bool>() ? "true" : "false";
                }
                answer.commands.push_back(std::move(c));
            } else {
                return std::unexpected(badResponse("a malformed command"));
            }
        }
    }
    if (const auto it = json->find("update"); it != json->end() && !it->is_null()) {
        auto offer = parseOffer(*it);
        if (!offer) return std::unexpected(badResponse("a malformed update offer"));
        answer.update = std::move(*offer);
    }
    return answer;
}

Result<Answer> CentralClient::reportStaffActions(const std::vector<StaffActionReport>& actions) {
    if (auto ok = m_impl->needKiosk(); !ok) return std::unexpected(ok.error());
    Json list = Json::array();
    for (const auto& a : actions)
        list.push_back(Json{{"key", a.key},
                            {"staff_id", a.staffId},
                            {"action", a.action},
                            {"detail", a.detail.substr(0, 200)},
                            {"at", a.at}});
    const Json body{{"actions", std::move(list)}};
    auto json = m_impl->sendJson("POST", "/v1/kiosks/" + m_impl->config.kioskId + "/staff-actions", &body);
    if (!json) return std::unexpected(json.error());
    Answer answer;
    answer.serverTime = m_impl->serverTime(*json);
    return answer;
}

}  // namespace net
