#include "ops/member_merge.hpp"

#include <vector>

#include "store/member_store.hpp"
#include "store/transaction.hpp"

namespace central {
namespace {

struct Step {
    const char* sql;
    std::vector<Param> params;
};

DbResult<void> run(Connection& c, const std::vector<Step>& steps) {
    for (const auto& step : steps)
        if (auto done = c.query(step.sql, step.params); !done) return std::unexpected(done.error());
    return {};
}

ApiError phoneTaken() {
    return domainError(409, "phone_taken", "That phone belongs to another member: merge the two instead.");
}

}  // namespace

std::expected<std::int64_t, ApiError> changeMemberPhone(Connection& c, const loyalty::PhoneNumber& from,
                                                        const loyalty::PhoneNumber& to) {
    CENTRAL_TRY(member, MemberStore(c).lock(from.e164()));
    if (!*member) return std::unexpected(apiError("not_found"));
    CENTRAL_TRY(taken, c.query("SELECT 1 FROM members WHERE phone = $1", {to.e164()}));
    if (!taken->empty()) return std::unexpected(phoneTaken());
    const auto id = (*member)->memberId;
    // Messages not yet sent go to the number the member has now.
    CENTRAL_TRY(done,
                run(c, {{"UPDATE members SET phone = $1 WHERE member_id = $2", {to.e164(), id}},
                        {"UPDATE notif_outbox SET phone = $1 WHERE member_id = $2 AND state = 'pending'",
                         {to.e164(), id}},
                        {"DELETE FROM otp_codes WHERE phone = $1", {from.e164()}},
                        {"DELETE FROM otp_events WHERE phone = $1", {from.e164()}}}));
    return id;
}

std::expected<MergedMembers, ApiError> mergeMembers(Connection& c, const loyalty::PhoneNumber& from,
                                                    const loyalty::PhoneNumber& into) {
    if (from.e164() == into.e164()) return std::unexpected(invalidField("into", "another member's phone"));
    // Locked in phone order, so two merges of the same pair never wait on each other crosswise.
    const bool fromFirst = from.e164() < into.e164();
    MemberStore members(c);
    CENTRAL_TRY(first, members.lock(fromFirst ? from.e164() : into.e164()));
    CENTRAL_TRY(second, members.lock(fromFirst ? into.e164() : from.e164()));
    if (!*first || !*second) return std::unexpected(apiError("not_found"));
    const auto& source = fromFirst ? **first : **second;
    const auto& target = fromFirst ? **second : **first;
    const auto fromId = source.memberId;
    const auto intoId = target.memberId;
    CENTRAL_TRY(
        moved,
        run(c, {{"UPDATE ledger SET member_id = $1 WHERE member_id = $2", {intoId, fromId}},
                {"UPDATE claims SET member_id = $1 WHERE member_id = $2", {intoId, fromId}},
                {"UPDATE receipt_returns SET member_id = $1 WHERE member_id = $2", {intoId, fromId}},
                {"UPDATE vouchers SET member_id = $1 WHERE member_id = $2", {intoId, fromId}},
                {"UPDATE game_tickets SET member_id = $1 WHERE member_id = $2", {intoId, fromId}},
                {"UPDATE game_draws SET member_id = $1 WHERE member_id = $2", {intoId, fromId}},
                {"UPDATE members SET balance = balance + $1 WHERE member_id = $2", {source.balance, intoId}},
                {"UPDATE members SET balance = 0, phone = $1 WHERE member_id = $2",
                 {"merged:" + std::to_string(fromId) + ":" + std::to_string(intoId), fromId}},
                {"DELETE FROM otp_codes WHERE phone = $1", {from.e164()}},
                {"DELETE FROM otp_events WHERE phone = $1", {from.e164()}}}));
    return MergedMembers{fromId, intoId, source.balance, target.balance + source.balance};
}

}  // namespace central
