#pragma once

#include <QString>

#include <optional>

namespace keyward {

// Roles of admin tokens. What each may do is decided here, once, for every caller.
enum class AdminRole
{
    Owner,
    Manager,
    Support,
    Viewer
};

// What an admin request needs.
enum class AdminPermission
{
    Read,          // read products, keys, usage, tickets, bans, audit log (every role)
    ManageCatalog, // change products, keys, API keys; run generation and export jobs
    ManageSupport, // work tickets, lift bans, edit the whitelist
    ManageTokens,  // list, create and revoke admin tokens
};

QString adminRoleToString(AdminRole role);
std::optional<AdminRole> adminRoleFromString(const QString& text);
bool adminRoleAllows(AdminRole role, AdminPermission permission);
QString adminPermissionToString(AdminPermission permission);

} // namespace keyward
