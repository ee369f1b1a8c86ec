// Service: head-office administration — campaign and tier rules, the chain's look (theme), rewards,
// stores and their keys, member adjustments, and the points report.

#include <algorithm>
#include <cctype>
#include <map>

#include "api/json_fields.hpp"
#include "api/png_field.hpp"
#include "loyalty/phone.hpp"
#include "loyalty/time.hpp"
#include "ops/access.hpp"
#include "ops/catalog.hpp"
#include "store/ledger_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

constexpr PngLimits kLogoLimits{64 * 1024, 1024, 512};

/// A colour field: absent or null leaves it out, else "#RRGGBB".
std::expected<std::optional<std::string>, ApiError> colourField(const Json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    const auto* text = it->get_ptr<const std::string*>();
    const bool ok = text != nullptr && text->size() == 7 && (*text)[0] == '#' &&
                    std::all_of(text->begin() + 1, text->end(),
                                [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
    if (!ok) return std::unexpected(invalidField(name, "a colour written #RRGGBB"));
    return *text;
}

/// A font family field: absent or null leaves it out, else a family name the kiosks look up among their
/// installed fonts ("Noto Serif"): 1-64 letters, digits and spaces, starting with a letter. Whether a kiosk
/// has it, with every glyph its texts need, is the kiosk's check (docs/kiosk-ux.md).
std::expected<std::optional<std::string>, ApiError> fontField(const Json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    const auto* text = it->get_ptr<const std::string*>();
    const bool ok = text != nullptr && !text->empty() && text->size() <= 64 &&
                    std::isalpha(static_cast<unsigned char>(text->front())) != 0 &&
                    std::all_of(text->begin(), text->end(), [](char c) {
                        return c == ' ' || std::isalnum(static_cast<unsigned char>(c)) != 0;
                    });
    if (!ok)
        return std::unexpected(invalidField(name, "a font family name: 1-64 letters, digits and spaces"));
    return *text;
}

}  // namespace

JsonResult Service::getCampaign(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    return Json{{"campaign_toml", (*loaded)->campaignToml}, {"tiers_toml", (*loaded)->tiersToml}};
}

JsonResult Service::putCampaign(const Caller& caller, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (auto ok = onlyFields(body, {"campaign_toml", "tiers_toml"}); !ok) return std::unexpected(ok.error());
    auto campaign = optionalString(body, "campaign_toml", 256 * 1024);
    auto tiers = optionalString(body, "tiers_toml", 256 * 1024);
    if (!campaign) return std::unexpected(campaign.error());
    if (!tiers) return std::unexpected(tiers.error());
    if (!*campaign && !*tiers)
        return std::unexpected(invalidField("campaign_toml", "give campaign_toml or tiers_toml"));
    if (*campaign)
        if (auto parsed = loyalty::Campaign::fromToml(**campaign); !parsed)
            return std::unexpected(invalidField("campaign_toml", parsed.error().message));
    if (*tiers)
        if (auto parsed = loyalty::TierRules::fromToml(**tiers); !parsed)
            return std::unexpected(invalidField("tiers_toml", parsed.error().message));
    auto saved = transact(m_db, [&](Connection& c) -> JsonResult {
        for (const auto& [key, value] :
             {std::pair{"campaign_toml", *campaign}, std::pair{"tiers_toml", *tiers}}) {
            if (!value) continue;
            CENTRAL_TRY(
                up, c.query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
                            "SET value = excluded.value",
                            {std::string(key), *value}));
        }
        return Json::object();
    });
    if (!saved) return saved;
    invalidateCatalog();
    return getCampaign(caller);
}

// The chain's look (docs/kiosk-ux.md): central checks the form (colours "#RRGGBB", the logo a PNG within
// its caps, font family names); each kiosk checks the contrast and its fonts before it draws with them, and
// keeps its last good look (fonts) otherwise.
JsonResult Service::getTheme(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    return Json{{"theme", (*loaded)->theme}};
}

JsonResult Service::putTheme(const Caller& caller, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (auto ok = onlyFields(body, {"primary", "header", "logo_png", "body_font", "heading_font"}); !ok)
        return std::unexpected(ok.error());
    Json theme = Json::object();
    for (const char* name : {"primary", "header"}) {
        auto colour = colourField(body, name);
        if (!colour) return std::unexpected(colour.error());
        if (*colour) theme[name] = **colour;
    }
    for (const char* name : {"body_font", "heading_font"}) {
        auto family = fontField(body, name);
        if (!family) return std::unexpected(family.error());
        if (*family) theme[name] = **family;
    }
    auto logo = optionalString(body, "logo_png", (kLogoLimits.maxBytes + 2) / 3 * 4 + 4);
    if (!logo) return std::unexpected(logo.error());
    if (*logo) {
        auto checked = checkedPng("logo_png", **logo, kLogoLimits);
        if (!checked) return std::unexpected(checked.error());
        theme["logo_png"] = std::move(*checked);
    }
    auto saved = transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(up, c.query("INSERT INTO settings (key, value) VALUES ('theme', $1) ON CONFLICT (key) DO "
                                "UPDATE SET value = excluded.value",
                                {theme.dump()}));
        return Json::object();
    });
    if (!saved) return saved;
    invalidateCatalog();
    return getTheme(caller);
}

