#include "central/api_error.hpp"

#include <array>

namespace central {
namespace {

struct Known {
    std::string_view code;
    int status;
    std::string_view vi;
    std::string_view en;
};

constexpr std::array kKnown{
    Known{"bad_json", 400, "Dữ liệu gửi lên không phải JSON hợp lệ.",
          "The request body is not a valid JSON object."},
    Known{"invalid_field", 400, "Một trường dữ liệu không hợp lệ.", "A field is missing or invalid."},
    Known{"unknown_field", 400, "Có trường dữ liệu không được hỗ trợ.",
          "The request has a field central does not know."},
    Known{"batch_too_large", 400, "Quá nhiều hoá đơn trong một lần gửi (tối đa 200).",
          "Too many claims in one request (at most 200)."},
    Known{"unauthorized", 401, "Chưa xác thực hoặc thông tin xác thực không đúng.",
          "Missing or unknown credential."},
    Known{"login_failed", 401, "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."},
    Known{"csrf_failed", 403, "Phiên làm việc không hợp lệ. Vui lòng tải lại trang.",
          "The request lacks this session's CSRF token. Reload the page."},
    Known{"kiosk_revoked", 403, "Kiosk này đã bị thu hồi quyền truy cập. Vui lòng đăng ký lại.",
          "This kiosk was revoked. Enroll it again."},
    Known{"forbidden", 403, "Không được phép thực hiện thao tác này.", "This credential may not do that."},
    Known{"not_found", 404, "Không tìm thấy.", "Not found."},
    Known{"method_not_allowed", 405, "Phương thức không được hỗ trợ.", "Method not allowed."},
    Known{"already_claimed", 409, "Hoá đơn này đã được tích điểm.", "This receipt was already claimed."},
    Known{"idempotency_conflict", 409, "Mã yêu cầu đã được dùng cho một yêu cầu khác.",
          "This idempotency key was used for a different request."},
    Known{"enrollment_code_used", 409, "Mã đăng ký đã được sử dụng hoặc đã hết hạn.",
          "The enrollment code was already used or has expired."},
    Known{"username_taken", 409, "Tên đăng nhập đã được dùng.", "This username is taken."},
    Known{"staff_exists", 409, "Mã nhân viên đã được dùng.", "This staff id is taken."},
    Known{"pin_in_use", 409, "Mã PIN này đã được cấp cho một nhân viên khác. Hãy chọn mã khác.",
          "Another staff member has this PIN. Choose another."},
    Known{"voucher_already_consumed", 409, "Phiếu quà tặng đã được sử dụng.",
          "The voucher was already used."},
    Known{"insufficient_points", 409, "Số điểm không đủ.", "Not enough points."},
    Known{"return_exceeds_receipt", 409, "Số tiền trả lại vượt quá giá trị còn lại của hoá đơn.",
          "The amount returned passes what is left of the receipt."},
    Known{"voucher_expired", 410, "Phiếu quà tặng đã hết hạn.", "The voucher has expired."},
    Known{"body_too_large", 413, "Dữ liệu gửi lên quá lớn.", "The request body is too large."},
    Known{"unsupported_media_type", 415, "Dữ liệu phải là JSON (application/json).",
          "The body must be application/json."},
    Known{"consent_required", 422, "Khách hàng mới cần đồng ý tham gia chương trình.",
          "A new member must agree to join the programme."},
    Known{"otp_invalid", 422, "Mã xác nhận không đúng hoặc đã hết hạn.", "The code is wrong or has expired."},
    Known{"below_minimum_spend", 422, "Hoá đơn chưa đạt giá trị tối thiểu để tích điểm.",
          "The receipt is below the minimum spend and earns no points."},
    Known{"otp_locked", 429, "Số điện thoại tạm thời bị khoá do quá nhiều lần thử. Vui lòng thử lại sau.",
          "Too many attempts for this phone. Try again later."},
    Known{"account_locked", 429,
          "Tài khoản tạm thời bị khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau.",
          "Too many failed logins: the account is locked for a while."},
    Known{"rate_limited", 429, "Quá nhiều yêu cầu. Vui lòng thử lại sau.",
          "Too many requests. Try again later."},
    Known{"overloaded", 503, "Hệ thống đang quá tải. Vui lòng thử lại sau giây lát.",
          "Central is overloaded. Retry shortly."},
    Known{"storage_unavailable", 503, "Cơ sở dữ liệu tạm thời không sẵn sàng. Vui lòng thử lại.",
          "The database is temporarily unavailable. Retry."},
    Known{"notifier_unavailable", 503, "Không gửi được mã xác nhận. Vui lòng thử lại.",
          "The code could not be sent. Retry."},
    Known{"internal", 500, "Lỗi hệ thống.", "Internal error."},
};

}  // namespace

nlohmann::json ApiError::body() const {
    nlohmann::json error{{"code", code}, {"message_vi", messageVi}, {"message_en", messageEn}};
    if (!details.is_null()) error["details"] = details;
    return nlohmann::json{{"error", std::move(error)}};
}

ApiError apiError(std::string_view code) {
    for (const auto& k : kKnown) {
        if (k.code == code) {
            ApiError e{k.status,          std::string(code), std::string(k.vi),
                       std::string(k.en), nullptr,           std::nullopt};
            if (k.status == 429 || k.status == 503) e.retryAfter = 1;
            return e;
        }
    }
    return ApiError{
        500,     "internal",  "Lỗi hệ thống.", "Internal error: unknown code " + std::string(code),
        nullptr, std::nullopt};
}

ApiError apiError(std::string_view code, nlohmann::json details) {
    auto e = apiError(code);
    e.details = std::move(details);
    return e;
}

ApiError invalidField(std::string_view field, std::string_view why) {
    auto e = apiError("invalid_field", nlohmann::json{{"field", field}});
    e.messageVi = "Trường \"" + std::string(field) + "\" không hợp lệ: " + std::string(why);
    e.messageEn = "Field \"" + std::string(field) + "\" is invalid: " + std::string(why);
    return e;
}

ApiError domainError(int status, std::string_view code, std::string_view descriptionEn) {
    // The kiosk shows shoppers its own i18n text of the code; this Vietnamese text is for staff/logs.
    std::string vi = "Bị từ chối";
    if (code.starts_with("token_"))
        vi = "Mã QR hoá đơn không hợp lệ";
    else if (code.starts_with("phone_"))
        vi = "Số điện thoại không hợp lệ";
    else if (code.starts_with("receipt_"))
        vi = "Hoá đơn không đủ điều kiện tích điểm";
    else if (code.starts_with("reward_"))
        vi = "Không thể đổi quà này";
    else if (code.starts_with("voucher_"))
        vi = "Mã phiếu quà tặng không hợp lệ";
    return ApiError{
        status,  std::string(code), vi + " (" + std::string(code) + ").", std::string(descriptionEn),
        nullptr, std::nullopt};
}

ApiError storageError(const DbError& error) {
    if (error.kind == DbError::Kind::Busy || error.kind == DbError::Kind::Unavailable) {
        auto e = apiError("storage_unavailable");
        e.messageEn += " (" + error.message + ")";
        return e;
    }
    auto e = apiError("internal");
    e.messageEn = "Internal storage error: " + error.message;
    return e;
}

std::expected<loyalty::PhoneNumber, ApiError> parsePhoneField(std::string_view typed) {
    auto phone = loyalty::parsePhone(typed);
    if (!phone)
        return std::unexpected(
            domainError(422, loyalty::phoneErrorCode(phone.error()), loyalty::describe(phone.error())));
    return *phone;
}

}  // namespace central
