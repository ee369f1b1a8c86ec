#include "api/json_fields.hpp"

#include "loyalty/time.hpp"

namespace central {

std::expected<std::string, ApiError> requireString(const Json& object, const char* name,
                                                   std::size_t maxChars) {
    const auto it = object.find(name);
    if (it == object.end()) return std::unexpected(invalidField(name, "missing"));
    if (!it->is_string()) return std::unexpected(invalidField(name, "must be a string"));
    auto text = it->get<std::string>();
    if (text.empty()) return std::unexpected(invalidField(name, "must not be empty"));
    if (text.size() > maxChars)
        return std::unexpected(invalidField(name, "longer than " + std::to_string(maxChars) + " bytes"));
    return text;
}

std::expected<std::optional<std::string>, ApiError> optionalString(const Json& object, const char* name,
                                                                   std::size_t maxChars) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return std::unexpected(invalidField(name, "must be a string"));
    auto text = it->get<std::string>();
    if (text.size() > maxChars)
        return std::unexpected(invalidField(name, "longer than " + std::to_string(maxChars) + " bytes"));
    return std::optional<std::string>(std::move(text));
}

std::expected<std::int64_t, ApiError> requireInt(const Json& object, const char* name, std::int64_t min,
                                                 std::int64_t max) {
    const auto it = object.find(name);
    if (it == object.end()) return std::unexpected(invalidField(name, "missing"));
    // nlohmann keeps integers beyond int64 as unsigned or floating point: both are refused here.
    if (!it->is_number_integer()) return std::unexpected(invalidField(name, "must be an integer"));
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max))
        return std::unexpected(invalidField(name, "out of range"));
    const auto value = it->get<std::int64_t>();
    if (value < min || value > max)
        return std::unexpected(
            invalidField(name, "must be between " + std::to_string(min) + " and " + std::to_string(max)));
    return value;
}

std::expected<std::optional<std::int64_t>, ApiError> optionalInt(const Json& object, const char* name,
                                                                 std::int64_t min, std::int64_t max) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::optional<std::int64_t>{};
    auto value = requireInt(object, name, min, max);
    if (!value) return std::unexpected(value.error());
    return std::optional<std::int64_t>(*value);
}

std::expected<bool, ApiError> optionalBool(const Json& object, const char* name, bool fallback) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) return std::unexpected(invalidField(name, "must be true or false"));
    return it->get<bool>();
}

std::expected<void, ApiError> onlyFields(const Json& object,
                                         std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.items()) {
        bool known = false;
        for (auto a : allowed) known = known || key == a;
        if (!known) {
            auto e = apiError("unknown_field", Json{{"field", key}});
            e.messageEn = "Unknown field \"" + key + "\".";
            e.messageVi = "Trường \"" + key + "\" không được hỗ trợ.";
            return std::unexpected(e);
        }
    }
    return {};
}

bool isToken(std::string_view text, std::size_t maxChars) {
    if (text.empty() || text.size() > maxChars) return false;
    for (char ch : text) {
        const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                        ch == '-' || ch == '_';
        if (!ok) return false;
    }
    return true;
}

void addTierFields(Json& out, const loyalty::TierStatus& status, const loyalty::TierRules& rules) {
    addTierFields(out, status, status.nextTier ? rules.rule(*status.nextTier).threshold : 0);
}

void addTierFields(Json& out, const loyalty::TierStatus& status, loyalty::Points nextTierAt) {
    out["tier"] = loyalty::tierCode(status.tier);
    out["tier_name_vi"] = loyalty::tierName(status.tier, loyalty::Language::Vietnamese);
    out["tier_name_en"] = loyalty::tierName(status.tier, loyalty::Language::English);
    out["next_tier"] = status.nextTier ? std::string(loyalty::tierCode(*status.nextTier)) : std::string();
    out["progress"] = status.qualifyingPoints;
    out["next_tier_at"] = nextTierAt;
    out["progress_permille"] = status.progressPermille;
    out["points_to_next_tier"] = status.pointsToNext;
}