JsonResult Service::listRewards(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(rows, (*lease)->query("SELECT definition, stock FROM rewards ORDER BY reward_id"));
    Json rewards = Json::array();
    for (const auto& row : *rows) {
        auto reward = Json::parse(row.text(0), nullptr, false);
        if (reward.is_discarded()) continue;
        reward["stock"] = row.optionalInteger(1) ? Json(row.integer(1)) : Json(nullptr);
        rewards.push_back(std::move(reward));
    }
    return Json{{"rewards", std::move(rewards)}};
}

JsonResult Service::putReward(const Caller& caller, std::string_view rewardId, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    // The picture rides beside loyalty's fields: checked here, kept in the stored definition.
    Json fields = body;
    auto picture = optionalString(body, "image_png", (kRewardImageLimits.maxBytes + 2) / 3 * 4 + 4);
    if (!picture) return std::unexpected(picture.error());
    fields.erase("image_png");
    auto reward = rewardFromJson(rewardId, fields);
    if (!reward) return std::unexpected(reward.error());
    const auto now = m_clock.now();
    auto definition = rewardToJson(*reward);
    if (*picture) {
        auto checked = checkedPng("image_png", **picture, kRewardImageLimits);
        if (!checked) return std::unexpected(checked.error());
        definition["image_png"] = std::move(*checked);
    }
    const Param stock = reward->stock ? Param(static_cast<std::int64_t>(*reward->stock)) : Param(nullptr);
    auto saved = transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(
            up, c.query("INSERT INTO rewards (reward_id, definition, cost_points, stock, per_member_limit, "
                        "updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (reward_id) DO UPDATE SET "
                        "definition = excluded.definition, cost_points = excluded.cost_points, "
                        "stock = excluded.stock, per_member_limit = excluded.per_member_limit, "
                        "updated_at = excluded.updated_at",
                        {reward->id, definition.dump(), reward->cost, stock,
                         static_cast<std::int64_t>(reward->perMemberLimit.value_or(0)), now}));
        return Json::object();
    });
    if (!saved) return saved;
    invalidateCatalog();
    definition["stock"] = reward->stock ? Json(*reward->stock) : Json(nullptr);
    return definition;
}

JsonResult Service::listStores(const Caller& caller) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(stores, (*lease)->query("SELECT store_id, name FROM stores ORDER BY store_id"));
    CENTRAL_TRY(keys,
                (*lease)->query("SELECT store_id, public_key FROM store_keys ORDER BY added_at, public_key"));
    Json out = Json::array();
    for (const auto& s : *stores) {
        Json list = Json::array();
        for (const auto& k : *keys)
            if (k.text(0) == s.text(0)) list.push_back(k.text(1));
        out.push_back(Json{{"store", s.text(0)}, {"name", s.text(1)}, {"public_keys", std::move(list)}});
    }
    return Json{{"stores", std::move(out)}};
}

JsonResult Service::putStore(const Caller& caller, std::string_view storeId, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (auto ok = onlyFields(body, {"name", "public_keys"}); !ok) return std::unexpected(ok.error());
    if (!loyalty::isValidStoreId(storeId))
        return std::unexpected(invalidField("store", "1-16 characters of A-Z 0-9 -"));
    auto name = optionalString(body, "name", 200);
    if (!name) return std::unexpected(name.error());
    std::vector<std::string> keys;
    if (const auto it = body.find("public_keys"); it != body.end()) {
        if (!it->is_array() || it->size() > 16)
            return std::unexpected(invalidField("public_keys", "a list of key texts"));
        for (const auto& k : *it) {
            if (!k.is_string() || k.get<std::string>().size() > 1024)
                return std::unexpected(invalidField("public_keys", "a list of key texts"));
            auto key = loyalty::parsePublicKey(k.get<std::string>());
            if (!key) return std::unexpected(invalidField("public_keys", loyalty::describe(key.error())));
            keys.push_back(loyalty::formatPublicKey(*key));
        }
    }
    const std::string id(storeId);
    const auto now = m_clock.now();
    auto saved = transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(up,
                    c.query("INSERT INTO stores (store_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT "
                            "(store_id) DO UPDATE SET name = excluded.name",
                            {id, name->value_or(id), now}));
        for (const auto& key : keys) {
            CENTRAL_TRY(k,
                        c.query("INSERT INTO store_keys (store_id, public_key, added_at) VALUES ($1, $2, $3) "
                                "ON CONFLICT DO NOTHING",
                                {id, key, now}));
        }
        return Json::object();
    });
    if (!saved) return saved;
    invalidateCatalog();
    auto all = listStores(caller);
    if (!all) return all;
    for (const auto& s : (*all)["stores"])
        if (s["store"] == id) return s;
    return std::unexpected(apiError("internal"));
}

