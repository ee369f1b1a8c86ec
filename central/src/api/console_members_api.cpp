#include "api/console_members_api.hpp"

#include "api/console_auth.hpp"
#include "api/json_fields.hpp"
#include "loyalty/tier.hpp"
#include "loyalty/time.hpp"
#include "ops/member_merge.hpp"
#include "spend_otp.hpp"
#include "store/ledger_store.hpp"
#include "store/otp_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

using http::Request;
using Result = std::expected<ConsoleReply, ApiError>;

constexpr loyalty::UnixSeconds kCodeWindow = 15 * 60;
constexpr std::int64_t kCodesPerPhone = 5;  ///< in kCodeWindow: a console cannot flood a phone

/// What a change is about: the member's phone, the other phone (the new one, or the member merged
/// into), and the action that binds the code ("phone:<e164>", "merge:<e164>").
struct Change {
    loyalty::PhoneNumber member;
    loyalty::PhoneNumber other;
    std::string scope;
};

std::expected<Change, ApiError> readChange(const std::string& phoneText, const Json& body,
                                           const char* otherField, const char* action,
                                           std::initializer_list<std::string_view> fields) {
    if (auto ok = onlyFields(body, fields); !ok) return std::unexpected(ok.error());
    auto member = parsePhoneField(phoneText);
    if (!member) return std::unexpected(member.error());
    auto otherText = requireString(body, otherField, 32);
    if (!otherText) return std::unexpected(otherText.error());
    auto other = parsePhoneField(*otherText);
    if (!other) return std::unexpected(invalidField(otherField, "a Vietnamese mobile number"));
    if (other->e164() == member->e164()) return std::unexpected(invalidField(otherField, "another phone"));
    return Change{*member, *other, std::string(action) + ":" + member->e164()};
}

/// The member's tier code and balance now, read in the open transaction (null when no such member).
Json standing(Connection& c, const std::string& e164, const loyalty::TierRules& rules,
              loyalty::UnixSeconds now) {
    auto row = c.query("SELECT member_id, balance FROM members WHERE phone = $1", {e164});
    if (!row || row->empty()) return nullptr;
    auto entries =
        loadQualifyingEntries(c, row->front().integer(0), now - rules.windowDays() * loyalty::kSecondsPerDay);
    if (!entries) return nullptr;
    return Json{{"phone", e164},
                {"balance", row->front().integer(1)},
                {"tier", loyalty::tierCode(loyalty::tierStatus(*entries, rules, now).tier)}};
}

class MemberChanges {
  public:
    MemberChanges(Service& service, std::shared_ptr<ConsoleOps> ops)
        : m_service(service), m_ops(std::move(ops)) {}

    /// Sends the code of `change` to `change.other`, which must (merge) or must not (phone) be a member.
    Result sendCode(const Request& q, const std::string& phone, const Json& body, bool merge) const {
        auto s = authorizeConsole(*m_ops, q, Permission::MemberMerge, true);
        if (!s) return std::unexpected(s.error());
        auto change = merge ? readChange(phone, body, "into", "merge", {"into"})
                            : readChange(phone, body, "new_phone", "phone", {"new_phone"});
        if (!change) return std::unexpected(change.error());
        const auto now = m_service.clock().now();
        const OtpUse use{kiosk(*s), change->other.e164(), change->scope, "", now};
        auto issued =
            transact(m_service.database(), [&](Connection& c) -> std::expected<IssuedOtp, ApiError> {
                CENTRAL_TRY(member,
                            c.query("SELECT 1 FROM members WHERE phone = $1", {change->member.e164()}));
                CENTRAL_TRY(other, c.query("SELECT 1 FROM members WHERE phone = $1", {use.e164}));
                if (member->empty() || (merge && other->empty()))
                    return std::unexpected(apiError("not_found"));
                if (!merge && !other->empty())
                    return std::unexpected(domainError(
                        409, "phone_taken", "That phone belongs to another member: merge the two instead."));
                CENTRAL_TRY(recent, OtpStore(c).requestsOfPhone(use.e164, now - kCodeWindow));
                if (recent->count >= kCodesPerPhone) return std::unexpected(apiError("otp_locked"));
                CENTRAL_TRY(code, issueOtp(c, use, m_service.otpKey()));
                return *code;
            });
        if (!issued) return std::unexpected(issued.error());
        if (auto sent = m_service.otpNotifier().send(
                OtpMessage{use.e164, issued->code, issued->expiresAt, use.kiosk});
            !sent) {
            auto e = apiError("notifier_unavailable");
            e.messageEn += " (" + sent.error() + ")";
            return std::unexpected(e);
        }
        return consoleOk(Json{{"sent_to", change->other.masked()}, {"expires_at", issued->expiresAt}});
    }

