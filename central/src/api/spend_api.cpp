#include "api/spend_api.hpp"

#include "api/json_fields.hpp"
#include "ops/spend.hpp"

namespace central {
namespace {

OtpInput readOtpRequest(const Json& body) {
    auto phoneText = requireString(body, "phone", 32);
    if (!phoneText) return std::unexpected(phoneText.error());
    auto phone = parsePhoneField(*phoneText);
    if (!phone) return std::unexpected(phone.error());
    auto rewardId = optionalString(body, "reward_id", 64);
    if (!rewardId) return std::unexpected(rewardId.error());
    return OtpRequest{std::move(*phone), std::move(*rewardId)};
}

RedeemInput readRedeemRequest(const Json& body) {
    auto key = requireString(body, "idempotency_key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    auto phoneText = requireString(body, "phone", 32);
    if (!phoneText) return std::unexpected(phoneText.error());
    auto rewardId = requireString(body, "reward_id", 64);
    if (!rewardId) return std::unexpected(rewardId.error());
    auto otp = requireString(body, "otp", 16);
    if (!otp) return std::unexpected(otp.error());
    auto phone = parsePhoneField(*phoneText);
    if (!phone) return std::unexpected(phone.error());
    return RedeemRequest{std::move(*key), std::move(*phone), std::move(*rewardId), std::move(*otp)};
}

ConsumeInput readConsumeRequest(const Json& body) {
    auto store = optionalString(body, "store", 16);
    if (!store) return std::unexpected(store.error());
    auto reference = optionalString(body, "reference", 64);
    if (!reference) return std::unexpected(reference.error());
    return ConsumeRequest{std::move(*store), std::move(*reference)};
}

/// A redemption's answer as it is stored for replays (without "replayed").
Json voucherJson(const VoucherIssued& v) {
    const auto& reward = v.reward;
    return Json{{"voucher",
                 {{"code", v.voucher.code.text()},
                  {"qr_payload", v.qrPayload},
                  {"reward_id", reward.id},
                  {"name_vi", reward.name.vi},
                  {"name_en", reward.name.en},
                  {"value_dong", reward.value.value},
                  {"points_spent", reward.cost},
                  {"issued_at", v.at},
                  {"expires_at", v.voucher.expiresAt},
                  {"terms", reward.terms.vi},
                  {"terms_en", reward.terms.en},
                  {"masked_phone", v.maskedPhone}}},
                {"balance", v.balance},
                {"server_time", v.at}};
}

JsonResult redeemed(std::expected<RedeemOutcome, ApiError> outcome) {
    if (!outcome) return std::unexpected(outcome.error());
    if (const auto* issued = std::get_if<VoucherIssued>(&*outcome)) {
        Json answer = voucherJson(*issued);
        answer["replayed"] = false;
        return answer;
    }
    auto answer = Json::parse(std::get<RedeemReplay>(*outcome).answer, nullptr, false);
    if (answer.is_discarded()) return std::unexpected(apiError("internal"));
    answer["replayed"] = true;
    return answer;
}

JsonResult otpAnswer(std::expected<OtpSent, ApiError> sent) {
    if (!sent) return std::unexpected(sent.error());
    return Json{{"expires_in", sent->expiresIn}, {"masked", sent->maskedPhone}, {"server_time", sent->at}};
}

JsonResult consumedAnswer(std::expected<VoucherConsumed, ApiError> done) {
    if (!done) return std::unexpected(done.error());
    return Json{{"code", done->code},
                {"value_dong", done->valueDong},
                {"reward_id", done->rewardId},
                {"consumed_at", done->at},
                {"server_time", done->at}};
}

}  // namespace

std::vector<Route> spendRoutes(SpendOps& spend) {
    SpendOps* s = &spend;
    const SpendOps::AnswerCodec stored = [](const VoucherIssued& v) { return voucherJson(v).dump(); };
    return {
        {"POST", "/v1/otp", Auth::Credential, Body::Required,
         jsonHandler([s](const http::Request&, const Caller& c, const Json& b) {
             return otpAnswer(s->requestOtp(c, readOtpRequest(b)));
         }),
         Limit::Otp},
        {"POST", "/v1/redemptions", Auth::Credential, Body::Required,
         jsonHandler([s, stored](const http::Request&, const Caller& c, const Json& b) {
             return redeemed(s->redeem(c, readRedeemRequest(b), stored));
         }),
         Limit::Redeem},
        {"POST", "/v1/vouchers/{code}/consume", Auth::Credential, Body::Optional,
         jsonHandler([s](const http::Request& q, const Caller& c, const Json& b) {
             return consumedAnswer(s->consume(c, pathParam(q), readConsumeRequest(b)));
         }),
         Limit::Consume},
    };
}

}  // namespace central
