#pragma once
// The head-office console's roles and what each may do: the permission table of docs/console.md,
// spelled once. Private to central_core; no I/O.

#include <optional>
#include <span>
#include <string_view>

namespace central {

enum class Role { Owner, Marketing, StoreManager, Support, Technician };

enum class Permission {
    FleetView,     ///< the kiosks (a store manager: of their stores only)
    FleetAct,      ///< revoke a kiosk, queue resync / reload_config
    MemberSearch,  ///< a member by phone: masked phone, balance, tier
    MemberReveal,  ///< the full phone and history, with a reason that is audited
    MemberAdjust,  ///< add or take points, with a reason
    MemberReturn,  ///< a receipt brought back: its points reversed in proportion, with a reason
    MemberExport,  ///< download everything central keeps about a member, with a reason
    MemberErase,   ///< erase a member at their request (PDPL), with a reason
    MemberMerge,   ///< change a member's phone or merge two members, with a code sent to the phone kept
    CampaignView,  ///< campaign, tiers, rewards
    RewardsEdit,   ///< create or change a reward
    ReportsView,   ///< the points report (a store manager: their stores only)
    AuditView,     ///< the audit log
    UsersManage,   ///< console accounts
};

[[nodiscard]] std::optional<Role> parseRole(std::string_view name);
[[nodiscard]] std::string_view roleName(Role role);
[[nodiscard]] std::string_view permissionName(Permission permission);
[[nodiscard]] bool allows(Role role, Permission permission);
/// Every permission, in the order of docs/console.md's table.
[[nodiscard]] std::span<const Permission> allPermissions();

}  // namespace central
