// CentralClient's consent call (docs/notifications.md "Opt-out"): the member identified at this kiosk
// withdraws their marketing consent. The answer is read strictly: only central saying the consent is
// off counts as done, so the kiosk never tells a shopper promotions stopped when they may not have.

#include "json_read.hpp"
#include "network/central_client.hpp"

namespace net {

Result<Answer> CentralClient::withdrawMarketingConsent(const std::string& phone) {
    if (!isSafePathSegment(phone, 20))
        return std::unexpected(makeError(ErrorKind::InvalidRequest, "not a phone number"));
    const Json body = Json::object();
    Answer answer;
    auto json = jsonCall("POST", "/v1/members/" + phone + "/consent/withdraw", &body, answer);
    if (!json) return std::unexpected(json.error());
    const auto consent = json->find("consent");
    const auto marketing =
        consent != json->end() && consent->is_object() ? readBool(*consent, "marketing") : std::nullopt;
    if (!marketing || *marketing) return std::unexpected(badResponse("a withdrawal that left consent on"));
    return answer;
}

}  // namespace net
