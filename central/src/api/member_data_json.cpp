#include "api/member_data_json.hpp"

#include "ops/secrets.hpp"

namespace central {
namespace {

using Json = nlohmann::json;

Json cell(const Row& row, std::size_t i, DataKind kind) {
    if (row.isNull(i)) return nullptr;
    switch (kind) {
        case DataKind::Integer:
            return row.integer(i);
        case DataKind::Voucher:
            return row.text(i).empty() ? Json("") : Json(maskedVoucherCode(row.text(i)));
        case DataKind::Text:
            break;
    }
    return row.text(i);
}

}  // namespace

Json memberDataJson(const loyalty::PhoneNumber& phone, const MemberData& data) {
    const auto& m = data.member;
    Json out{{"member",
              {{"phone", phone.e164()},
               {"balance", m.balance},
               {"created_at", m.createdAt},
               {"consent",
                {{"join", m.consentJoin},
                 {"marketing", m.consentMarketing},
                 {"text_version", m.consentTextVersion},
                 {"at", m.consentAt},
                 {"kiosk", m.consentKiosk}}}}}};
    for (const auto& section : data.sections) {
        Json list = Json::array();
        for (const auto& row : section.rows) {
            Json item = Json::object();
            for (std::size_t i = 0; i < section.columns.size(); ++i)
                item[std::string(section.columns[i].name)] = cell(row, i, section.columns[i].kind);
            list.push_back(std::move(item));
        }
        out[std::string(section.name)] = std::move(list);
    }
    return out;
}

}  // namespace central
