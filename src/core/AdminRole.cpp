#include "AdminRole.h"

namespace keyward {

QString adminRoleToString(AdminRole role)
{
    switch (role) {
    case AdminRole::Owner:
        return QStringLiteral("owner");
    case AdminRole::Manager:
        return QStringLiteral("manager");
    case AdminRole::Support:
        return QStringLiteral("support");
    case AdminRole::Viewer:
        return QStringLiteral("viewer");
    }
    return {};
}

std::optional<AdminRole> adminRoleFromString(const QString& text)
{
    const QString t = text.trimmed().toLower();
    for (AdminRole role : {AdminRole::Owner, AdminRole::Manager, AdminRole::Support, AdminRole::Viewer}) {
        if (adminRoleToString(role) == t)
            return role;
    }
    return std::nullopt;
}

bool adminRoleAllows(AdminRole role, AdminPermission permission)
{
    switch (permission) {
    case AdminPermission::Read:
        return true;
    case AdminPermission::ManageCatalog:
        return role == AdminRole::Owner || role == AdminRole::Manager;
    case AdminPermission::ManageSupport:
        return role == AdminRole::Owner || role == AdminRole::Support;
    case AdminPermission::ManageTokens:
        return role == AdminRole::Owner;
    }
    return false;
}

QString adminPermissionToString(AdminPermission permission)
{
    switch (permission) {
    case AdminPermission::Read:
        return QStringLiteral("read");
    case AdminPermission::ManageCatalog:
        return QStringLiteral("manage products and keys");
    case AdminPermission::ManageSupport:
        return QStringLiteral("manage tickets and bans");
    case AdminPermission::ManageTokens:
        return QStringLiteral("manage admin tokens");
    }
    return {};
}

} // namespace keyward