Json rewardToJson(const loyalty::Reward& r) {
    auto date = [](const std::optional<loyalty::LocalDate>& d) {
        return d ? Json(loyalty::formatLocalDate(*d)) : Json(nullptr);
    };
    return Json{{"id", r.id},
                {"name_vi", r.name.vi},
                {"name_en", r.name.en},
                {"cost", r.cost},
                {"value_dong", r.value.value},
                {"per_member_limit", r.perMemberLimit ? Json(*r.perMemberLimit) : Json(nullptr)},
                {"available_from", date(r.availableFrom)},
                {"available_until", date(r.availableUntil)},
                {"voucher_validity_days", r.voucherValidityDays},
                {"terms_vi", r.terms.vi},
                {"terms_en", r.terms.en}};
}

std::expected<loyalty::Reward, ApiError> rewardFromJson(std::string_view id, const Json& body) {
    if (auto ok = onlyFields(
            body, {"name_vi", "name_en", "cost", "value_dong", "stock", "per_member_limit", "available_from",
                   "available_until", "voucher_validity_days", "terms_vi", "terms_en"});
        !ok)
        return std::unexpected(ok.error());
    if (!loyalty::isValidRewardId(id))
        return std::unexpected(invalidField("id", "1-16 characters of A-Z 0-9 -"));
    loyalty::Reward r;
    r.id = std::string(id);
    auto nameVi = requireString(body, "name_vi", 200);
    auto nameEn = requireString(body, "name_en", 200);
    auto cost = requireInt(body, "cost", 1, loyalty::kMaxPoints);
    auto value = requireInt(body, "value_dong", 0, loyalty::kMaxDong.value);
    auto stock = optionalInt(body, "stock", 0, 1'000'000'000);
    auto limit = optionalInt(body, "per_member_limit", 1, 1'000'000);
    auto validity = requireInt(body, "voucher_validity_days", 1, 3660);
    auto from = optionalString(body, "available_from", 10);
    auto until = optionalString(body, "available_until", 10);
    auto termsVi = optionalString(body, "terms_vi", 2000);
    auto termsEn = optionalString(body, "terms_en", 2000);
    for (const ApiError* e :
         {nameVi ? nullptr : &nameVi.error(), nameEn ? nullptr : &nameEn.error(),
          cost ? nullptr : &cost.error(), value ? nullptr : &value.error(), stock ? nullptr : &stock.error(),
          limit ? nullptr : &limit.error(), validity ? nullptr : &validity.error(),
          from ? nullptr : &from.error(), until ? nullptr : &until.error(),
          termsVi ? nullptr : &termsVi.error(), termsEn ? nullptr : &termsEn.error()})
        if (e) return std::unexpected(*e);
    r.name = {*nameVi, *nameEn};
    r.cost = *cost;
    r.value = loyalty::Dong{*value};
    if (*stock) r.stock = static_cast<std::uint32_t>(**stock);
    if (*limit) r.perMemberLimit = static_cast<std::uint32_t>(**limit);
    r.voucherValidityDays = static_cast<std::uint32_t>(*validity);
    if (*from) {
        auto d = loyalty::parseLocalDate(**from);
        if (!d) return std::unexpected(invalidField("available_from", "must be YYYY-MM-DD"));
        r.availableFrom = *d;
    }
    if (*until) {
        auto d = loyalty::parseLocalDate(**until);
        if (!d) return std::unexpected(invalidField("available_until", "must be YYYY-MM-DD"));
        r.availableUntil = *d;
    }
    if (r.availableFrom && r.availableUntil && *r.availableUntil < *r.availableFrom)
        return std::unexpected(invalidField("available_until", "before available_from"));
    r.terms = {termsVi->value_or(""), termsEn->value_or("")};
    return r;
}

}  // namespace central