JsonResult Service::adjustMember(const Caller& caller, std::string_view phoneText, const Json& body) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    if (auto ok = onlyFields(body, {"points", "reason", "idempotency_key"}); !ok)
        return std::unexpected(ok.error());
    if (phoneText.size() > 32) return std::unexpected(domainError(422, "phone_wrong_length", "too long"));
    auto phone = parsePhoneField(phoneText);
    if (!phone) return std::unexpected(phone.error());
    auto points = requireInt(body, "points", -loyalty::kMaxPoints, loyalty::kMaxPoints);
    if (!points) return std::unexpected(points.error());
    if (*points == 0) return std::unexpected(invalidField("points", "must not be 0"));
    auto reason = requireString(body, "reason", 200);
    if (!reason) return std::unexpected(reason.error());
    auto key = requireString(body, "idempotency_key", 64);
    if (!key) return std::unexpected(key.error());
    if (!isToken(*key, 64))
        return std::unexpected(invalidField("idempotency_key", "1-64 of A-Z a-z 0-9 - _"));
    auto loaded = catalog();
    if (!loaded) return std::unexpected(loaded.error());
    const auto now = m_clock.now();
    const std::string entryKey = "adjust:" + *key;
    return transact(m_db, [&](Connection& c) -> JsonResult {
        CENTRAL_TRY(
            member,
            c.query("UPDATE members SET balance = balance WHERE phone = $1 RETURNING member_id, balance",
                    {phone->e164()}));
        if (member->empty()) return std::unexpected(apiError("not_found"));
        const auto memberId = member->front().integer(0);
        CENTRAL_TRY(expired, expireDuePoints(c, memberId, (*loaded)->campaign.pointsExpiryMonths, now, true));
        CENTRAL_TRY(
            earlier,
            c.query("SELECT member_id, points, reason FROM ledger WHERE idempotency_key = $1", {entryKey}));
        if (!earlier->empty()) {
            const auto& row = earlier->front();
            if (row.integer(0) != memberId || row.integer(1) != *points || row.text(2) != *reason)
                return std::unexpected(apiError("idempotency_conflict"));
            return Json{{"balance", member->front().integer(1) - *expired}, {"replayed", true}};
        }
        CENTRAL_TRY(balance, c.query("UPDATE members SET balance = balance + $1 WHERE member_id = $2 AND "
                                     "balance + $1 >= 0 RETURNING balance",
                                     {*points, memberId}));
        if (balance->empty())
            return std::unexpected(
                apiError("insufficient_points", Json{{"balance", member->front().integer(1) - *expired}}));
        CENTRAL_TRY(entry,
                    c.query("INSERT INTO ledger (member_id, kind, points, at, idempotency_key, reference, "
                            "reason) VALUES ($1, 'adjustment', $2, $3, $4, 'admin', $5)",
                            {memberId, *points, now, entryKey, *reason}));
        return Json{{"balance", balance->front().integer(0)}, {"replayed", false}};
    });
}

JsonResult Service::pointsReport(const Caller& caller, std::string_view fromText, std::string_view toText) {
    if (auto ok = requireAdmin(caller); !ok) return std::unexpected(ok.error());
    auto from = loyalty::parseLocalDate(fromText);
    if (!from) return std::unexpected(invalidField("from", "must be YYYY-MM-DD"));
    auto to = loyalty::parseLocalDate(toText);
    if (!to) return std::unexpected(invalidField("to", "must be YYYY-MM-DD"));
    if (*to < *from) return std::unexpected(invalidField("to", "before from"));
    const auto start = loyalty::startOfLocalDay(*from);
    const auto end = loyalty::startOfLocalDay(loyalty::addDays(*to, 1));
    if (end - start > 400 * loyalty::kSecondsPerDay)
        return std::unexpected(invalidField("to", "at most 400 days"));
    auto lease = m_db.lease();
    if (!lease) return std::unexpected(storageError(lease.error()));
    CENTRAL_TRY(
        rows, (*lease)->query("SELECT at, store_id, kind, points FROM ledger WHERE at >= $1 AND at < $2 AND "
                              "kind IN ('earn', 'redeem')",
                              {start, end}));
    struct Totals {
        std::int64_t issued = 0, redeemed = 0, claims = 0;
    };
    std::map<std::pair<std::string, std::string>, Totals> byDayStore;
    for (const auto& row : *rows) {
        auto& t = byDayStore[{loyalty::formatLocalDate(loyalty::localDate(row.integer(0))), row.text(1)}];
        if (row.text(2) == "earn") {
            t.issued += row.integer(3);
            ++t.claims;
        } else {
            t.redeemed -= row.integer(3);
        }
    }
    Json out = Json::array();
    for (const auto& [k, t] : byDayStore)
        out.push_back(Json{{"date", k.first},
                           {"store", k.second},
                           {"issued", t.issued},
                           {"redeemed", t.redeemed},
                           {"claims", t.claims}});
    return Json{{"rows", std::move(out)}};
}

}  // namespace central
