#pragma once

#include "AdminRole.h"
#include "Result.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace keyward {

struct StoreContext;

// A token for the admin API (the desktop app's remote mode, automation). Stored hashed.
struct AdminToken
{
    qint64 id = 0;
    QString name;
    AdminRole role = AdminRole::Viewer;
    QString tokenPrefix;
    QDateTime createdAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;

    bool revoked() const { return revokedAt.isValid(); }
    // How the audit log names changes made with this token.
    QString actor() const;
};

struct CreatedAdminToken
{
    AdminToken token;
    QString secret; // shown once
};

class AdminTokenStore
{
public:
    static constexpr const char* kTokenPrefix = "kwadm_";

    explicit AdminTokenStore(StoreContext& context) : m_ctx(context) {}

    Result<CreatedAdminToken> create(AdminRole role, const QString& name = {});
    Result<AdminToken> find(qint64 id) const;
    Result<std::vector<AdminToken>> list() const;
    Status revoke(qint64 id);
    // The active token with this secret; nullopt when there is none (revoked, unknown, empty).
    Result<std::optional<AdminToken>> authenticate(const QString& secret) const;
    Status touch(qint64 id, const QDateTime& at);

private:
    Result<std::vector<AdminToken>> select(const QString& where, const QVariantList& values) const;

    StoreContext& m_ctx;
};

} // namespace keyward
