// Service: the fleet — kiosk configuration (ETag), heartbeats and commands, enrollment codes,
// revocation.

#include <algorithm>

#include "api/json_fields.hpp"
#include "loyalty/receipt_token.hpp"
#include "ops/access.hpp"
#include "ops/catalog.hpp"
#include "ops/secrets.hpp"
#include "store/staff_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr std::int64_t kMaxEnrollmentHours = 24 * 90;
const std::vector<std::string_view> kCommands{"resync", "reload_config", "out_of_service"};
constexpr std::size_t kMaxServiceMessage = 200;

/// The staff members a kiosk accepts (active ones): id, name and the Argon2id string, never a PIN.
std::expected<Json, ApiError> staffCredentials(Database& db) {
    auto lease = db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(members, StaffStore(**lease).list(true));
    Json out = Json::array();
    for (const auto& m : *members)
        out.push_back(Json{{"staff_id", m.id}, {"name", m.name}, {"pin_hash", m.pinHash}});
    return out;
}

/// `out_of_service` carries its state and the message of the attract screen (vi, en): stored as the
/// JSON object the heartbeat delivers. Other commands are their name.
std::expected<std::string, ApiError> commandText(const std::string& command, const Json& body) {
    if (command != "out_of_service") {
        if (auto ok = onlyFields(body, {"command"}); !ok) return std::unexpected(ok.error());
        return command;
    }
    if (auto ok = onlyFields(body, {"command", "on", "message_vi", "message_en"}); !ok)
        return std::unexpected(ok.error());
    const auto on = body.find("on");
    if (on == body.end() || !on->is_boolean()) return std::unexpected(invalidField("on", "true or false"));
    auto vi = optionalString(body, "message_vi", kMaxServiceMessage);
    if (!vi) return std::unexpected(vi.error());
    auto en = optionalString(body, "message_en", kMaxServiceMessage);
    if (!en) return std::unexpected(en.error());
    return Json{{"type", command},
                {"on", on->get<bool>()},
                {"message_vi", vi->value_or("")},
                {"message_en", en->value_or("")}}
        .dump();
}

}  // namespace

std::expected<KioskConfig, ApiError> Service::kioskConfig(const Caller& caller, std::string_view kioskId) {
    if (auto ok = requireKiosk(caller, kioskId); !ok) return std::unexpected(ok.error());
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const Catalog& cat = **loaded;
    Json body{
        {"kiosk_id", caller.kioskId},
        {"store", caller.store},
        {"campaign_toml", cat.campaignToml},
        {"tiers_toml", cat.tiersToml},
        {"rewards", cat.rewardsJson},
        {"store_keys", cat.storeKeys},
        {"voucher_public_key", loyalty::formatPublicKey(m_voucherKeys.publicKey(), "central voucher key")},
        {"texts", {{"consent_text_version", m_options.consentTextVersion}}},
        {"theme", cat.theme}};
    // Revoking a member changes the document (and its ETag): the kiosk drops them at its next pull.
    auto staff = staffCredentials(m_db);
    if (!staff) return std::unexpected(staff.error());
    body["staff"] = std::move(*staff);
    // The ETag covers everything but server_time: equal documents, equal tags, across processes.
    const std::string version = sha256Hex(body.dump()).substr(0, 32);
    body["config_version"] = version;
    body["server_time"] = m_clock.now();
    return KioskConfig{std::move(body), "\"" + version + "\""};
}

JsonResult Service::heartbeat(const Caller& caller, std::string_view kioskId, const Json& body) {
    if (auto ok = requireKiosk(caller, kioskId); !ok) return std::unexpected(ok.error());
    auto version = optionalString(body, "version", 64);
    if (!version) return std::unexpected(version.error());
    auto uptime = optionalInt(body, "uptime_s", 0, 100LL * 365 * 86'400);
    if (!uptime) return std::unexpected(uptime.error());
    auto depth = optionalInt(body, "outbox_depth", 0, 1'000'000'000);
    if (!depth) return std::unexpected(depth.error());
    Json health = Json::object();
    if (const auto it = body.find("health"); it != body.end() && !it->is_null()) {
        if (!it->is_object() || it->size() > 32)
            return std::unexpected(invalidField("health", "an object of strings"));
        for (const auto& [name, value] : it->items()) {
            if (!value.is_string() || name.size() > 32 || value.get<std::string>().size() > 64)
                return std::unexpected(invalidField("health", "an object of short strings"));
            health[name] = value;
        }
    }
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(
            seen, c.query("UPDATE kiosks SET last_seen = $1, version = $2, uptime_s = $3, outbox_depth = $4, "
                          "health = $5 WHERE kiosk_id = $6",
                          {now, version->value_or(""), uptime->value_or(0), depth->value_or(0), health.dump(),
                           caller.kioskId}));
        // Delivered once: taken out of the queue in the same transaction that answers.
        CENTRAL_TRY(taken,
                    c.query("DELETE FROM kiosk_commands WHERE kiosk_id = $1 RETURNING command_id, command",
                            {caller.kioskId}));
        std::vector<std::pair<std::int64_t, std::string>> commands;
        for (const auto& row : *taken) commands.emplace_back(row.integer(0), row.text(1));
        std::sort(commands.begin(), commands.end());
        Json list = Json::array();
        for (const auto& [id, command] : commands)
            list.push_back(command.starts_with('{') ? Json::parse(command, nullptr, false) : Json(command));
        return Json{{"commands", std::move(list)}, {"server_time", now}};
    });
}

