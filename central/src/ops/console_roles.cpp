#include "ops/console_roles.hpp"

#include <array>

namespace central {
namespace {

struct RoleName {
    Role role;
    std::string_view name;
};
constexpr std::array kRoles{RoleName{Role::Owner, "owner"}, RoleName{Role::Marketing, "marketing"},
                            RoleName{Role::StoreManager, "store_manager"}, RoleName{Role::Support, "support"},
                            RoleName{Role::Technician, "technician"}};

/// One row per permission; the columns are the roles in kRoles' order (docs/console.md).
struct Grant {
    Permission permission;
    std::string_view name;
    std::array<bool, kRoles.size()> roles;
};
// clang-format off
constexpr std::array kGrants{
    //                                                   owner  marketing store_mgr support technician
    Grant{Permission::FleetView,    "fleet.view",       {true,  false,    true,     false,  true}},
    Grant{Permission::FleetAct,     "fleet.act",        {true,  false,    false,    false,  true}},
    Grant{Permission::MemberSearch, "members.search",   {true,  false,    false,    true,   false}},
    Grant{Permission::MemberReveal, "members.reveal",   {true,  false,    false,    true,   false}},
    Grant{Permission::MemberAdjust, "members.adjust",   {true,  false,    false,    true,   false}},
    Grant{Permission::MemberReturn, "members.return",   {true,  false,    false,    true,   false}},
    Grant{Permission::MemberExport, "members.export",   {true,  false,    false,    true,   false}},
    Grant{Permission::MemberErase,  "members.erase",    {true,  false,    false,    false,  false}},
    Grant{Permission::MemberMerge,  "members.merge",    {true,  false,    false,    true,   false}},
    Grant{Permission::CampaignView, "campaign.view",    {true,  true,     false,    false,  false}},
    Grant{Permission::RewardsEdit,  "rewards.edit",     {true,  true,     false,    false,  false}},
    Grant{Permission::ReportsView,  "reports.view",     {true,  true,     true,     false,  false}},
    Grant{Permission::AuditView,    "audit.view",       {true,  false,    false,    false,  false}},
    Grant{Permission::UsersManage,  "users.manage",     {true,  false,    false,    false,  false}},
};
// clang-format on
constexpr auto kPermissions = [] {
    std::array<Permission, kGrants.size()> out{};
    for (std::size_t i = 0; i < kGrants.size(); ++i) out[i] = kGrants[i].permission;
    return out;
}();

}  // namespace

std::optional<Role> parseRole(std::string_view name) {
    for (const auto& r : kRoles)
        if (r.name == name) return r.role;
    return std::nullopt;
}

std::string_view roleName(Role role) {
    for (const auto& r : kRoles)
        if (r.role == role) return r.name;
    return "";
}

std::string_view permissionName(Permission permission) {
    for (const auto& g : kGrants)
        if (g.permission == permission) return g.name;
    return "";
}

bool allows(Role role, Permission permission) {
    for (const auto& g : kGrants) {
        if (g.permission != permission) continue;
        for (std::size_t i = 0; i < kRoles.size(); ++i)
            if (kRoles[i].role == role) return g.roles[i];
    }
    return false;
}

std::span<const Permission> allPermissions() {
    return kPermissions;
}

}  // namespace central