    /// Uses the code and makes the change, in one transaction; audited with before and after.
    Result confirm(const Request& q, const std::string& phone, const Json& body, bool merge) const {
        auto s = authorizeConsole(*m_ops, q, Permission::MemberMerge, true);
        if (!s) return std::unexpected(s.error());
        auto change = merge ? readChange(phone, body, "into", "merge", {"into", "otp", "reason"})
                            : readChange(phone, body, "new_phone", "phone", {"new_phone", "otp", "reason"});
        if (!change) return std::unexpected(change.error());
        auto otp = requireString(body, "otp", 16);
        if (!otp) return std::unexpected(otp.error());
        auto reason = requireString(body, "reason", 200);
        if (!reason) return std::unexpected(reason.error());
        if (reason->empty()) return std::unexpected(invalidField("reason", "say why"));
        const auto rules = m_service.tierRules();
        if (!rules) return std::unexpected(apiError("storage_unavailable"));
        const auto now = m_service.clock().now();
        const OtpUse use{kiosk(*s), change->other.e164(), change->scope, *otp, now};
        Json before;
        auto after = transact(m_service.database(), [&](Connection& c) -> std::expected<Json, ApiError> {
            if (auto proven = useSpendOtp(c, use, m_service.otpKey()); !proven)
                return std::unexpected(proven.error());
            before = Json{{"member", standing(c, change->member.e164(), *rules, now)}};
            if (merge) {
                before["into"] = standing(c, change->other.e164(), *rules, now);
                auto merged = mergeMembers(c, change->member, change->other);
                if (!merged) return std::unexpected(merged.error());
            } else if (auto changed = changeMemberPhone(c, change->member, change->other); !changed) {
                return std::unexpected(changed.error());
            }
            return standing(c, change->other.e164(), *rules, now);
        });
        if (!after) return std::unexpected(after.error());
        const auto audited = m_ops->audit(
            consoleActor(*s, q), AuditRecord{merge ? "member.merge" : "member.phone_change",
                                             change->member.e164(), *reason, before.dump(), after->dump()});
        if (!audited) return std::unexpected(audited.error());
        return consoleOk(Json{{"member", *after}});
    }

  private:
    /// The codes a console user asks for are theirs: another user cannot use or replace them.
    static std::string kiosk(const ConsoleSession& s) { return "console:" + s.user.username; }

    Service& m_service;
    std::shared_ptr<ConsoleOps> m_ops;
};

}  // namespace

std::vector<ConsoleRoute> consoleMemberRoutes(Service& service, const std::shared_ptr<ConsoleOps>& ops) {
    auto api = std::make_shared<const MemberChanges>(service, ops);
    auto m = [](const Request& q) { return q.matches[1].str(); };
    return {
        {"POST", R"(/v1/console/members/([^/]{1,64})/phone/code)", "/v1/console/members/{phone}/phone/code",
         true, [api, m](const Request& q, const Json& b) { return api->sendCode(q, m(q), b, false); }},
        {"POST", R"(/v1/console/members/([^/]{1,64})/phone)", "/v1/console/members/{phone}/phone", true,
         [api, m](const Request& q, const Json& b) { return api->confirm(q, m(q), b, false); }},
        {"POST", R"(/v1/console/members/([^/]{1,64})/merge/code)", "/v1/console/members/{phone}/merge/code",
         true, [api, m](const Request& q, const Json& b) { return api->sendCode(q, m(q), b, true); }},
        {"POST", R"(/v1/console/members/([^/]{1,64})/merge)", "/v1/console/members/{phone}/merge", true,
         [api, m](const Request& q, const Json& b) { return api->confirm(q, m(q), b, true); }},
    };
}

}  // namespace central
