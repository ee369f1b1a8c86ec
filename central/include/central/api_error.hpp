#pragma once
// A refusal as the API returns it (docs/api.md "Errors"): HTTP status, stable machine code, a message
// in Vietnamese and English, optional details, and Retry-After for 429/503; a typed phone refused the
// API's way.

#include <nlohmann/json.hpp>

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "central/database.hpp"
#include "loyalty/phone.hpp"

namespace central {

struct ApiError {
    int status = 400;
    std::string code;
    std::string messageVi;
    std::string messageEn;
    nlohmann::json details;         ///< null when there are none
    std::optional<int> retryAfter;  ///< seconds, for 429/503
    bool commitAnyway = false;      ///< keep the transaction's writes (e.g. a counted OTP failure)

    /// {"error": {"code", "message_vi", "message_en"[, "details"]}}
    [[nodiscard]] nlohmann::json body() const;
};

/// The error of a stable `code` with its standard status and texts (see api_error.cpp).
[[nodiscard]] ApiError apiError(std::string_view code);
/// Same, with details attached.
[[nodiscard]] ApiError apiError(std::string_view code, nlohmann::json details);
/// 400 invalid_field naming the field and why.
[[nodiscard]] ApiError invalidField(std::string_view field, std::string_view why);
/// A code of the loyalty domain (token_*, phone_*, reward_*, receipt_*, voucher_*) with its status and
/// an English description from the domain.
[[nodiscard]] ApiError domainError(int status, std::string_view code, std::string_view descriptionEn);
/// Parses a phone the way the API refuses it (422 phone_*).
[[nodiscard]] std::expected<loyalty::PhoneNumber, ApiError> parsePhoneField(std::string_view typed);
/// 503 storage_unavailable (Busy/Unavailable) or 500 internal, from a database error.
[[nodiscard]] ApiError storageError(const DbError& error);

}  // namespace central
