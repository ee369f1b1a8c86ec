#pragma once
// The JSON of a member's data export (docs/api.md, GET /v1/console/members/{phone}/export): the
// member with its consents, then one list per table; voucher codes masked. Private to central_core.

#include <nlohmann/json.hpp>

#include "ops/member_export.hpp"

namespace central {

[[nodiscard]] nlohmann::json memberDataJson(const loyalty::PhoneNumber& phone, const MemberData& data);

}  // namespace central
