#include "api/spend_api.hpp"

namespace central {

std::vector<Route> spendRoutes(Service& service) {
    Service* s = &service;
    return {
        {"POST", "/v1/otp", Auth::Credential, Body::Required,
         [s](const http::Request&, const Caller& c, const Json& b) { return ok(s->requestOtp(c, b)); },
         Limit::Otp},
        {"POST", "/v1/redemptions", Auth::Credential, Body::Required,
         [s](const http::Request&, const Caller& c, const Json& b) { return ok(s->redeem(c, b)); },
         Limit::Redeem},
        {"POST", "/v1/vouchers/{code}/consume", Auth::Credential, Body::Optional,
         [s](const http::Request& q, const Caller& c, const Json& b) {
             return ok(s->consumeVoucher(c, pathParam(q), b));
         },
         Limit::Consume},
    };
}

}  // namespace central