JsonResult Service::createEnrollmentCode(const Caller& caller, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (auto ok = onlyFields(body, {"kiosk_id", "store", "valid_hours"}); !ok)
        return std::unexpected(ok.error());
    auto kioskId = requireString(body, "kiosk_id", 32);
    if (!kioskId) return std::unexpected(kioskId.error());
    if (!isToken(*kioskId, 32)) return std::unexpected(invalidField("kiosk_id", "1-32 of A-Z a-z 0-9 - _"));
    auto store = requireString(body, "store", 16);
    if (!store) return std::unexpected(store.error());
    auto hours = optionalInt(body, "valid_hours", 1, kMaxEnrollmentHours);
    if (!hours) return std::unexpected(hours.error());
    const auto random = randomBase32(10);  // 16 characters, 80 bits
    const std::string code = "ENR-" + random.substr(0, 4) + "-" + random.substr(4, 4) + "-" +
                             random.substr(8, 4) + "-" + random.substr(12, 4);
    const auto now = m_clock.now();
    const auto expires = now + hours->value_or(72) * 3600;
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(known, c.query("SELECT store_id FROM stores WHERE store_id = $1", {*store}));
        if (known->empty()) return std::unexpected(apiError("not_found", Json{{"store", *store}}));
        CENTRAL_TRY(
            ins,
            c.query("INSERT INTO enrollment_codes (code_hash, kiosk_id, store_id, created_at, expires_at) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    {sha256Hex(code), *kioskId, *store, now, expires}));
        return Json{
            {"enrollment_code", code}, {"kiosk_id", *kioskId}, {"store", *store}, {"expires_at", expires}};
    });
}

JsonResult Service::listKiosks(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(rows,
                (*lease)->query("SELECT kiosk_id, store_id, enrolled_at, revoked_at, last_seen, version, "
                                "outbox_depth, health FROM kiosks ORDER BY kiosk_id"));
    Json kiosks = Json::array();
    for (const auto& row : *rows) {
        auto health = Json::parse(row.text(7), nullptr, false);
        kiosks.push_back(Json{{"kiosk_id", row.text(0)},
                              {"store", row.text(1)},
                              {"enrolled_at", row.integer(2)},
                              {"revoked", !row.isNull(3)},
                              {"last_seen", row.optionalInteger(4) ? Json(row.integer(4)) : Json(nullptr)},
                              {"version", row.text(5)},
                              {"outbox_depth", row.integer(6)},
                              {"health", health.is_object() ? health : Json::object()}});
    }
    return Json{{"kiosks", std::move(kiosks)}};
}

JsonResult Service::revokeKiosk(const Caller& caller, std::string_view kioskId) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    const auto now = m_clock.now();
    const std::string id(kioskId);
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(rows,
                    c.query("UPDATE kiosks SET revoked_at = COALESCE(revoked_at, $1) WHERE kiosk_id = $2 "
                            "RETURNING kiosk_id",
                            {now, id}));
        if (rows->empty()) return std::unexpected(apiError("not_found"));
        return Json{{"kiosk_id", id}, {"revoked", true}};
    });
}

JsonResult Service::queueCommand(const Caller& caller, std::string_view kioskId, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto command = requireString(body, "command", 32);
    if (!command) return std::unexpected(command.error());
    if (std::find(kCommands.begin(), kCommands.end(), *command) == kCommands.end())
        return std::unexpected(invalidField("command", "one of resync, reload_config, out_of_service"));
    auto text = commandText(*command, body);
    if (!text) return std::unexpected(text.error());
    const std::string id(kioskId);
    const auto now = m_clock.now();
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(known, c.query("SELECT kiosk_id FROM kiosks WHERE kiosk_id = $1", {id}));
        if (known->empty()) return std::unexpected(apiError("not_found"));
        CENTRAL_TRY(ins,
                    c.query("INSERT INTO kiosk_commands (kiosk_id, command, created_at) VALUES ($1, $2, $3)",
                            {id, *text, now}));
        return Json{{"queued", *command}, {"kiosk_id", id}};
    });
}

}  // namespace central
